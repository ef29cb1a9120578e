"""The governors' project pack as a list of sections: the registry.

A section is a loader, a template and a line in `PROJECT_PACK`:

- `load(record)` returns the data the template shows (model rows, dataclasses, plain values),
  or None / an empty value to leave the section out — that is how a section whose app or data
  is not there yet stays out of the pack.
- `present(data, presenting)`, optional, derives what is drawn from the data (charts, SPC
  verdicts, objective status on the pack's date, changes since the previous pack). It must
  depend on nothing but the data, the pack's version and date, and the earlier packs.
- The template gets `data`, `view` (what `present` returned) and `pack`.
- Loaders run only when a pack is rendered. A stored pack is found again by the fingerprint of
  the rows it is drawn from (`record.RECORD_SOURCES`): a section that reads another table adds
  a `Source` for it there, or its changes would not make a new version.

"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q

from assessments import charts as assessment_charts
from assessments import selectors as assessment_selectors
from assessments.models import Assessment
from projects import charts, spc, trajectory
from projects.figures import figure
from projects.models import Indicator, Risk, Scenario
from projects.selectors import chain_gaps, project_history
from projects.selectors.coach import score_outcome_focus
from projects.selectors.measures import objective_status

from .poster import pack_scale, poster_layout
from .record import ProjectRecord


@dataclass(frozen=True)
class Presenting:
    """What `present` may use besides its own data."""

    record: ProjectRecord
    version: int
    made_on: date
    previous: Any  # the previous version of this pack (a ready totem.models.Pack), or None
    loaded: dict[str, Any] = field(default_factory=dict)  # every section's data, by key


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    load: Callable[[ProjectRecord], Any]
    present: Callable[[Any, Presenting], Any] | None = None
    new_page: bool = True


# --- indicators: verdicts and charts, shared by the summary, the chain and the charts ----------

VARIATION_WORDS = {
    spc.VARIATION_IMPROVEMENT: ("improvement", "Improving"),
    spc.VARIATION_CONCERN: ("concern", "Concern"),
    spc.VARIATION_COMMON: ("common", "No significant change"),
    spc.NOT_ENOUGH_DATA: ("none", "Not enough data"),
}
ASSURANCE_WORDS = {
    spc.ASSURANCE_PASSING: "Will consistently meet the target",
    spc.ASSURANCE_FAILING: "Will consistently miss the target",
    spc.ASSURANCE_HIT_AND_MISS: "Hit and miss against the target",
    spc.NOT_ENOUGH_DATA: "Too few points to judge against the target",
    spc.ASSURANCE_NO_TARGET: "No target set",
}


@dataclass(frozen=True)
class IndicatorStatus:
    indicator: Indicator
    count: int
    latest_value: float | None
    latest_date: date | None
    css: str
    verdict: str
    assurance: str
    analysis: spc.SpcResult


def indicator_status(record: ProjectRecord, indicator: Indicator) -> IndicatorStatus:
    """The SPC verdicts of one indicator, computed once per pack."""
    cache = record.__dict__.setdefault("_indicator_status", {})
    if indicator.pk not in cache:
        series = [(m.date, m.value) for m in record.measurements.get(indicator.pk, [])]
        result = spc.spc_analyse(
            series,
            direction=indicator.direction,
            target=indicator.target_value,
            baseline_end=indicator.spc_baseline_end,
            change_points=record.change_points.get(indicator.pk, []),
            unit=indicator.unit,
        )
        latest = result.points[-1] if result.points else None
        css, verdict = VARIATION_WORDS[result.variation]
        cache[indicator.pk] = IndicatorStatus(
            indicator=indicator,
            count=len(result.points),
            latest_value=latest.value if latest else None,
            latest_date=latest.date if latest else None,
            css=css,
            verdict=verdict,
            assurance=ASSURANCE_WORDS[result.assurance],
            analysis=result,
        )
    return cache[indicator.pk]


def _measurement_series(record: ProjectRecord) -> dict[int, list]:
    """What the indicator verdicts are computed from, for the fingerprint."""
    return {
        "measurements": {
            pk: [(m.date, m.value, m.note, m.approval) for m in rows]
            for pk, rows in record.measurements.items()
        },
        "change_points": record.change_points,
    }


# --- summary ------------------------------------------------------------------------------

OBJECTIVE_STATUS = {
    trajectory.ON_TRACK: ("improvement", "On track"),
    trajectory.AT_RISK: ("common", "At risk"),
    trajectory.OFF_TRACK: ("concern", "Off track"),
    trajectory.ACHIEVED: ("improvement", "Achieved"),
    trajectory.MISSED: ("concern", "Missed"),
    trajectory.NO_DATA: ("none", "No data yet"),
}
CHANGES_SHOWN = 12


def load_summary(record: ProjectRecord):
    project = record.project
    return {
        "project": project,
        "stage": project.get_stage_display(),
        "counts": {
            "tasks": len(record.tasks),
            "impacts": len(record.impacts),
            "indicators": len(record.indicators),
            "leading": sum(1 for i in record.indicators if i.is_leading),
        },
        "gaps": chain_gaps(record.tasks),
        "objectives": record.objectives,
        "series": _measurement_series(record),
    }


@dataclass(frozen=True)
class ObjectiveLine:
    statement: str
    css: str
    status: str
    summary: str


def _objective_line(objective, record: ProjectRecord, made_on: date) -> ObjectiveLine:
    indicator = next((i for i in record.indicators if i.pk == objective.indicator_id), None)
    values = record.measurements.get(indicator.pk, []) if indicator else []
    status = objective_status(
        objective,
        indicator,
        [(m.date, m.value) for m in values],
        today=made_on,
        spc_state=record.spc_states.get(indicator.pk) if indicator else None,
    )
    if status.trajectory is None:
        reason = status.no_status_reason
        summary = reason[0].upper() + reason[1:] + "."
        return ObjectiveLine(objective.statement, "none", "Not measurable yet", summary)
    css, words = OBJECTIVE_STATUS[status.status]
    summary = " ".join(filter(None, [status.trajectory.summary, status.reconciled]))
    return ObjectiveLine(objective.statement, css, words, summary)


def present_summary(data, presenting: Presenting):
    record = presenting.record
    previous = presenting.previous
    changes, more = [], 0
    new_comments = new_decisions = 0
    if previous is not None:
        since = previous.created_at
        entries = [e for e in project_history(record.project, limit=200) if e.when > since]
        changes, more = entries[:CHANGES_SHOWN], max(0, len(entries) - CHANGES_SHOWN)
        new_comments = sum(1 for c in record.comments if c.created_at > since)
        new_decisions = sum(1 for d in record.decisions if d.recorded_at > since)
    return {
        "readiness": presenting.loaded.get("readiness"),
        "open_decisions": (presenting.loaded.get("decisions") or {}).get("open", []),
        "objectives": [_objective_line(o, record, presenting.made_on) for o in data["objectives"]],
        "previous": previous,
        "changes": changes,
        "more_changes": more,
        "new_comments": new_comments,
        "new_decisions": new_decisions,
        "tally": _tally(indicator_status(record, i) for i in record.indicators),
        "figures": record.figures_approved,
    }


def _tally(statuses) -> list[tuple[str, str, int]]:
    """(css, verdict, count) for each verdict that occurs, in a fixed order."""
    counts = Counter(status.verdict for status in statuses)
    return [(css, words, counts[words]) for css, words in VARIATION_WORDS.values() if counts[words]]


# --- the poster, the chain and the charts --------------------------------------------------


def load_poster(record: ProjectRecord):
    return record.tasks or None


def present_poster(tasks, presenting: Presenting):
    # The A3 poster's own layout, scaled onto the pack's A4 landscape page (273 x 182 mm less
    # the heading and the note below).
    return pack_scale(poster_layout(tasks, paper="A3"), width_mm=273, height_mm=158)


def load_chain(record: ProjectRecord):
    if not record.tasks:
        return None
    return {"tasks": record.tasks, "series": _measurement_series(record)}


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    status: IndicatorStatus
    baseline: str
    target: str
    latest: str


def _number(value, unit: str = "") -> str:
    return "—" if value is None else figure(value, unit)


def present_chain(data, presenting: Presenting):
    record = presenting.record
    blocks = []
    for t, task in enumerate(data["tasks"], start=1):
        impacts = []
        for m, impact in enumerate(task.impacts.all(), start=1):
            rows = []
            for indicator in impact.indicators.all():
                status = indicator_status(record, indicator)
                rows.append(
                    IndicatorRow(
                        indicator,
                        status,
                        _number(indicator.baseline_value, indicator.unit),
                        _number(indicator.target_value, indicator.unit),
                        _number(status.latest_value, indicator.unit),
                    )
                )
            impacts.append({"impact": impact, "number": f"{t}.{m}", "rows": rows})
        blocks.append({"task": task, "number": t, "impacts": impacts})
    return {"tasks": blocks}


CHART_WIDTH, CHART_HEIGHT = 640, 210


POINT_RADIUS = 3.4


@dataclass(frozen=True)
class ChartView:
    number: str
    status: IndicatorStatus
    geometry: charts.ChartGeometry
    summary: str
    # The many small shapes of a chart as a few paths: WeasyPrint draws SVG node by node, and
    # twenty charts of two dozen points each otherwise cost a second of every render.
    grid: str
    points: dict[str, str]  # classification -> one path of all its dots


def _dots(points) -> str:
    r = POINT_RADIUS
    return "".join(
        f"M{p.x - r:.1f},{p.y}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0" for p in points
    )


def load_charts(record: ProjectRecord):
    measured = [i for i in record.indicators if record.measurements.get(i.pk)]
    if not measured:
        return None
    return {"indicators": measured, "series": _measurement_series(record)}


def present_charts(data, presenting: Presenting):
    numbers = _chain_numbers(presenting.record)
    views = []
    for indicator in data["indicators"]:
        status = indicator_status(presenting.record, indicator)
        series = [(p.date, p.value) for p in status.analysis.points]
        geometry = charts.chart_geometry(
            series,
            width=CHART_WIDTH,
            height=CHART_HEIGHT,
            baseline=indicator.baseline_value,
            target=indicator.target_value,
            spc=status.analysis,
            unit=indicator.unit,
        )
        classes = {"improvement": [], "concern": [], "other": []}
        provisional = presenting.record.provisional_dates.get(indicator.pk, set())
        for point in geometry.points:
            kind = point.classification if point.classification in classes else "other"
            if point.date in provisional:  # drawn hollow: not approved yet
                kind += "-provisional"
            classes.setdefault(kind, []).append(point)
        views.append(
            ChartView(
                numbers[indicator.pk],
                status,
                geometry,
                status.analysis.summary,
                grid="".join(
                    f"M{geometry.plot_left},{tick.position}H{geometry.plot_right}"
                    for tick in geometry.y_ticks
                ),
                points={name: _dots(points) for name, points in classes.items() if points},
            )
        )
    return views


def _chain_numbers(record: ProjectRecord) -> dict[int, str]:
    """Indicator id -> "2.1.3": task, impact and indicator numbers, as the chain tables show."""
    numbers = {}
    for t, task in enumerate(record.tasks, start=1):
        for m, impact in enumerate(task.impacts.all(), start=1):
            for n, indicator in enumerate(impact.indicators.all(), start=1):
                numbers[indicator.pk] = f"{t}.{m}.{n}"
    return numbers


# --- the planning record ------------------------------------------------------------------


def load_principles(record: ProjectRecord):
    if not record.principles:
        return None
    return {
        "principles": record.principles,
        "scenarios": record.scenarios,
        "scores": {f"{s}-{p}": label for (s, p), label in record.principle_scores.items()},
    }


def present_principles(data, presenting: Presenting):
    rows = []
    for principle in data["principles"]:
        cells = [data["scores"].get(f"{s.pk}-{principle.pk}", "") for s in data["scenarios"]]
        scored = [c for c in cells if c]
        # A principle every option meets equally does not help choose between them.
        undiscriminating = len(scored) > 1 and len(set(scored)) == 1
        rows.append({"principle": principle, "cells": cells, "undiscriminating": undiscriminating})
    return {"rows": rows}


def load_scenarios(record: ProjectRecord):
    return record.scenarios or None


def load_baseline(record: ProjectRecord):
    return record.baseline or None


def load_risks(record: ProjectRecord):
    risks = [r for r in record.risks if r.status != Risk.Status.CLOSED]
    return sorted(risks, key=lambda r: (-r.rating, r.position, r.pk)) or None


# --- decisions and comments ----------------------------------------------------------------


@dataclass(frozen=True)
class DecisionLine:
    version: int
    outcome: str
    outcome_code: str
    conditions: str
    decided_on: date
    decided_by: str
    recorded_by: str
    sha256: str


def load_decisions(record: ProjectRecord):
    past = [
        DecisionLine(
            version=d.pack.version,
            outcome=d.get_outcome_display(),
            outcome_code=d.outcome,
            conditions=d.conditions,
            decided_on=d.decided_on,
            decided_by=d.decided_by,
            recorded_by=_name(d.recorded_by),
            sha256=d.pack_sha256,
        )
        for d in record.decisions
    ]
    open_items = []
    latest = record.decisions[0] if record.decisions else None
    if latest is None:
        open_items.append("Sign-off of the project: no decision has been recorded yet.")
    elif latest.is_open:
        what = "deferred" if latest.outcome == latest.Outcome.DEFERRED else "approved on conditions"
        open_items.append(
            f"The decision of {latest.decided_on.day} {latest.decided_on:%B %Y} on version "
            f"{latest.pack.version} "
            f"was {what}: {latest.conditions or 'no reasons recorded'}"
        )
    if record.scenarios and not any(s.is_chosen for s in record.scenarios):
        proceed = [
            s for s in record.scenarios if s.recommendation == Scenario.Recommendation.PROCEED
        ]
        open_items.append(
            f"Choose an outcome scenario: {len(record.scenarios)} on the table"
            + (f", {len(proceed)} recommended to proceed." if proceed else ".")
        )
    chosen = [s for s in record.scenarios if s.is_chosen]
    return {"open": open_items, "past": past, "chosen": chosen}


@dataclass(frozen=True)
class CommentLine:
    on: str
    author: str
    created_at: object
    body: str


def _name(user) -> str:
    if user is None:
        return "a former user"
    return user.get_full_name() or user.username


def load_comments(record: ProjectRecord):
    numbers = {}
    for t, task in enumerate(record.tasks, start=1):
        numbers[("task", task.pk)] = f"Task {t}: {task.title}"
        for m, impact in enumerate(task.impacts.all(), start=1):
            numbers[("impact", impact.pk)] = f"Impact {t}.{m}: {impact.statement}"
            for n, indicator in enumerate(impact.indicators.all(), start=1):
                numbers[("indicator", indicator.pk)] = f"Indicator {t}.{m}.{n}: {indicator.name}"
    groups: dict[str, list[CommentLine]] = {}
    for comment in record.comments:
        key = next(
            ((kind, getattr(comment, f"{kind}_id")) for kind in ("task", "impact", "indicator")
             if getattr(comment, f"{kind}_id")),
            None,
        )
        on = numbers.get(key, "The project") if key else "The project"
        line = CommentLine(on, _name(comment.author), comment.created_at, comment.body)
        groups.setdefault(on, []).append(line)
    return [{"on": on, "comments": lines} for on, lines in groups.items()] or None


# --- the outcome coach: how outcome-focused the totem is -----------------------------------


def load_outcome_focus(record: ProjectRecord):
    focus = score_outcome_focus(
        project_id=record.project.pk,
        tasks=record.tasks,
        objectives=record.objectives,
        principles=record.principles,
    )
    return None if focus.is_empty else focus


# --- readiness and self-assessment (assessments) -------------------------------------------


def load_readiness(record: ProjectRecord):
    """The project's latest readiness checklist, summarised, or None before the first."""
    return assessment_selectors.readiness_summary(record.project)


@dataclass(frozen=True)
class RoundSummary:
    results: Any  # assessments.selectors.RoundResults
    heatmap: Any  # assessments.charts.Heatmap
    previous: Any  # the organisation's previous submitted round of the framework, or None
    comparison: Any  # assessments.selectors.Comparison with it, or None

    @property
    def assessment(self):
        return self.results.assessment


def previous_round(assessment):
    """The same organisation's submitted round of the same framework just before it."""
    return (
        Assessment.objects.filter(
            organisation=assessment.organisation_id,
            framework__slug=assessment.framework.slug,
            status=Assessment.Status.SUBMITTED,
        )
        .filter(
            Q(assessed_on__lt=assessment.assessed_on)
            | Q(assessed_on=assessment.assessed_on, pk__lt=assessment.pk)
        )
        .select_related("framework", "organisation")
        .order_by("-assessed_on", "-pk")
        .first()
    )


def round_summary(assessment) -> RoundSummary:
    results = assessment_selectors.round_results(assessment)
    previous = previous_round(assessment)
    comparison = None
    if previous is not None:
        try:
            comparison = assessment_selectors.rounds_compare(previous, assessment)
        except assessment_selectors.NotComparable:
            comparison = None
    return RoundSummary(results, assessment_charts.heatmap(results), previous, comparison)


def project_rounds(project):
    """Submitted rounds about the project (linked to it), else of its lead organisation."""
    submitted = Assessment.objects.filter(status=Assessment.Status.SUBMITTED).select_related(
        "framework", "organisation"
    )
    order = ("-assessed_on", "-pk")
    linked = submitted.filter(projects=project).order_by(*order)
    return linked if linked.exists() else submitted.filter(
        organisation=project.lead_organisation_id
    ).order_by(*order)


def load_self_assessment(record: ProjectRecord):
    latest = project_rounds(record.project).first()
    return None if latest is None else round_summary(latest)


# --- the registry --------------------------------------------------------------------------

PROJECT_PACK: list[Section] = [
    Section("summary", "Summary", "packs/pdf/sections/summary.html", load_summary, present_summary),
    Section("poster", "The Impact Totem", "packs/pdf/sections/poster.html", load_poster,
            present_poster),
    Section("chain", "The chain: tasks, impacts and indicators", "packs/pdf/sections/chain.html",
            load_chain, present_chain),
    Section("outcome_focus", "Outcome focus", "packs/pdf/sections/outcome_focus.html",
            load_outcome_focus),
    Section("charts", "Indicator charts", "packs/pdf/sections/charts.html", load_charts,
            present_charts),
    Section("readiness", "Readiness checklist", "packs/pdf/sections/readiness.html",
            load_readiness),
    Section("self_assessment", "Latest self-assessment", "packs/pdf/sections/self_assessment.html",
            load_self_assessment),
    Section("principles", "Design principles", "packs/pdf/sections/principles.html",
            load_principles, present_principles),
    Section("scenarios", "Outcome scenarios", "packs/pdf/sections/scenarios.html",
            load_scenarios, new_page=False),
    Section("baseline", "Baseline", "packs/pdf/sections/baseline.html", load_baseline),
    Section("risks", "Open risks and issues", "packs/pdf/sections/risks.html", load_risks,
            new_page=False),
    Section("decisions", "Decisions", "packs/pdf/sections/decisions.html", load_decisions),
    Section("comments", "Comments from reviewers", "packs/pdf/sections/comments.html",
            load_comments, new_page=False),
]
