"""The chain and the poster in real Chromium: in place with htmx, without JavaScript, read-only
for a governor, from the keyboard, and checked by axe-core.

These are the slow tests (a live server and a browser), so there are few of them and each
walks a whole journey. Fixtures (`page`, `new_page`, `signed_in`, `axe_check`) are in the
top-level conftest.py.
"""

import re
from pathlib import Path

import pytest

from projects.models import Impact, Indicator, ProjectRole, Task

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# Controls that change the chain, and the URLs that do; a reader must meet none of them.
EDIT_CONTROL = re.compile(r"^(Edit|Delete|Add|Move|Save)\b")
CHAIN_WRITE_URL = re.compile(
    r"/projects/\d+/(tasks|impacts|indicators)/(\d+/)*(new|edit|delete|move)/"
)


def _chain_url(live_server, project):
    return f"{live_server.url}/projects/{project.pk}/chain/"


def _mark_page(page):
    """A marker that only survives while no full page load happens."""
    page.evaluate("() => { window.totemNoReload = true; }")


def _page_was_not_reloaded(page):
    return page.evaluate("() => window.totemNoReload === true")


def _active(page):
    """What has keyboard focus: tag, accessible text and whether a focus ring is drawn."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
          return {tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim(),
                  ring: outlined || style.boxShadow !== 'none'};
        }"""
    )


def _tab_to(page, text, *, limit=60):
    """Press Tab until the focused element's text is `text`; return what is focused."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = _active(page)
        if active["text"] == text:
            return active
    raise AssertionError(f"{text!r} is not reachable with Tab (last focus: {active})")


def _focus_after_swap(page):
    """What has focus once htmx has swapped and settled (focus moves on afterSettle)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    return _active(page)


def _duplicate_ids(page):
    return page.evaluate(
        """() => {
          const seen = {};
          document.querySelectorAll('[id]').forEach((el) => seen[el.id] = (seen[el.id] || 0) + 1);
          return Object.keys(seen).filter((id) => seen[id] > 1);
        }"""
    )


def _assert_accessible(page, axe_check):
    violations = axe_check(page)
    assert not violations, "axe-core found:\n" + "\n".join(violations)


def test_lead_builds_a_chain_in_place_and_sees_it_on_the_poster(
    page, live_server, signed_in, lead
):
    signed_in(page, live_server, lead)
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Title").fill("Shared payroll service")
    page.get_by_label("Purpose").fill("Payroll errors cost the three trusts too much.")
    page.get_by_label("Lead organisation").select_option(index=1)
    page.get_by_role("button", name="Create project").click()
    page.get_by_role("link", name="Edit the chain").wait_for()
    chain_url = page.url
    _mark_page(page)

    page.get_by_label("Add a task to the trunk").fill("Benchmark payroll cost and accuracy")
    page.get_by_role("button", name="Add task").click()
    page.get_by_role("heading", name="Benchmark payroll cost and accuracy").wait_for()

    page.locator("summary", has_text="Add an impact").click()
    page.get_by_label("You should evaluate the extent to which you have").fill(
        "Defined the starting point against which progress is measured"
    )
    page.get_by_role("button", name="Add impact").click()
    page.get_by_text(
        "Defined the starting point against which progress is measured", exact=True
    ).wait_for()

    page.locator("summary", has_text="Add an indicator").click()
    page.get_by_label("Indicator name").fill("Functions with an agreed baseline")
    page.get_by_label("Which way is better").select_option("up")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Functions with an agreed baseline", exact=True).wait_for()

    assert _page_was_not_reloaded(page), "an in-place edit loaded a whole page"
    assert page.url == chain_url
    indicator = Indicator.objects.get(name="Functions with an agreed baseline")
    assert indicator.impact.task.title == "Benchmark payroll cost and accuracy"
    assert indicator.impact.task.project.roles.get().user == lead

    page.get_by_role("link", name="Poster").click()
    poster = page.locator(".poster")
    for text in (
        "Benchmark payroll cost and accuracy",
        "Defined the starting point against which progress is measured",
        "Functions with an agreed baseline",
    ):
        assert poster.get_by_text(text).first.is_visible(), text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "poster-lead.png", full_page=True)


def test_lead_adds_and_edits_a_task_with_javascript_off(
    new_page, live_server, signed_in, axe_check, project, lead
):
    page = signed_in(new_page(java_script_enabled=False), live_server, lead)
    page.goto(_chain_url(live_server, project))
    _assert_accessible(page, axe_check)  # the page as served to a browser without scripts

    page.get_by_label("Add a task to the trunk").fill("Confirm the issue with the boards")
    page.get_by_role("button", name="Add task").click()
    page.get_by_role("status").filter(has_text="Added task").wait_for()

    page.get_by_role("link", name="Edit task").click()
    assert re.search(r"/tasks/\d+/edit/$", page.url), "Edit should open the edit page"
    page.get_by_label("Title").fill("Confirm the issue with all three trust boards")
    page.get_by_role("button", name="Save task").click()

    assert page.url == _chain_url(live_server, project)
    assert page.evaluate("() => typeof htmx") == "undefined", "scripts ran: not a no-JS test"
    page.get_by_role("heading", name="Confirm the issue with all three trust boards").wait_for()
    task = Task.objects.get(project=project)
    assert task.title == "Confirm the issue with all three trust boards"

    # One form holds each item's buttons: the arrows post to their own address, Delete to the
    # form's.
    page.get_by_label("Add a task to the trunk").fill("Agree the scope")
    page.get_by_role("button", name="Add task").click()
    page.get_by_role("button", name="Move task up").last.click()
    page.get_by_role("status").filter(has_text="Moved task “Agree the scope” up").wait_for()
    assert [t.title for t in Task.objects.filter(project=project).order_by("position")] == [
        "Agree the scope",
        "Confirm the issue with all three trust boards",
    ]
    page.get_by_role("button", name="Delete task").first.click()
    page.get_by_role("status").filter(has_text="Deleted task “Agree the scope”").wait_for()
    assert Task.objects.get(project=project) == task


def test_governor_reads_the_chain_and_poster_without_edit_controls(
    page, live_server, signed_in, project, chain, member_of
):
    task, impact, indicator = chain
    signed_in(page, live_server, member_of(ProjectRole.Role.GOVERNOR))
    for path in ("chain", "poster"):
        page.goto(f"{live_server.url}/projects/{project.pk}/{path}/")
        main = page.get_by_role("main")
        for text in (task.title, impact.statement, indicator.name):
            assert main.get_by_text(text).first.is_visible(), f"{text!r} missing on {path}"
        assert main.get_by_role("button", name=EDIT_CONTROL).count() == 0, path
        assert main.get_by_role("link", name=EDIT_CONTROL).count() == 0, path
        targets = main.locator("[action], [hx-post], [hx-get], [href]").evaluate_all(
            "els => els.map(el => el.getAttribute('action') || el.getAttribute('hx-post')"
            " || el.getAttribute('hx-get') || el.getAttribute('href'))"
        )
        assert [url for url in targets if CHAIN_WRITE_URL.search(url)] == [], path
        assert main.locator("details.quick-add").count() == 0, path


def test_lead_edits_the_chain_from_the_keyboard(
    page, live_server, signed_in, project, chain, lead
):
    task, impact, _ = chain
    signed_in(page, live_server, lead)
    page.goto(_chain_url(live_server, project))
    _mark_page(page)

    summary = _tab_to(page, "Add an impact")
    assert summary["ring"], "the focused summary shows no focus ring"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert _active(page)["id"] == f"new-impact-{task.pk}"
    page.keyboard.type("Payroll staff expect the shared service to make their work better")
    page.keyboard.press("Tab")
    assert _active(page)["text"] == "Add impact"
    page.keyboard.press("Enter")
    page.get_by_text(
        "Payroll staff expect the shared service to make their work better", exact=True
    ).wait_for()
    assert task.impacts.count() == 2
    # The add form closed with the swap: focus goes back to where the user was.
    assert _focus_after_swap(page)["text"] == "Add an impact", "focus lost after adding"

    edit = _tab_to(page, "Edit task")
    assert edit["ring"], "the focused Edit button shows no focus ring"
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Save task").wait_for()
    assert _focus_after_swap(page)["id"].endswith("title"), "focus did not enter the form"
    page.keyboard.press("Control+A")
    page.keyboard.type("Produce outcome scenarios with the likelihood of proceeding")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="with the likelihood of proceeding").wait_for()
    task.refresh_from_db()
    assert task.title == "Produce outcome scenarios with the likelihood of proceeding"
    assert _focus_after_swap(page)["text"] == "Edit task", "focus did not return to the task"

    # Deleting an impact that holds an indicator asks first; the question takes focus.
    _tab_to(page, "Delete impact")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Delete impact and all it holds").wait_for()
    assert _focus_after_swap(page)["text"].startswith("Delete impact “")
    _tab_to(page, "Keep it", limit=3)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Delete impact and all it holds").wait_for(state="detached")
    assert _focus_after_swap(page)["text"] == "Delete impact"
    assert Impact.objects.filter(pk=impact.pk).exists()
    assert _page_was_not_reloaded(page)


def test_pages_have_no_serious_accessibility_violations(
    page, live_server, signed_in, axe_check, project, chain, lead
):
    task, _, indicator = chain
    page.goto(f"{live_server.url}/accounts/login/")
    _assert_accessible(page, axe_check)

    signed_in(page, live_server, lead)  # lands on "My projects"
    _assert_accessible(page, axe_check)
    for path in ("", "chain/", "poster/"):
        page.goto(f"{live_server.url}/projects/{project.pk}/{path}")
        _assert_accessible(page, axe_check)

    page.goto(_chain_url(live_server, project))
    page.locator(f"#task-{task.pk}-head").get_by_role("link", name="Edit task").click()
    page.get_by_role("button", name="Save task").wait_for()
    page.locator(f"#indicator-{indicator.pk}-head").get_by_role("link", name="Edit").click()
    page.get_by_role("button", name="Save indicator").wait_for()
    _assert_accessible(page, axe_check)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "chain-editing-lead.png", full_page=True)
    # axe-core no longer reports duplicate ids, but two open forms sharing `id_owner` send
    # the second form's "Owner" label to the first form's field.
    assert _duplicate_ids(page) == []
