"""Review and sign-off pages: comments, packs (served from storage, made in the background),
decisions and portfolios. No PDF is rendered here: packs are stored bytes, and the background
task is replaced by a recorder where a test asks for a new version."""

import datetime
import hashlib

import pytest
from django.urls import reverse

from projects.models import Comment, ProjectRole
from projects.tests.factories import (
    MembershipFactory,
    ProjectFactory,
    ProjectRoleFactory,
    TaskFactory,
    UserFactory,
)
from totem import pdf
from totem.models import Decision, Pack
from totem.packs import services
from totem.tests.factories import FAKE_PDF, ready_pack

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued(monkeypatch):
    """The pack ids sent to the background worker (which never runs in these tests)."""
    from totem.packs import tasks

    sent = []

    class Recorder:
        def enqueue(self, pack_id):
            sent.append(pack_id)

    monkeypatch.setattr(tasks, "render_pack", Recorder())
    return sent


@pytest.fixture
def governor(member_of):
    return member_of(ProjectRole.Role.GOVERNOR)


def review_url(project):
    return reverse("review:project-review", args=[project.pk])


# --- comments -----------------------------------------------------------------------------


def test_a_governor_comments_on_the_project_and_sees_it_on_the_page(client, project, governor):
    client.force_login(governor)
    response = client.post(
        reverse("review:comment-create", args=[project.pk]),
        {"on": "project", "body": "<script>alert(1)</script> Show cost per payslip"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#thread-project")
    comment = Comment.objects.get()
    assert (comment.project, comment.author, comment.task) == (project, governor, None)
    page = client.get(review_url(project)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Show cost per payslip" in page
    assert "<script>alert(1)" not in page


def test_a_comment_on_an_impact_answers_htmx_with_its_thread(client, project, chain, governor):
    _, impact, _ = chain
    client.force_login(governor)
    response = client.post(
        reverse("review:comment-create", args=[project.pk]),
        {"on": f"impact-{impact.pk}", "body": "Whose commitment?", "label": "the impact"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<div class="comment-thread" id="thread-impact-{impact.pk}">')
    assert "Whose commitment?" in html and "Comment added." in html
    assert Comment.objects.get().impact == impact


def test_an_empty_comment_is_refused(client, project, governor):
    client.force_login(governor)
    response = client.post(
        reverse("review:comment-create", args=[project.pk]), {"on": "project", "body": "  "},
        HTTP_HX_REQUEST="true",
    )
    assert "is-invalid" in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_on_another_projects_item_or_by_a_viewer_are_refused(
    client, project, member_of
):
    other_task = TaskFactory()  # of another project
    contributor = member_of(ProjectRole.Role.CONTRIBUTOR)
    client.force_login(contributor)
    url = reverse("review:comment-create", args=[project.pk])
    assert client.post(url, {"on": f"task-{other_task.pk}", "body": "x"}).status_code == 404
    assert client.post(url, {"on": "project-1", "body": "x"}).status_code == 404
    client.force_login(member_of(ProjectRole.Role.VIEWER))
    assert client.post(url, {"on": "project", "body": "x"}).status_code == 403
    assert not Comment.objects.exists()


def test_the_review_page_shows_each_items_thread(client, project, chain, governor):
    task, impact, indicator = chain
    Comment.objects.create(project=project, author=governor, indicator=indicator, body="Monthly?")
    client.force_login(governor)
    page = client.get(review_url(project)).content.decode()
    thread = page.split(f'id="thread-indicator-{indicator.pk}"')[1].split('id="thread-')[0]
    assert "Monthly?" in thread
    assert f'id="thread-task-{task.pk}"' in page and f'id="thread-impact-{impact.pk}"' in page


# --- packs ---------------------------------------------------------------------------------


def test_an_unchanged_pack_is_served_from_storage_at_once(client, project, chain, governor,
                                                          enqueued):
    pack = ready_pack(project=project)
    client.force_login(governor)
    response = client.get(reverse("review:pack-current", args=[project.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == FAKE_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{pack.download_name}"'
    assert response["Cache-Control"].startswith("private")
    assert "no-store" not in response["Cache-Control"]
    assert response["ETag"] == f'"{pack.sha256}"'
    assert Pack.objects.count() == 1 and enqueued == []


def test_a_changed_project_makes_the_next_version_in_the_background(
    client, project, chain, governor, enqueued
):
    first = ready_pack(project=project)
    TaskFactory(project=project, title="A new task")
    client.force_login(governor)
    response = client.get(reverse("review:pack-current", args=[project.pk]))
    second = Pack.objects.get(version=2)
    assert response["Location"] == reverse("review:pack-detail", args=[project.pk, second.pk])
    assert enqueued == [second.pk] and second.status == Pack.Status.QUEUED
    assert first.fingerprint != second.fingerprint
    # Asking again while it is being made does not queue it twice.
    client.get(reverse("review:pack-current", args=[project.pk]))
    assert enqueued == [second.pk] and Pack.objects.count() == 2


def test_the_progress_page_polls_with_htmx_and_refreshes_without_javascript(
    client, project, chain, governor, enqueued
):
    pack = services.pack_request(kind=Pack.Kind.PROJECT, project=project, user=governor)
    client.force_login(governor)
    url = reverse("review:pack-detail", args=[project.pk, pack.pk])
    page = client.get(url).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 2s" hx-swap="outerHTML"' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "You can leave this page" in page and f'href="{url}">Reload</a>' in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="pack-status"') and "<html" not in fragment
    # Once made, the fragment stops polling and offers the download.
    Pack.objects.filter(pk=pack.pk).update(status=Pack.Status.READY, sha256="ab" * 32, pages=3,
                                           size=10)
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and "Download the PDF" in fragment
    assert "ab" * 32 in fragment


def test_a_render_over_the_time_limit_fails_the_pack_with_its_message_and_can_be_retried(
    client, project, chain, governor, enqueued, monkeypatch
):
    def too_slow(*args, **kwargs):
        raise pdf.PdfRenderTimeout("The PDF took longer than 120 seconds to make and was stopped.")

    monkeypatch.setattr(pdf, "render_pdf", too_slow)
    pack = services.pack_request(kind=Pack.Kind.PROJECT, project=project, user=governor)
    services.pack_render(pack_id=pack.pk)
    pack.refresh_from_db()
    assert pack.status == Pack.Status.FAILED and "took longer than 120 seconds" in pack.error
    client.force_login(governor)
    url = reverse("review:pack-detail", args=[project.pk, pack.pk])
    page = client.get(url).content.decode()
    assert "could not be made" in page and "took longer than 120 seconds" in page
    assert client.post(url).status_code == 302
    pack.refresh_from_db()
    assert pack.status == Pack.Status.QUEUED and enqueued == [pack.pk, pack.pk]


def test_a_pack_stuck_behind_a_stopped_worker_is_offered_again(project, governor, enqueued):
    pack = services.pack_request(kind=Pack.Kind.PROJECT, project=project, user=governor)
    Pack.objects.filter(pk=pack.pk).update(
        created_at=pack.created_at - datetime.timedelta(hours=2)
    )
    pack.refresh_from_db()
    assert services.pack_is_stuck(pack)
    again = services.pack_request(kind=Pack.Kind.PROJECT, project=project, user=governor)
    assert again.pk == pack.pk and enqueued == [pack.pk, pack.pk]


def test_only_members_get_packs(client, project, chain, enqueued):
    pack = ready_pack(project=project)
    client.force_login(UserFactory())
    for url in (
        reverse("review:pack-current", args=[project.pk]),
        reverse("review:poster-current", args=[project.pk]),
        reverse("review:pack-download", args=[project.pk, pack.pk]),
        reverse("review:pack-detail", args=[project.pk, pack.pk]),
    ):
        assert client.get(url).status_code == 404
    assert Pack.objects.count() == 1 and enqueued == []


# --- decisions -------------------------------------------------------------------------------


def test_a_governor_records_a_decision_on_an_exact_pack(client, project, chain, governor):
    pack = ready_pack(project=project)
    client.force_login(governor)
    url = reverse("review:decision-create", args=[project.pk])
    form = client.get(f"{url}?pack={pack.pk}").content.decode()
    assert f'<option value="{pack.pk}" selected>Version 1' in form
    response = client.post(url, {
        "pack": pack.pk, "outcome": "approved_with_conditions", "decided_on": "2026-06-12",
        "conditions": "Bring back the consultation plan.", "decided_by": "Trust Board",
    })
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.pack, decision.recorded_by, decision.decided_by) == (
        pack, governor, "Trust Board"
    )
    assert decision.pack_sha256 == pack.sha256 == hashlib.sha256(FAKE_PDF).hexdigest()
    page = client.get(review_url(project)).content.decode()
    assert "Approved with conditions" in page and pack.sha256 in page


def test_an_approval_with_conditions_needs_its_conditions(client, project, governor):
    pack = ready_pack(project=project)
    client.force_login(governor)
    response = client.post(reverse("review:decision-create", args=[project.pk]), {
        "pack": pack.pk, "outcome": "approved_with_conditions", "decided_on": "2026-06-12",
    })
    assert response.status_code == 200
    assert "Write the conditions of the approval." in response.content.decode()
    assert not Decision.objects.exists()


def test_a_decision_is_only_on_a_ready_pack_of_this_project(project, governor, enqueued):
    pending = services.pack_request(kind=Pack.Kind.PROJECT, project=project, user=governor)
    other = ready_pack(project=ProjectFactory())
    for pack in (pending, other):
        with pytest.raises(Exception, match="pack"):
            services.decision_record(
                project=project, pack=pack, user=governor, outcome="approved",
                decided_on=datetime.date(2026, 6, 12),
            )


def test_the_lead_cannot_sign_off_their_own_project(client, project, lead):
    ready_pack(project=project)
    client.force_login(lead)
    assert client.get(reverse("review:decision-create", args=[project.pk])).status_code == 403
    assert "Record a decision" not in client.get(review_url(project)).content.decode()


# --- portfolios ------------------------------------------------------------------------------


def test_a_portfolio_holds_only_the_projects_the_user_may_see(client, enqueued):
    member = UserFactory()
    seen = ProjectFactory(title="Seen")
    organisation = seen.lead_organisation
    shared = ProjectFactory(title="Shared with us")
    shared.partner_organisations.add(organisation)
    hidden = ProjectFactory(title="Hidden", lead_organisation=organisation)
    MembershipFactory(user=member, organisation=organisation)
    for project in (seen, shared):
        ProjectRoleFactory(project=project, user=member, role=ProjectRole.Role.VIEWER)
    client.force_login(member)
    response = client.get(reverse("review:portfolio-current", args=[organisation.pk]))
    pack = Pack.objects.get(kind=Pack.Kind.PORTFOLIO)
    assert response["Location"] == reverse(
        "review:org-pack-detail", args=[organisation.pk, pack.pk]
    )
    assert sorted(pack.project_ids) == sorted([seen.pk, shared.pk])
    assert hidden.pk not in pack.project_ids and enqueued == [pack.pk]
    # Someone who cannot see every project in it does not get it, even in the organisation.
    colleague = UserFactory()
    MembershipFactory(user=colleague, organisation=organisation)
    ProjectRoleFactory(project=seen, user=colleague, role=ProjectRole.Role.VIEWER)
    client.force_login(colleague)
    url = reverse("review:org-pack-detail", args=[organisation.pk, pack.pk])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(
        reverse("review:portfolio-current", args=[organisation.pk])
    ).status_code == 404


def test_the_portfolio_page_counts_one_project_in_words(db, client):
    from django.template.loader import render_to_string

    class Pack:
        project_ids = [7]
        version = 1

    text = render_to_string("review/org_pack_detail.html", {"pack": Pack()})
    assert "each of the 1 project" not in text
    assert "a summary page for the one project you can see" in " ".join(text.split())
