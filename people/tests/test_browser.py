"""The whole invitation journey in Chromium: a lead invites, the email is in the outbox, the
colleague follows its link, makes an account and lands on the project with the role."""

import os
from pathlib import Path

import pytest
from django.core import mail

from people.models import OutboxMessage

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots-i14"))


def test_a_colleague_joins_a_project_by_invitation(
    new_page, live_server, signed_in, axe_check, project, lead, link_in
):
    page = new_page()
    signed_in(page, live_server, lead)
    page.goto(f"{live_server.url}/projects/{project.pk}/people/")
    page.get_by_label("Email address").fill("grace.hopper@example.nhs.uk")
    page.get_by_label("Role").select_option("contributor")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("We have emailed grace.hopper@example.nhs.uk").wait_for()
    page.get_by_text("Invitations not yet accepted").wait_for()
    assert axe_check(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "people-1280.png", full_page=True)

    queued = OutboxMessage.objects.get(to="grace.hopper@example.nhs.uk")
    assert queued.status == OutboxMessage.Status.SENT  # the worker sent it once
    [message] = mail.outbox
    colleague = new_page()
    colleague.goto(live_server.url + link_in(message))
    colleague.get_by_role("heading", name=f"Join {project.title}").wait_for()
    assert axe_check(colleague) == []
    colleague.set_viewport_size({"width": 390, "height": 844})
    colleague.screenshot(path=SHOTS / "invitation-390.png", full_page=True)
    colleague.get_by_label("First name").fill("Grace")
    colleague.get_by_label("Last name").fill("Hopper")
    colleague.get_by_label("Password*", exact=True).fill("a long pass phrase 42")
    colleague.get_by_label("Password again").fill("a long pass phrase 42")
    colleague.get_by_role("button", name="Make my account and join").click()
    colleague.wait_for_url(f"{live_server.url}/projects/{project.pk}/")
    colleague.get_by_text(f"Welcome to {project.title}.").wait_for()
    colleague.get_by_role("link", name="People").click()
    row = colleague.get_by_role("row", name="Grace Hopper")
    assert "Contributor" in row.inner_text()
    colleague.set_viewport_size({"width": 1280, "height": 900})
    colleague.screenshot(path=SHOTS / "joined-1280.png", full_page=True)
    colleague.get_by_role("link", name="Grace Hopper").click()  # the name at the top: account
    colleague.get_by_role("heading", name="Your account").wait_for()
    assert axe_check(colleague) == []
    colleague.set_viewport_size({"width": 390, "height": 844})
    colleague.screenshot(path=SHOTS / "account-390.png", full_page=True)


def test_site_staff_read_an_invitation_on_sent_mail_and_follow_it(
    new_page, live_server, signed_in, axe_check, project, lead, settings
):
    from people.services import invitation_create
    from projects.tests.factories import UserFactory

    settings.MAIL_KEEP_SENT_BODIES = True  # as in development
    settings.SITE_URL = live_server.url
    invitation_create(inviter=lead, email="new.colleague@example.nhs.uk", role="viewer",
                      project=project)
    staff = UserFactory(is_staff=True)
    page = new_page()
    signed_in(page, live_server, staff)
    page.get_by_role("link", name="Sent mail").click()
    page.get_by_role("link", name=f"Join {project.title} on Totem").click()
    assert axe_check(page) == []
    page.screenshot(path=SHOTS / "sent-mail-1280.png", full_page=True)
    page.get_by_role("link", name="Open the HTML part").click()
    page.get_by_role("link", name="Accept the invitation").wait_for()
    page.screenshot(path=SHOTS / "email-html-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS / "email-html-390.png", full_page=True)
    page.get_by_role("link", name="Accept the invitation").click()
    page.get_by_role("heading", name=f"Join {project.title}").wait_for()
