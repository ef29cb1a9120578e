"""Issue 3 in real Chromium: an organisation member scores and submits a self-assessment round
(saved as they go with htmx), and a lead takes a project through a readiness checklist with
JavaScript off; axe-core checks each page.

Fixtures (`page`, `new_page`, `signed_in`, `axe_check`, `lead`) are in the top-level
conftest.py. Tests with `live_server` run in a flushed database, so the shipped templates are
installed again when the data migration's rows are gone.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from assessments import defaults
from assessments.demo import SEED_004_LEVELS
from projects.tests.factories import OrganisationFactory

from .factories import member, open_round

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_a_member_scores_and_submits_a_round(page, live_server, signed_in, axe_check):
    framework = defaults.ensure_installed()[1]
    organisation = OrganisationFactory(name="North Vale Hospitals NHS Trust", short_name="NVH")
    assessment = open_round(organisation, framework, name="Baseline, spring 2026")
    levels = {level.name: level.position for level in framework.levels.all()}

    signed_in(page, live_server, member(organisation))
    page.get_by_role("link", name=re.compile("self-assessment rounds")).click()
    page.get_by_role("link", name="Baseline, spring 2026").click()
    page.get_by_role("link", name="Start scoring").click()
    assert axe_check(page) == []

    # Saved as they go: picking a level answers with a status, without leaving the page.
    page.locator(f"label[for=q1-level-{levels['Starting']}]").click()
    page.locator("#save-status").get_by_text("Saved at").wait_for()
    assert assessment.answers.get(question__number=1).level.name == "Starting"

    for _ in range(framework.domains.count()):
        numbers = [
            int(value.split("-")[0][1:])
            for value in page.locator("input[type=radio][value='']").evaluate_all(
                "inputs => inputs.map(i => i.id)"
            )
        ]
        for number in numbers:
            position = levels[SEED_004_LEVELS[number]]
            page.locator(f"label[for=q{number}-level-{position}]").click()
        evidence = page.get_by_label("Evidence").first
        evidence.fill(f"Workshop notes for question {numbers[0]}")
        evidence.press("Tab")  # leaving the field saves it too
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
        page.get_by_role("button", name=re.compile("^Save and")).click()

    page.get_by_role("heading", name="Results").wait_for()
    summary = page.locator("#results-h + p")
    assert "16 Starting" in summary.inner_text() and "6 Developing" in summary.inner_text()
    assert axe_check(page) == []

    page.get_by_role("button", name="Submit the round").click()
    page.get_by_text("Round submitted: its scores are now locked.").wait_for()
    assert page.get_by_text("Start scoring").count() == 0
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    noted = assessment.answers.filter(evidence__startswith="Workshop notes")
    assert sorted(noted.values_list("question__number", flat=True)) == [1, 5, 9, 14, 19]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "self-assessment-results.png", full_page=True)


def test_a_lead_fills_a_readiness_checklist_with_javascript_off(
    new_page, live_server, signed_in, axe_check, project, lead
):
    defaults.ensure_installed()
    page = new_page(java_script_enabled=False)

    signed_in(page, live_server, lead)
    page.get_by_role("link", name=project.title).click()
    page.get_by_role("link", name="Readiness", exact=True).click()
    page.get_by_role("link", name="Start a checklist").click()
    page.get_by_label("Title").fill("Gateway before design")
    page.get_by_role("button", name="Start the checklist").click()
    page.get_by_role("heading", name="Gateway before design").wait_for()
    checklist_url = page.url

    must_haves = page.locator(".checklist-must-have")
    assert must_haves.count() == 10
    for index in range(10):
        must_haves.nth(index).get_by_label("Yes", exact=True).check()
    last = must_haves.nth(9)
    last.get_by_label("No", exact=True).check()
    last.get_by_label("Owner").fill("Lena Okafor")
    last.get_by_label("Due date").fill("2026-12-15")
    page.get_by_role("button", name="Save answers").click()

    readiness = page.locator("section[aria-labelledby=readiness-h]")
    assert "Not ready to proceed" in readiness.inner_text()
    assert "9 of 10 must-haves met" in readiness.inner_text()
    assert "List of existing parallel projects — no · Lena Okafor · due 15 Dec 2026" in (
        readiness.inner_text()
    )

    page.locator(".checklist-must-have").nth(9).get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save answers").click()
    assert "Ready to proceed" in readiness.inner_text()
    assert "10 of 10 must-haves met" in readiness.inner_text()
    assert project.checklists.get().responses.filter(answer="yes").count() == 10

    # axe-core needs JavaScript: check the same pages in a page that has it.
    checked = signed_in(new_page(), live_server, lead)
    for url in (checklist_url, checklist_url.rsplit("/", 2)[0] + "/"):
        checked.goto(url)
        assert axe_check(checked) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    checked.goto(checklist_url)
    checked.screenshot(path=SCREENSHOTS / "readiness-checklist.png", full_page=True)


def test_a_checklist_answer_is_saved_as_it_is_given(
    page, live_server, signed_in, project, lead
):
    from assessments import services

    template = defaults.ensure_installed()[0]
    checklist = services.checklist_start(
        project=project, template=template, title="Gateway before design", user=None
    )
    signed_in(page, live_server, lead)
    page.goto(live_server.url + reverse(
        "assessments:checklist-detail", args=[project.pk, checklist.pk]
    ))

    first = page.locator(".checklist-must-have").first
    first.get_by_label("Yes", exact=True).check()
    first.get_by_text("Saved at").wait_for()
    assert "1 of 10 must-haves met" in page.locator("#readiness-summary").inner_text()
    first.get_by_label("No", exact=True).check()
    first.locator(".badge").get_by_text("No").wait_for()  # the item's badge follows
    first.get_by_label("Yes", exact=True).check()
    first.locator(".badge").get_by_text("Yes").wait_for()
    first.get_by_label("Evidence or note").fill("Mandate signed by the board")
    first.get_by_label("Evidence or note").press("Tab")  # leaving the field saves it
    page.wait_for_function("() => !document.querySelector('.htmx-request')")

    page.reload()  # never pressed Save answers
    first = page.locator(".checklist-must-have").first
    assert first.get_by_label("Yes", exact=True).is_checked()
    assert first.get_by_label("Evidence or note").input_value() == "Mandate signed by the board"
