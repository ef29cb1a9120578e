"""The Outcome focus score on hand-built projects: every figure below is worked out by hand from
the weights (tasks 20, indicators 15, leading 15, measurable 15, statements 35)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import DesignPrinciple, Indicator, Objective
from projects.selectors.coach import (
    THRESHOLD,
    WEIGHTS,
    hint_findings,
    outcome_focus,
)
from projects.tests.factories import ImpactFactory, IndicatorFactory, TaskFactory

pytestmark = pytest.mark.django_db

GOOD_IMPACT = "Staff are paid correctly and on time every month"
TASK_AS_IMPACT = "We will hold workshops to identify issues"


def measurable(impact, *, kind=Indicator.Kind.LEADING, name="Share of payslips paid correctly"):
    """An indicator the coach has nothing to say about."""
    return IndicatorFactory(
        impact=impact,
        name=name,
        kind=kind,
        baseline_value=Decimal("96"),
        target_value=Decimal("99"),
        source="ESR monthly pay report",
        frequency=Indicator.Frequency.MONTHLY,
    )


def principle(project, statement):
    return DesignPrinciple.objects.create(project=project, statement=statement)


def shares(focus):
    return {share.key: (share.count, share.total) for share in focus.shares}


def test_the_weights_add_up_to_100_and_the_threshold_is_70():
    assert sum(WEIGHTS.values()) == 100
    assert THRESHOLD == 70


def test_an_empty_project_scores_0_and_says_there_is_nothing_to_score(project):
    focus = outcome_focus(project)
    assert focus.score == 0
    assert focus.is_empty
    assert focus.verdict == "task-focused"
    assert focus.items == ()
    assert all(share.total == 0 and share.percent == 0 for share in focus.shares)


def test_a_perfect_project_scores_100(project):
    task = TaskFactory(project=project, title="Agree the payroll process across the trusts")
    impact = ImpactFactory(task=task, statement=GOOD_IMPACT)
    indicator = measurable(impact)
    measurable(impact, kind=Indicator.Kind.LAGGING, name="Payroll errors per 1,000 payslips")
    Objective.objects.create(
        project=project,
        statement="Reduce payroll errors from 4% to 1% of payslips by March 2027",
        indicator=indicator,
        baseline_value=Decimal("4"),
        target_value=Decimal("1"),
        deadline=date(2027, 3, 31),
    )
    principle(project, "Advice is self-service wherever possible")

    focus = outcome_focus(project)

    assert focus.score == 100
    assert focus.verdict == "outcome-focused"
    assert focus.items == ()
    assert not focus.is_empty
    assert shares(focus) == {
        "tasks-with-impact": (1, 1),
        "impacts-with-indicator": (1, 1),
        "impacts-with-leading": (1, 1),
        "measurable-indicators": (2, 2),
        "clear-statements": (3, 3),
    }


def test_the_satire_scores_20_and_is_told_how_to_turn_the_task_into_an_impact(project):
    # tasks 1/1 → 20; no indicator → 0 + 0; nothing to measure → 0; the one statement is a
    # task → 0. Total 20.
    task = TaskFactory(project=project, title="Hold workshops")
    impact = ImpactFactory(task=task, statement=TASK_AS_IMPACT)

    focus = outcome_focus(project)

    assert focus.score == 20
    assert focus.verdict == "task-focused"
    assert focus.points_short == 50
    [item] = focus.items
    assert (item.kind, item.number, item.pk) == ("impact", "Impact 1.1", impact.pk)
    assert [f.code for f in item.findings] == ["task-not-impact", "no-indicator"]
    assert "hold workshops" in item.findings[0].message
    assert item.url == f"/projects/{project.pk}/chain/#impact-{impact.pk}"


def test_a_complete_chain_of_tasks_dressed_as_impacts_stays_below_the_threshold(project):
    # 20 + 15 + 15 + 15 + 0 = 65: the wording is what makes a totem outcome-focused.
    impact = ImpactFactory(task=TaskFactory(project=project), statement=TASK_AS_IMPACT)
    measurable(impact)

    focus = outcome_focus(project)

    assert focus.score == 65
    assert focus.verdict == "task-focused"


def test_exactly_the_threshold_is_outcome_focused(project):
    # 20 + 15 + 0 (only lagging) + 0 (no baseline, target, source, frequency) + 35 = 70.
    impact = ImpactFactory(task=TaskFactory(project=project), statement=GOOD_IMPACT)
    IndicatorFactory(impact=impact, name="Payroll errors", kind=Indicator.Kind.LAGGING)

    focus = outcome_focus(project)

    assert focus.score == 70
    assert focus.verdict == "outcome-focused"
    assert focus.points_short == 0
    assert [f.code for f in focus.items[0].findings] == ["no-leading-indicator"]
    assert [f.code for f in focus.items[1].findings] == [
        "no-baseline",
        "no-target",
        "no-source",
        "no-frequency",
    ]


def test_a_mixed_project_worked_out_by_hand(project):
    # Task 1 → a good impact with a measurable leading indicator and a lagging one with no
    # source; task 2 has no impact; one objective with nothing recorded; principles: one too
    # obvious, one fine.
    #   tasks        1/2 × 20 = 10
    #   indicator    1/1 × 15 = 15
    #   leading      1/1 × 15 = 15
    #   measurable   1/2 × 15 =  7.5
    #   statements   2/4 × 35 = 17.5   (impact ✓, objective ✗, principle ✗, principle ✓)
    #   total                   65 → task-focused, 5 points to go
    first = TaskFactory(project=project, title="Agree the process", position=1)
    second = TaskFactory(project=project, title="Produce a communications plan", position=2)
    impact = ImpactFactory(task=first, statement=GOOD_IMPACT)
    measurable(impact)
    lagging = measurable(impact, kind=Indicator.Kind.LAGGING, name="Payroll errors")
    Indicator.objects.filter(pk=lagging.pk).update(source="")
    objective = Objective.objects.create(project=project, statement="Reduce legal costs by 20%")
    obvious = principle(project, "Deliver high quality advice")
    principle(project, "Advice is self-service wherever possible")

    focus = outcome_focus(project)

    assert shares(focus) == {
        "tasks-with-impact": (1, 2),
        "impacts-with-indicator": (1, 1),
        "impacts-with-leading": (1, 1),
        "measurable-indicators": (1, 2),
        "clear-statements": (2, 4),
    }
    assert [share.points_display for share in focus.shares] == ["10", "15", "15", "7.5", "17.5"]
    assert focus.score == 65
    assert (focus.verdict, focus.points_short) == ("task-focused", 5)
    assert [(item.kind, item.number) for item in focus.items] == [
        ("indicator", "Indicator 1.1.2"),
        ("task", "Task 2"),
        ("objective", "Objective 1"),
        ("principle", "Principle 1"),
    ]
    by_kind = {item.kind: item for item in focus.items}
    assert [f.code for f in by_kind["indicator"].findings] == ["no-source"]
    assert by_kind["task"].pk == second.pk
    assert [f.code for f in by_kind["task"].findings] == ["no-impact"]
    assert [f.code for f in by_kind["objective"].findings] == [
        "not-measurable",
        "relative-target-no-baseline",
        "no-target",
        "no-deadline",
    ]
    assert by_kind["objective"].url == (
        f"/projects/{project.pk}/objectives/#objective-{objective.pk}-h"
    )
    assert [f.code for f in by_kind["principle"].findings] == ["applies-to-every-option"]
    assert by_kind["principle"].url == f"/projects/{project.pk}/options/#principle-{obvious.pk}"
    assert focus.finding_count == 7


def test_the_score_is_rounded_down(project):
    # tasks 2/3 × 20 = 13.33; 15 + 15 + 15; statements 2/3 × 35 = 23.33: 81.67 → 81.
    for title in ("One", "Two"):
        measurable(ImpactFactory(task=TaskFactory(project=project, title=title)))
    TaskFactory(project=project, title="Three")
    principle(project, "Provide value for money")

    focus = outcome_focus(project)

    assert focus.score == 81


def test_an_objective_without_a_baseline_uses_its_indicators(project):
    impact = ImpactFactory(task=TaskFactory(project=project), statement=GOOD_IMPACT)
    indicator = measurable(impact)
    Objective.objects.create(
        project=project,
        statement="Reduce payroll errors to 1% of payslips by March 2027",
        indicator=indicator,
        target_value=Decimal("1"),
        deadline=date(2027, 3, 31),
    )

    assert outcome_focus(project).score == 100


def test_the_score_takes_a_fixed_number_of_queries_whatever_the_size_of_the_project(project):
    def count():
        with CaptureQueriesContext(connection) as queries:
            outcome_focus(project)
        return len(queries)

    impact = ImpactFactory(task=TaskFactory(project=project))
    measurable(impact)
    small = count()
    for _ in range(5):
        task = TaskFactory(project=project)
        for _ in range(3):
            measurable(ImpactFactory(task=task))
        Objective.objects.create(project=project, statement="Reduce costs")
        principle(project, "Deliver high quality advice")
    # The chain as project_chain loads it, then the objectives and the principles.
    assert count() == small <= 7


def test_the_hint_reads_a_statement_as_it_is_typed():
    [finding] = hint_findings(TASK_AS_IMPACT, "impact")
    assert finding.code == "task-not-impact"
    assert hint_findings("   ", "impact") == []
    # An objective's figures and date have fields of their own: only its wording is hinted.
    assert hint_findings("We will reduce waiting times", "objective") == []
    assert [f.code for f in hint_findings("Transform the service going forward", "objective")]
    with pytest.raises(ValueError):
        hint_findings("x", "poem")


def test_the_hint_reads_a_bounded_length():
    findings = hint_findings("Staff are paid on time " * 10_000, "impact")
    assert [f.code for f in findings] == ["too-long"]
