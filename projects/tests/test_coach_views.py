"""Where people meet the coach: the hint under a field as they type, its notes on the chain
after a save (no JavaScript needed), the Outcome focus page and its panel on the overview."""

import html

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import DesignPrinciple, Impact, Objective, ProjectRole
from projects.tests.factories import ImpactFactory, IndicatorFactory, TaskFactory, UserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
WORKSHOPS = "We will hold workshops to identify issues"
# What the coach tells the lead who wrote WORKSHOPS: what is wrong, and how to put it instead.
TOLD_WHAT = '"hold workshops" describes something the project will do'
TOLD_HOW = "Ask why you would \"hold workshops\" (\"so that what?\") and write down the answer"
EXAMPLE = "Heads of department agree the three issues to fix first by June"


def hint_url(project, **params):
    url = reverse("projects:coach-hint", args=[project.pk])
    return url + "?" + "&".join(f"{key}={value}" for key, value in params.items())


def text(response) -> str:
    """The response as a reader sees it: entities decoded (the coach quotes with ")."""
    return html.unescape(response.content.decode())


# --- the hint under a field ------------------------------------------------------------------


def test_a_lead_typing_an_activity_is_told_kindly_how_to_turn_it_into_an_impact(
    lead_client, project
):
    response = lead_client.get(
        reverse("projects:coach-hint", args=[project.pk]),
        {"kind": "impact", "text": WORKSHOPS},
        **HTMX,
    )
    assert response.status_code == 200
    said = text(response)
    assert TOLD_WHAT in said and TOLD_HOW in said and EXAMPLE in said
    assert 'data-code="task-not-impact"' in said
    assert "<html" not in said  # a fragment, not a page


def test_the_hint_reads_the_field_under_its_own_name(lead_client, project):
    # htmx sends the field's value under the field's name: statement, or name for indicators.
    response = lead_client.get(
        reverse("projects:coach-hint", args=[project.pk]),
        {"kind": "impact", "statement": WORKSHOPS},
    )
    assert TOLD_WHAT in text(response)
    response = lead_client.get(
        reverse("projects:coach-hint", args=[project.pk]),
        {"kind": "indicator_name", "name": "Number of meetings held"},
    )
    assert 'data-code="measures-activity"' in response.text


def test_nothing_typed_gets_an_empty_hint_and_a_good_statement_a_quiet_nod(lead_client, project):
    empty = lead_client.get(hint_url(project, kind="impact", text="%20%20"))
    assert empty.status_code == 200 and empty.text.strip() == ""
    good = lead_client.get(
        reverse("projects:coach-hint", args=[project.pk]),
        {"kind": "impact", "text": "Staff are paid correctly and on time every month"},
    )
    assert "Nothing to suggest." in good.text and "coach-hint-item" not in good.text


def test_a_principle_every_option_meets_is_hinted(lead_client, project):
    response = lead_client.get(
        reverse("projects:coach-hint", args=[project.pk]),
        {"kind": "principle", "text": "Deliver high quality advice"},
    )
    assert 'data-code="applies-to-every-option"' in response.text


def test_the_hint_escapes_what_was_typed(lead_client, project):
    response = lead_client.get(
        reverse("projects:coach-hint", args=[project.pk]),
        {"kind": "impact", "text": "We will hold <script>alert(1)</script> workshops"},
    )
    assert "<script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_the_hint_reads_a_bounded_length(lead_client, project):
    response = lead_client.get(
        reverse("projects:coach-hint", args=[project.pk]),
        {"kind": "impact", "text": "Staff are paid on time " * 2_000},
    )
    assert response.status_code == 200
    assert 'data-code="too-long"' in response.text
    assert len(response.content) < 2_000


def test_an_unknown_kind_is_a_bad_request(lead_client, project):
    response = lead_client.get(hint_url(project, kind="poem", text="x"))
    assert response.status_code == 400


def test_a_viewer_gets_hints_and_an_outsider_finds_no_project(client, project, member_of):
    client.force_login(member_of(ProjectRole.Role.VIEWER))
    assert client.get(hint_url(project, kind="impact", text="x")).status_code == 200
    client.force_login(UserFactory())
    assert client.get(hint_url(project, kind="impact", text="x")).status_code == 404


# --- the fields that ask for it ---------------------------------------------------------------


def test_the_impact_field_asks_for_a_hint_as_people_type(lead_client, project, chain):
    task, impact, _ = chain
    page = lead_client.get(reverse("projects:project-chain", args=[project.pk]))
    url = html.escape(hint_url(project, kind="impact"))
    quick_add = f'id="new-impact-{task.pk}"'
    assert quick_add in page.text
    field = page.text.split(quick_add)[1].split(">")[0]
    assert f'hx-get="{url}"' in field
    assert 'hx-trigger="keyup changed delay:600ms"' in field
    assert 'hx-target="next .coach-hint"' in field
    assert 'class="coach-hint small" aria-live="polite"' in page.text


def test_the_edit_form_shows_the_hint_from_the_start(lead_client, project):
    impact = ImpactFactory(task=TaskFactory(project=project), statement=WORKSHOPS)
    response = lead_client.get(
        reverse("projects:item-edit", args=[project.pk, "impacts", impact.pk]), **HTMX
    )
    assert f'hx-get="{html.escape(hint_url(project, kind="impact"))}"' in response.text
    hint = text(response).split('aria-live="polite"')[1]
    assert TOLD_WHAT in hint
    # The other fields still follow the coached one.
    assert 'name="version"' in response.text


def test_the_indicator_name_field_asks_for_a_hint(lead_client, project, chain):
    _, impact, indicator = chain
    response = lead_client.get(
        reverse("projects:item-edit", args=[project.pk, "indicators", indicator.pk]), **HTMX
    )
    assert html.escape(hint_url(project, kind="indicator_name")) in response.text
    for field in ("name", "kind", "baseline_value", "source", "frequency", "owner_person"):
        assert f'name="{field}"' in response.text


def test_the_objective_and_principle_forms_ask_for_a_hint(lead_client, project):
    objective = lead_client.get(reverse("projects:objective-create", args=[project.pk]))
    assert html.escape(hint_url(project, kind="objective")) in objective.text
    assert 'name="deadline"' in objective.text
    principle = lead_client.get(
        reverse("projects:record-create", args=[project.pk, "principles"]), **HTMX
    )
    assert html.escape(hint_url(project, kind="principle")) in principle.text


# --- after a save, with or without JavaScript --------------------------------------------------


def test_after_a_plain_save_the_chain_page_tells_the_lead_how_to_turn_it_into_an_impact(
    lead_client, project
):
    task = TaskFactory(project=project, title="Run engagement events")
    response = lead_client.post(
        reverse("projects:impact-create", args=[project.pk, task.pk]),
        {"statement": WORKSHOPS},
        follow=True,
    )
    impact = Impact.objects.get(task=task)
    assert impact.statement == WORKSHOPS  # a hint, never a blocker
    said = text(response)
    note = said.split(f'id="impact-{impact.pk}"')[1].split("</details>")[0]
    assert '<details class="coach-note small">' in note
    assert TOLD_WHAT in note and TOLD_HOW in note and EXAMPLE in note


def test_after_an_htmx_save_the_refreshed_chain_carries_the_notes(lead_client, project):
    task = TaskFactory(project=project)
    response = lead_client.post(
        reverse("projects:impact-create", args=[project.pk, task.pk]),
        {"statement": WORKSHOPS},
        **HTMX,
    )
    assert response.status_code == 200
    assert TOLD_HOW in text(response)


def test_the_chain_shows_indicator_notes_and_leaves_out_what_it_already_says(
    lead_client, project
):
    impact = ImpactFactory(task=TaskFactory(project=project), statement="Staff are paid on time")
    page = text(lead_client.get(reverse("projects:project-chain", args=[project.pk])))
    assert "No indicator yet" in page
    assert 'data-code="no-indicator"' not in page  # the chain says so already
    IndicatorFactory(impact=impact, name="Payroll errors", kind="lagging")
    page = text(lead_client.get(reverse("projects:project-chain", args=[project.pk])))
    assert 'data-code="no-leading-indicator"' in page
    assert 'data-code="no-baseline"' in page


def test_the_notes_cost_no_queries_per_item(lead_client, project):
    def queries():
        cache.clear()  # every part drawn afresh, its notes with it
        with CaptureQueriesContext(connection) as captured:
            lead_client.get(reverse("projects:project-chain", args=[project.pk]))
        return len(captured)

    IndicatorFactory(impact=ImpactFactory(task=TaskFactory(project=project), statement=WORKSHOPS))
    queries()  # the first request also loads what the session caches
    few = queries()
    for _ in range(4):
        impact = ImpactFactory(task=TaskFactory(project=project), statement=WORKSHOPS)
        IndicatorFactory(impact=impact, name="Number of meetings held")
    assert queries() == few


# --- the whole totem ------------------------------------------------------------------------


def test_the_outcome_focus_page_shows_the_score_verdict_threshold_and_what_to_work_through(
    lead_client, project
):
    impact = ImpactFactory(task=TaskFactory(project=project), statement=WORKSHOPS)
    response = lead_client.get(reverse("projects:project-coach", args=[project.pk]))
    assert response.status_code == 200
    focus = response.context["focus"]
    assert (focus.score, focus.verdict) == (20, "task-focused")
    said = text(response)
    assert '<span class="outcome-focus-number">20</span>' in said
    assert "Task-focused</strong>: 70 or more is outcome-focused, 50 points to go." in said
    assert 'aria-label="Score 20 out of 100; outcome-focused from 70"' in said
    assert "1 of 1 tasks (100%)" in said and "20 / 20" in said
    assert "0 of 1 statements (0%)" in said and "0 / 35" in said
    link = f'href="/projects/{project.pk}/chain/#impact-{impact.pk}"'
    assert link in said
    assert TOLD_HOW in said.split(link)[1]
    assert f'aria-current="page" href="/projects/{project.pk}/outcome-focus/"' in said


def test_an_outcome_focused_totem_says_so(lead_client, project):
    impact = ImpactFactory(
        task=TaskFactory(project=project),
        statement="Staff are paid correctly and on time every month",
    )
    IndicatorFactory(impact=impact, name="Payroll errors", kind="lagging")
    said = text(lead_client.get(reverse("projects:project-coach", args=[project.pk])))
    assert "Outcome-focused</strong>: 70 or more is outcome-focused." in said


def test_an_empty_project_is_not_scored_yet(lead_client, project):
    said = text(lead_client.get(reverse("projects:project-coach", args=[project.pk])))
    assert "Nothing to score yet." in said
    assert "outcome-focus-number" not in said


def test_the_overview_shows_how_outcome_focused_the_whole_totem_is(lead_client, project):
    ImpactFactory(task=TaskFactory(project=project), statement=WORKSHOPS)
    Objective.objects.create(project=project, statement="Reduce legal costs by 20%")
    DesignPrinciple.objects.create(project=project, statement="Deliver high quality advice")
    said = text(lead_client.get(reverse("projects:project-detail", args=[project.pk])))
    assert "outcome-focus-compact" in said
    assert '<span class="outcome-focus-number">20</span>' in said
    coach_url = reverse("projects:project-coach", args=[project.pk])
    assert f'<a href="{coach_url}">7 notes from the coach to work through</a>' in said
    assert TOLD_HOW not in said  # the notes themselves are on the Outcome focus page


def test_a_governor_reads_the_outcome_focus(client, project, member_of):
    ImpactFactory(task=TaskFactory(project=project), statement=WORKSHOPS)
    client.force_login(member_of(ProjectRole.Role.GOVERNOR))
    response = client.get(reverse("projects:project-coach", args=[project.pk]))
    assert response.status_code == 200 and TOLD_HOW in text(response)


@pytest.mark.parametrize("name", ["projects:project-coach", "projects:coach-hint"])
def test_the_coach_only_reads(lead_client, project, name):
    assert lead_client.post(reverse(name, args=[project.pk])).status_code == 405


# --- in real Chromium -------------------------------------------------------------------------


@pytest.mark.browser
def test_a_lead_types_an_activity_and_the_hint_appears_under_the_field(
    page, live_server, signed_in, lead, project, axe_check
):
    from playwright.sync_api import expect

    task = TaskFactory(project=project, title="Run engagement events")
    signed_in(page, live_server, lead)
    page.goto(f"{live_server.url}{reverse('projects:project-chain', args=[project.pk])}")
    blocked = []
    page.on("console", lambda message: "Content Security Policy" in message.text
            and blocked.append(message.text))

    page.locator("summary", has_text="Add an impact").click()
    field = page.locator(f"#new-impact-{task.pk}")
    field.press_sequentially(WORKSHOPS, delay=15)
    hint = page.locator(f"#add-impact-{task.pk} .coach-hint")
    expect(hint).to_contain_text(TOLD_WHAT)
    expect(hint).to_contain_text(EXAMPLE)
    expect(hint).to_have_attribute("aria-live", "polite")
    assert axe_check(page) == []

    # A hint, never a blocker: the impact saves as written, and the note stays on the chain.
    page.get_by_role("button", name="Add impact").click()
    note = page.locator(".coach-note", has_text=TOLD_WHAT)
    note.locator("summary").click()
    expect(note).to_contain_text(EXAMPLE)
    assert Impact.objects.get(task=task).statement == WORKSHOPS
    assert blocked == []
