"""The overview reads like a one-page business case — why, what, which option and how we will
know — and tells each reader what others changed since their last visit."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import build_chain
from projects.models import Objective, ProjectVisit
from projects.services import planning as services
from projects.views import planning as planning_views

from .planning_factories import (
    PrincipleFactory,
    RiskFactory,
    ScenarioFactory,
    ScoreFactory,
)


def overview(client, project):
    return client.get(reverse("projects:project-detail", args=[project.pk]))


def test_an_empty_project_says_what_is_missing(lead_client, project):
    page = overview(lead_client, project)
    assert page.status_code == 200
    for text in (
        "No measurable objectives yet",
        "No design principles yet.",
        "No scenario has been chosen yet",
        "No open risks, constraints or issues recorded.",
    ):
        assert text in page.text


def test_the_overview_tells_the_whole_plan(client, project, member_of):
    Objective.objects.create(project=project, statement="Cut the cost per payslip by 25%")
    principle = PrincipleFactory(
        project=project, statement="Self-service first", agreed_by="Joint board",
        agreed_on=datetime.date(2026, 3, 12),
    )
    chosen = ScenarioFactory(
        project=project, title="Lead employer", is_chosen=True, chosen_by="Joint board",
        chosen_on=datetime.date(2026, 5, 14), likelihood=75, recommendation="proceed",
    )
    ScoreFactory(scenario=chosen, principle=principle, score="meets")
    ScenarioFactory(project=project, title="Outsource", recommendation="do_not_proceed")
    RiskFactory(project=project, title="Staff leave", likelihood=5, impact=4, owner="Lena")
    RiskFactory(project=project, title="Closed long ago", status="closed")
    client.force_login(member_of("governor"))
    page = overview(client, project)
    text = page.text
    assert "Cut the cost per payslip by 25%" in text
    assert "Self-service first" in text and "Agreed on 12 Mar 2026 by Joint board" in text
    assert "Chosen on 14 May 2026 by Joint board" in text
    assert "1 met, 0 partly, 0 not met of 1 principle" in text
    assert "Outsource" in text and "Do not proceed" in text
    assert "Staff leave" in text and "20 · severe" in text
    assert "Closed long ago" not in text
    assert "Edit details" not in text  # a governor reads; the lead edits


def test_the_first_visit_is_recorded_and_said(lead_client, project, lead):
    page = overview(lead_client, project)
    assert "This is your first visit" in page.text
    assert ProjectVisit.objects.filter(project=project, user=lead).exists()


def test_the_next_visit_lists_what_others_changed_since(client, project, member_of, lead):
    governor = member_of("governor")
    client.force_login(governor)
    overview(client, project)
    services.risk_create(project=project, title="Staff leave")  # by "system"
    client.force_login(lead)
    overview(client, project)  # the lead's own first visit
    client.force_login(governor)
    page = overview(client, project)
    assert "Staff leave" in page.text and "1 change by others since" in page.text
    page = overview(client, project)
    assert "Nothing changed by others since your last visit" in page.text


def test_my_own_changes_are_not_news_to_me(lead_client, project, lead):
    overview(lead_client, project)
    lead_client.post(
        reverse("projects:record-create", args=[project.pk, "risks"]),
        {"kind": "risk", "title": "Staff leave", "likelihood": 3, "impact": 3, "status": "open"},
    )
    page = overview(lead_client, project)
    assert "Nothing changed by others since your last visit" in page.text


def test_other_apps_add_panels_without_projects_importing_them(lead_client, project, monkeypatch):
    def readiness(project, user, tasks):
        return {"template": "projects/planning/_score_summary.html", "row": None}

    monkeypatch.setitem(planning_views.OVERVIEW_PANELS, "readiness", readiness)
    page = overview(lead_client, project)
    assert "No principles to score against yet" in page.text


def test_without_a_panel_the_overview_says_there_is_no_verdict(lead_client, project, monkeypatch):
    monkeypatch.delitem(planning_views.OVERVIEW_PANELS, "readiness", raising=False)
    assert "No readiness verdict yet." in overview(lead_client, project).text


def test_the_overview_takes_a_fixed_number_of_queries(lead_client, project):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert overview(lead_client, project).status_code == 200
        return len(queries)

    def grow():
        build_chain(project, tasks=2)
        PrincipleFactory(project=project)
        ScoreFactory(scenario__project=project)
        RiskFactory(project=project)

    overview(lead_client, project)
    grow()  # something of every kind changed since the last visit
    before = count()
    for _ in range(3):
        grow()
    assert count() == before


@pytest.mark.parametrize("role", ["viewer", "governor", "contributor", "lead"])
def test_every_role_reads_the_overview(client, project, member_of, role):
    client.force_login(member_of(role))
    assert overview(client, project).status_code == 200
