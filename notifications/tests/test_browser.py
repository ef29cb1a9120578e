"""In real Chromium: the demo lead sees a figure due on My work, follows it, enters the value,
and the item is gone; the pages pass axe-core at desktop and phone widths."""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from totem.demo import DEMO_PASSWORD_SUFFIX, load_demo

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots-i15"))


def test_the_demo_lead_enters_a_figure_due_from_the_home_page(
    page, live_server, signed_in, axe_check
):
    load_demo()
    lead = get_user_model().objects.get(username="lead")
    signed_in(page, live_server, lead, password="lead" + DEMO_PASSWORD_SUFFIX)
    figures = page.locator("#my-figures")
    item = figures.get_by_role("listitem").first
    name = item.locator("strong").inner_text()
    count = figures.get_by_role("listitem").count()
    assert axe_check(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "home-1280.png", full_page=True)

    item.get_by_role("link", name=f"Enter the figure for {name}").click()
    page.get_by_role("heading", name="Figures for").wait_for()
    page.get_by_label(f"Value for {name}").fill("3")
    page.get_by_role("button", name="Save these figures").click()
    page.get_by_role("status").filter(has_text="Saved 1 value").wait_for()

    page.goto(f"{live_server.url}/")
    assert figures.get_by_role("listitem").count() == count - 1
    assert figures.get_by_text(name, exact=True).count() == 0
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS / "home-390.png", full_page=True)
    page.goto(f"{live_server.url}/notifications/preferences/")
    assert axe_check(page) == []
    page.screenshot(path=SHOTS / "preferences-390.png", full_page=True)


def test_a_governor_mentions_the_lead_with_completion_and_the_lead_is_notified(
    page, live_server, signed_in
):
    from notifications.models import Notification
    from notifications.sweep import sweep

    load_demo()
    governor = get_user_model().objects.get(username="governor")
    project = governor.project_roles.get().project
    signed_in(page, live_server, governor, password="governor" + DEMO_PASSWORD_SUFFIX)
    page.goto(f"{live_server.url}/projects/{project.pk}/review/")
    page.locator("details.comment-add > summary").first.click()
    box = page.locator("textarea[data-mentions]").first
    box.press_sequentially("Can you add the costs, @Len")
    page.get_by_role("option", name="Lena Okafor (@lead)").wait_for()
    box.press("Enter")
    assert box.input_value() == "Can you add the costs, @lead "
    box.press_sequentially("please?")
    page.locator("form:has(textarea[data-mentions])").first.get_by_role(
        "button", name="Add comment"
    ).click()
    page.get_by_text("Comment added.").first.wait_for()
    sweep()
    lead = get_user_model().objects.get(username="lead")
    assert Notification.objects.filter(recipient=lead, kind="mentioned").count() == 1
