"""Reads of the planning record: the matrix, the register, dependencies that never name a
project the reader cannot open, and the planning rows in the project history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import DesignPrinciple, Objective, ProjectRole, Risk, Scenario, Task
from projects.selectors import planning as selectors
from projects.selectors.chain import project_history, restorable_model
from projects.services import planning as services

from .factories import ProjectFactory, ProjectRoleFactory, UserFactory
from .planning_factories import (
    DependencyFactory,
    IdeaFactory,
    PrincipleFactory,
    RiskFactory,
    ScenarioFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db


def _matrix(project, scores):
    """scores: one list per scenario of one score ("" for none) per principle."""
    principles = [PrincipleFactory(project=project) for _ in scores[0]]
    for row in scores:
        scenario = ScenarioFactory(project=project)
        for principle, score in zip(principles, row, strict=True):
            if score:
                ScoreFactory(scenario=scenario, principle=principle, score=score)
    return selectors.scenario_matrix(project)


def test_the_matrix_has_a_cell_for_every_scenario_and_principle(project):
    matrix = _matrix(project, [["meets", "partly", ""], ["does_not", "meets", "meets"]])
    assert [[cell.score for cell in row.cells] for row in matrix.rows] == [
        ["meets", "partly", ""],
        ["does_not", "meets", "meets"],
    ]
    first = matrix.rows[0]
    assert (first.meets, first.partly, first.does_not, first.unscored) == (1, 1, 0, 1)
    assert first.cells[2].label == "Not scored"
    turned = [[cell.score for cell in cells] for _principle, cells in matrix.by_principle]
    assert turned == [["meets", "does_not"], ["partly", "meets"], ["", "meets"]]


def test_the_matrix_finds_principles_that_do_not_help_choose(project):
    matrix = _matrix(
        project,
        [
            ["meets", "does_not", "meets", "partly", "meets"],
            ["meets", "does_not", "does_not", "partly", ""],
        ],
    )
    flagged = [(matrix.principles.index(p), score) for p, score in matrix.undiscriminating]
    # Met by all, met by none; not: a real difference, all "partly", one scenario scored.
    assert flagged == [(0, "meets"), (1, "does_not")]


def test_the_matrix_takes_three_queries_whatever_its_size(project):
    _matrix(project, [["meets"] * 6 for _ in range(5)])
    with CaptureQueriesContext(connection) as queries:
        selectors.scenario_matrix(project)
    assert len(queries) == 3


@pytest.mark.parametrize(
    "rating,band", [(1, "low"), (3, "low"), (4, "medium"), (6, "medium"), (8, "high"),
                    (12, "high"), (15, "severe"), (25, "severe")]
)
def test_risk_bands(rating, band):
    assert selectors.risk_band(rating) == band


def test_the_register_puts_open_entries_first_highest_rating_first(project):
    closed = RiskFactory(project=project, likelihood=5, impact=5, status="closed")
    low = RiskFactory(project=project, likelihood=1, impact=1)
    mitigated = RiskFactory(project=project, likelihood=5, impact=5, status="mitigated")
    high = RiskFactory(project=project, likelihood=4, impact=5)
    risks = selectors.risk_register(project)
    assert risks == [high, low, mitigated, closed]
    assert selectors.top_risks(risks, count=2) == [high, low]
    assert selectors.top_risks(risks) == [high, low, mitigated]


def test_the_heat_map_counts_entries_not_closed(project):
    RiskFactory(project=project, likelihood=5, impact=1)
    RiskFactory(project=project, likelihood=5, impact=1, status="mitigated")
    RiskFactory(project=project, likelihood=2, impact=4, status="closed")
    grid = selectors.risk_heat_map(selectors.risk_register(project))
    assert [cell.likelihood for cell in grid[0]] == [5] * 5  # the top row is likelihood 5
    assert [cell.impact for cell in grid[0]] == [1, 2, 3, 4, 5]
    counts = {(c.likelihood, c.impact): len(c.risks) for row in grid for c in row if c.risks}
    assert counts == {(5, 1): 2}
    assert grid[0][4].band == "severe" and grid[4][0].band == "low"


def test_a_dependency_names_only_a_project_the_reader_may_open(project):
    reader = UserFactory()
    visible = ProjectFactory(title="Regional HR system")
    ProjectRoleFactory(project=visible, user=reader, role="viewer")
    archived = ProjectFactory(title="Archived", archived_at=timezone.now())
    ProjectRoleFactory(project=archived, user=reader, role="contributor")
    secret = ProjectFactory(title="Secret")
    for other in (visible, archived, secret):
        DependencyFactory(project=project, other_project=other, other_project_name="")
    DependencyFactory(project=project, other_project_name="Not in Totem")
    found = selectors.project_dependencies(project, reader)
    assert [(d.linked, d.hidden_link) for d in found] == [
        (visible, False), (None, True), (None, True), (None, False)
    ]
    assert list(selectors.linkable_projects(reader)) == [visible]


def test_the_lead_of_an_archived_project_may_still_link_it(project):
    lead = UserFactory()
    archived = ProjectFactory(archived_at=timezone.now())
    ProjectRoleFactory(project=archived, user=lead, role=ProjectRole.Role.LEAD)
    assert list(selectors.linkable_projects(lead)) == [archived]


def test_planning_summary(project, lead):
    Objective.objects.create(project=project, statement="Cut the cost per payslip by 25%")
    chosen = ScenarioFactory(project=project, is_chosen=True)
    ScenarioFactory(project=project)
    for _ in range(7):
        RiskFactory(project=project)
    RiskFactory(project=project, status="closed")
    IdeaFactory(project=project)
    IdeaFactory(project=project, task=None, task_title="")
    summary = selectors.planning_summary(project, lead)
    assert summary.chosen.scenario == chosen
    assert len(summary.top_risks) == 5 and summary.open_risks == 7
    assert summary.open_ideas == 2
    assert [o.statement for o in summary.objectives] == ["Cut the cost per payslip by 25%"]


def test_planning_rows_show_in_the_project_history_with_their_own_labels(project):
    principle = services.principle_create(project=project, statement="Self-service first")
    scenario = services.scenario_create(project=project, title="Lead employer")
    services.principle_scores_set(
        project=project, cells={(scenario.pk, principle.pk): ("", "partly")}
    )
    services.idea_create(project=project, user=None, note="Ask the North trusts")
    services.risk_create(project=project, title="Staff leave")
    services.dependency_create(
        project=project, user=None, description="HR system first", other_project_name="ESR"
    )
    labels = {(e.kind, e.action): e.label for e in project_history(project)}
    assert labels[("principle", "created")] == "Self-service first"
    assert labels[("scenario", "created")] == "Lead employer"
    assert labels[("score", "created")] == "Lead employer against “Self-service first”: Partly"
    assert labels[("idea", "created")] == "Ask the North trusts"
    assert labels[("risk", "created")] == "Staff leave"
    assert labels[("dependency", "created")] == "HR system first"


def test_a_score_keeps_its_label_after_its_scenario_is_deleted(project):
    score = ScoreFactory(scenario__project=project, scenario__title="Outsource")
    services.record_delete(item=Scenario.objects.get(pk=score.scenario_id))
    deleted = [e for e in project_history(project) if e.kind == "score"]
    assert deleted[0].action == "deleted"
    assert deleted[0].label.startswith("Outsource against")


def test_only_the_last_deletion_of_a_row_still_gone_is_restorable(project):
    pk = PrincipleFactory(project=project).pk
    first = services.record_delete(item=DesignPrinciple.objects.get(pk=pk))
    services.record_restore(project=project, model=DesignPrinciple, history_id=first)
    services.record_delete(item=DesignPrinciple.objects.get(pk=pk))
    deletions = [e for e in project_history(project) if e.action == "deleted"]
    assert [e.restorable for e in deletions] == [True, False]
    assert restorable_model("principle") is DesignPrinciple
    assert restorable_model("score") is None
    assert restorable_model("task") is Task  # the chain is restorable too


def test_history_since_a_moment(project):
    RiskFactory(project=project, title="Before")
    moment = timezone.now()
    Risk.objects.update(updated_at=moment)  # bookkeeping only: no history
    services.risk_create(project=project, title="After")
    assert [e.label for e in project_history(project, since=moment)] == ["After"]
    long_ago = moment - datetime.timedelta(days=1)
    risks = [e for e in project_history(project, since=long_ago) if e.kind == "risk"]
    assert len(risks) == 2


def test_the_history_takes_a_fixed_number_of_queries(project):
    def count():
        with CaptureQueriesContext(connection) as queries:
            project_history(project)
        return len(queries)

    def one_of_each():
        ScoreFactory(scenario__project=project)
        IdeaFactory(project=project)
        DependencyFactory(project=project)
        RiskFactory(project=project)

    one_of_each()
    before = count()
    for _ in range(4):
        one_of_each()
    assert count() == before


def test_a_restored_row_shows_as_restored(project):
    pk = RiskFactory(project=project, title="Staff leave").pk
    history_id = services.record_delete(item=Risk.objects.get(pk=pk))
    services.record_restore(project=project, model=Risk, history_id=history_id)
    actions = [e.action for e in project_history(project) if e.kind == "risk"]
    assert actions == ["restored", "deleted", "created"]
