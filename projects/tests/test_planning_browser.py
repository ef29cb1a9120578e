"""The options appraisal in real Chromium: a lead records scenarios, scores them against the
design principles and marks one chosen, in place; the overview then tells the story. And the
same without JavaScript. Fixtures (`page`, `new_page`, `signed_in`) are in conftest.py."""

import re

import pytest

from projects.models import PrincipleScore, Scenario

from .planning_factories import DependencyFactory, IdeaFactory, PrincipleFactory, RiskFactory

pytestmark = pytest.mark.browser

SCENARIOS = [
    ("A shared service hosted by North Vale", "75", "Proceed"),
    ("Outsource payroll to a commercial provider", "20", "Do not proceed"),
    ("Keep three teams on one system", "45", "Needs more work"),
]
# scenario index -> principle index -> score
SCORES = [["Meets", "Meets"], ["Meets", "Does not meet"], ["Partly", "Meets"]]


def _options_url(live_server, project):
    return f"{live_server.url}/projects/{project.pk}/options/"


def test_a_lead_records_three_scenarios_scores_them_and_marks_one_chosen(
    page, live_server, signed_in, project, lead
):
    principles = [
        PrincipleFactory(project=project, statement="Advice is self-service wherever possible"),
        PrincipleFactory(project=project, statement="Staff transfer on their current terms"),
    ]
    signed_in(page, live_server, lead)
    page.goto(_options_url(live_server, project))
    page.evaluate("() => { window.notReloaded = true; }")

    for title, likelihood, recommendation in SCENARIOS:
        page.get_by_role("link", name="Add a scenario").click()
        form = page.locator("#add-scenario")
        form.get_by_label("Title").fill(title)
        form.get_by_label("Likelihood of proceeding (%)").fill(likelihood)
        form.get_by_label("Recommendation").select_option(label=recommendation)
        form.get_by_label("Reasons").fill(f"Why {title.lower()}")
        form.get_by_role("button", name="Save scenario").click()
        page.get_by_role("heading", name=title).wait_for()
    assert Scenario.objects.filter(project=project).count() == 3

    page.get_by_role("link", name="Score the scenarios").click()
    scenarios = list(Scenario.objects.filter(project=project))
    for scenario, scores in zip(scenarios, SCORES, strict=True):
        for principle, score in zip(principles, scores, strict=True):
            field = page.locator(f"#id_score-{scenario.pk}-{principle.pk}")
            field.select_option(label=score)
    page.get_by_role("button", name="Save the scores").click()
    page.locator(".chain-flash", has_text="Saved the matrix: 6 scores changed.").wait_for()
    assert PrincipleScore.objects.filter(scenario__project=project).count() == 6
    matrix = page.locator("table.matrix")
    assert matrix.locator("tfoot").inner_text().split("\t")[1:] == [
        "2 of 2",
        "1 of 2",
        "1 of 2 (+1 partly)",
    ]

    chosen = scenarios[0]
    page.get_by_role("link", name=re.compile(f"^Mark as chosen.*{chosen.title}")).click()
    page.get_by_label("Decided by").fill("North Vale joint programme board")
    page.get_by_role("button", name="Mark as chosen").click()
    page.locator(".chain-flash", has_text=f"“{chosen.title}” is the chosen scenario.").wait_for()
    assert page.evaluate("() => window.notReloaded === true")  # all of it in place
    chosen.refresh_from_db()
    assert chosen.is_chosen and chosen.chosen_by == "North Vale joint programme board"

    page.get_by_role("link", name="Overview").click()
    section = page.locator("section", has=page.get_by_role("heading", name="Which option"))
    assert chosen.title in section.locator(".card-header").inner_text()
    assert "Chosen on" in section.inner_text()
    assert "by North Vale joint programme board" in section.inner_text()
    assert "2 met, 0 partly, 0 not met of 2 principles" in section.inner_text()
    principles_section = page.locator(
        "section", has=page.get_by_role("heading", name="How we will choose")
    )
    assert "Advice is self-service wherever possible" in principles_section.inner_text()


def test_without_javascript_a_scenario_is_added_and_chosen(new_page, live_server, signed_in,
                                                           project, lead):
    page = new_page(java_script_enabled=False)
    signed_in(page, live_server, lead)
    page.goto(_options_url(live_server, project))
    page.get_by_role("link", name="Add a scenario").click()
    page.get_by_label("Title").fill("Lead employer")
    page.get_by_role("button", name="Save scenario").click()
    page.get_by_text("Added scenario “Lead employer”.").wait_for()
    assert page.url == _options_url(live_server, project)

    page.get_by_role("link", name=re.compile("^Mark as chosen.*Lead employer")).click()
    page.get_by_label("Decided by").fill("Joint board")
    page.get_by_role("button", name="Mark as chosen").click()
    page.get_by_text("“Lead employer” is the chosen scenario.").wait_for()
    assert Scenario.objects.get(project=project).is_chosen


def test_the_planning_pages_pass_axe(page, live_server, signed_in, axe_check, project, lead):
    principle = PrincipleFactory(project=project, statement="Advice is self-service first")
    scenario = Scenario.objects.create(project=project, title="Lead employer", likelihood=70,
                                       is_chosen=True, chosen_by="Board")
    PrincipleScore.objects.create(project=project, scenario=scenario, principle=principle,
                                  score="partly")
    RiskFactory(project=project, likelihood=5, impact=4, owner="Lena")
    IdeaFactory(project=project)
    DependencyFactory(project=project)
    signed_in(page, live_server, lead)
    for path in ("", "options/", "ideas/", "risks/"):
        page.goto(f"{live_server.url}/projects/{project.pk}/{path}")
        assert axe_check(page) == []
    page.goto(_options_url(live_server, project))
    page.get_by_role("link", name="Score the scenarios").click()
    page.locator("#matrix select").first.wait_for()
    assert axe_check(page) == []
