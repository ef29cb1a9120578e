"""Reads for indicators over time, each in a fixed number of queries whatever the project's size.

The SPC verdicts of an indicator come from `indicator_analysis`, which works on the series
`attach_series` puts on every indicator of a chain (one query of (date, value) pairs: a poster
of 160 indicators x 60 months builds no Measurement objects), or on the indicator's prefetched
measurements on its own page. It keeps its answer on the indicator so the poster, the icons and
the roll-up of its impact and task compute it once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404

from .. import charts, imports, rollup, spc, trajectory
from ..models import (
    BaselineEntry,
    ChangePoint,
    Impact,
    Indicator,
    Measurement,
    Objective,
    Project,
    Task,
)
from ..templatetags.totem_format import with_unit

CHART_WIDTH = 760
CHART_HEIGHT = 300

# How many months after the last value an indicator is due again; None: only when it happens.
DUE_AFTER_MONTHS = {
    Indicator.Frequency.WEEKLY: 0,
    Indicator.Frequency.MONTHLY: 1,
    "": 1,
    Indicator.Frequency.QUARTERLY: 3,
    Indicator.Frequency.TERMLY: 4,
    Indicator.Frequency.ANNUALLY: 12,
    Indicator.Frequency.AD_HOC: None,
}


# --- SPC verdicts and the roll-up ------------------------------------------------------------


@dataclass(frozen=True)
class SeriesPoint:
    date: date
    value: Decimal


@dataclass(frozen=True)
class IndicatorAnalysis:
    spc: spc.SpcResult
    state: rollup.State
    latest: SeriesPoint | None
    count: int

    @property
    def variation(self) -> str:
        return self.spc.variation

    @property
    def assurance(self) -> str:
        return self.spc.assurance

    @property
    def variation_side(self) -> str | None:
        """HIGH or LOW for a special cause on the latest point: the letter on its icon."""
        return self.spc.points[-1].side if self.spc.points else None


def indicator_analysis(indicator: Indicator) -> IndicatorAnalysis:
    """The SPC analysis and state of `indicator`, computed once per loaded indicator."""
    cached = getattr(indicator, "_totem_analysis", None)
    if cached is not None:
        return cached
    series = indicator_series(indicator)
    result = _spc_analyse(
        tuple((point.date, point.value) for point in series),
        direction=indicator.direction,
        target=indicator.target_value,
        baseline_end=indicator.spc_baseline_end,
        change_points=tuple(c.date for c in indicator.change_points.all()),
        unit=indicator.unit,
    )
    analysis = IndicatorAnalysis(
        spc=result,
        state=rollup.indicator_state(result.variation, result.assurance),
        latest=series[-1] if series else None,
        count=len(series),
    )
    indicator._totem_analysis = analysis
    return analysis


@lru_cache(maxsize=1024)
def _spc_analyse(points: tuple, **settings) -> spc.SpcResult:
    """spc_analyse, remembered by its inputs: every value, date and setting is in the key, so a
    result can never be stale, and a poster shown again (160 indicators: about 150 ms of
    analysis) costs only the lookups. The results are frozen dataclasses, safe to share."""
    return spc.spc_analyse(points, **settings)


def indicator_series(indicator: Indicator) -> list[SeriesPoint]:
    """The indicator's values by date: attached by `attach_series`, else its measurements."""
    series = getattr(indicator, "series", None)
    if series is None:
        measurements = sorted(indicator.measurements.all(), key=_measurement_date)
        series = [SeriesPoint(m.date, m.value) for m in measurements]
    return series


def attach_series(project: Project, tasks: Iterable[Task]) -> None:
    """Put `.series` (its values by date) on every indicator of a chain: one query."""
    by_indicator: dict[int, list[SeriesPoint]] = {}
    rows = Measurement.objects.filter(project=project).order_by("date")
    for indicator_id, when, value in rows.values_list("indicator_id", "date", "value"):
        by_indicator.setdefault(indicator_id, []).append(SeriesPoint(when, value))
    for task in tasks:
        for impact in task.impacts.all():
            for indicator in impact.indicators.all():
                indicator.series = by_indicator.get(indicator.pk, [])


def attach_values(tasks: Iterable[Task]) -> None:
    """Put `.series` and the `change_points` on every indicator of these tasks of a chain
    loaded without values: two queries, whatever the number of tasks."""
    indicators = [
        i for task in tasks for impact in task.impacts.all() for i in impact.indicators.all()
    ]
    prefetch_related_objects(
        indicators, Prefetch("change_points", queryset=ChangePoint.objects.order_by("date"))
    )
    by_indicator: dict[int, list[SeriesPoint]] = {}
    rows = Measurement.objects.filter(indicator__in=indicators).order_by("date")
    for indicator_id, when, value in rows.values_list("indicator_id", "date", "value"):
        by_indicator.setdefault(indicator_id, []).append(SeriesPoint(when, value))
    for indicator in indicators:
        indicator.series = by_indicator.get(indicator.pk, [])


def _measurement_date(measurement: Measurement) -> date:
    return measurement.date


def impact_state(impact: Impact) -> rollup.State:
    return rollup.combine(indicator_analysis(i).state for i in impact.indicators.all())


def task_state(task: Task) -> rollup.State:
    return rollup.combine(impact_state(impact) for impact in task.impacts.all())


def leading_without_data(impact: Impact) -> list[Indicator]:
    """The impact's leading indicators that have no measurement yet."""
    return [i for i in impact.indicators.all() if i.is_leading and not indicator_analysis(i).count]


# --- one indicator's page ----------------------------------------------------------------------


def indicator_for_page(project: Project, pk: int) -> Indicator:
    """The indicator with its impact, task, measurements (and who recorded them) and change
    points, or 404: three queries."""
    queryset = Indicator.objects.select_related("impact__task").prefetch_related(
        Prefetch(
            "measurements",
            queryset=Measurement.objects.select_related("recorded_by").order_by("date"),
        ),
        Prefetch("change_points", queryset=ChangePoint.objects.order_by("date")),
    )
    return get_object_or_404(queryset, project=project, pk=pk)


@dataclass(frozen=True)
class ChartPointView:
    point: charts.ChartPoint
    measurement: Measurement
    verdict: str  # "Improvement: run of 7, trend of 7", for a table
    title: str  # the tooltip: date, value and the rules in full
    note_number: int | None


@dataclass(frozen=True)
class Annotation:
    number: int
    when: date
    value: str
    text: str


@dataclass(frozen=True)
class Band:
    x: float
    width: float


@dataclass(frozen=True)
class LineLabel:
    kind: str
    x: float
    y: float
    text: str
    anchor: str  # SVG text-anchor: "start" or "end"


LABEL_GAP = 11  # pixels between the baselines of two line labels: one line of 10px text
LABEL_COLUMN = 104  # pixels right of the plot for the labels of the latest limits and target


@dataclass(frozen=True)
class Chart:
    geometry: charts.ChartGeometry
    points: tuple[ChartPointView, ...]
    annotations: tuple[Annotation, ...]
    baseline_bands: tuple[Band, ...]  # the points each period's limits are computed from
    analysis: IndicatorAnalysis
    unit: str

    line_labels: tuple[LineLabel, ...] = ()

    @property
    def view_width(self) -> int:
        """The SVG's width: the geometry's, and the column of line labels to its right."""
        return self.geometry.width + LABEL_COLUMN

    @property
    def plot_width(self) -> float:
        return round(self.geometry.plot_right - self.geometry.plot_left, 1)

    @property
    def plot_height(self) -> float:
        return round(self.geometry.plot_bottom - self.geometry.plot_top, 1)

    @property
    def tick_bottom(self) -> float:
        return self.geometry.plot_bottom + 4

    @property
    def x_label_y(self) -> float:
        return self.geometry.plot_bottom + 18

    @property
    def tick_label_x(self) -> float:
        return self.geometry.plot_left - 6

    @property
    def point_radius(self) -> float:
        count = len(self.points)
        return 4 if count <= 60 else 3 if count <= 150 else 2


RULE_SHORT = {
    spc.RULE_OUTSIDE_LIMITS: "outside the limits",
    spc.RULE_SHIFT: f"run of {spc.RUN_LENGTH}",
    spc.RULE_TREND: f"trend of {spc.TREND_LENGTH}",
    spc.RULE_TWO_OF_THREE: "2 of 3 beyond 2 sigma",
}
CLASSIFICATION_SHORT = {
    spc.IMPROVEMENT: "Improvement",
    spc.CONCERN: "Concern",
    spc.COMMON: "Common cause",
    spc.UNASSESSED: "Run chart",
}
CLASSIFICATION_TEXT = {
    spc.IMPROVEMENT: "special cause: improvement",
    spc.CONCERN: "special cause: concern",
    spc.COMMON: "common cause",
    spc.UNASSESSED: "run chart: not assessed",
}


def indicator_chart(
    indicator: Indicator, *, width: int = CHART_WIDTH, height: int = CHART_HEIGHT
) -> Chart:
    """The chart of `indicator` (loaded by `indicator_for_page` or `project_chain`)."""
    analysis = indicator_analysis(indicator)
    measurements = sorted(indicator.measurements.all(), key=_measurement_date)
    geometry = charts.chart_geometry(
        [(m.date, m.value) for m in measurements],
        width=width,
        height=height,
        baseline=indicator.baseline_value,
        target=indicator.target_value,
        spc=analysis.spc,
        unit=indicator.unit,
    )
    annotations, views = [], []
    for point, spc_point, measurement in zip(
        geometry.points, analysis.spc.points, measurements, strict=True
    ):
        note = (getattr(measurement, "note", "") or "").strip()
        number = None
        if note:
            number = len(annotations) + 1
            annotations.append(Annotation(number, measurement.date, point.label, note))
        rules = "; ".join(spc.RULES[rule] for rule in spc_point.rules)
        title = f"{point.date_label}: {with_unit(point.label, indicator.unit)} — "
        title += CLASSIFICATION_TEXT[point.classification] + (f" ({rules})" if rules else "")
        short = ", ".join(RULE_SHORT[rule] for rule in spc_point.rules)
        verdict = CLASSIFICATION_SHORT[point.classification] + (f": {short}" if short else "")
        views.append(ChartPointView(point, measurement, verdict, title, number))
    return Chart(
        geometry=geometry,
        points=tuple(views),
        annotations=tuple(annotations),
        baseline_bands=_baseline_bands(geometry, analysis.spc),
        analysis=analysis,
        unit=indicator.unit,
        line_labels=_line_labels(geometry),
    )


def _line_labels(geometry: charts.ChartGeometry) -> tuple[LineLabel, ...]:
    """Labels of the lines that reach the right edge (the latest period's mean and limits, the
    target, the baseline) in a column to the right of the plot, as Making Data Count draws them,
    clear of the points; those of earlier periods just above their line's right end, inside.
    Labels that would overlap are nudged apart."""
    by_end: dict[float, list[charts.HorizontalLine]] = {}
    for line in geometry.lines:
        if line.label:
            by_end.setdefault(line.x2, []).append(line)
    labels = []
    for x2, lines in by_end.items():
        outside = x2 >= geometry.plot_right
        lines = sorted(lines, key=lambda line: line.y)
        # Outside, a label is centred on its line; inside, it sits just above it.
        wanted = [line.y + (3.5 if outside else -4) for line in lines]
        ys: list[float] = []
        for y in wanted:
            ys.append(max(y, ys[-1] + LABEL_GAP) if ys else y)
        overflow = ys[-1] - (geometry.plot_bottom + 3) if ys else 0
        if overflow > 0:
            ys = [y - overflow for y in ys]
        ys = [max(y, geometry.plot_top + 9) for y in ys]
        x, anchor = (x2 + 6, "start") if outside else (x2 - 4, "end")
        for line, y in zip(lines, ys, strict=True):
            labels.append(LineLabel(line.kind, round(x, 1), round(y, 1), line.label, anchor))
    return tuple(labels)


def _baseline_bands(geometry: charts.ChartGeometry, result: spc.SpcResult) -> tuple[Band, ...]:
    if not geometry.points:
        return ()
    band = (geometry.plot_right - geometry.plot_left) / len(geometry.points)
    bands = []
    for segment in result.segments:
        if segment.limits is None:
            continue
        first = geometry.points[segment.start].x - band / 2
        last = geometry.points[segment.start + segment.baseline_count - 1].x + band / 2
        bands.append(Band(round(first, 1), round(last - first, 1)))
    return tuple(bands)


@dataclass(frozen=True)
class MeasurementChange:
    when: object
    who: object
    action: str  # "recorded", "replaced" or "deleted"
    date: date
    old: object  # the value before, for a replacement or a deletion
    new: object
    note: str


def measurement_history(indicator: Indicator, *, limit: int = 50) -> list[MeasurementChange]:
    """The newest `limit` changes to the indicator's values, newest first: two queries."""
    records = list(
        Measurement.history.filter(indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    previous: dict[int, object] = {}
    changes = []
    for record in records:
        before = previous.get(record.id)
        action = {"+": "recorded", "~": "replaced", "-": "deleted"}[record.history_type]
        changes.append(
            MeasurementChange(
                when=record.history_date,
                who=record.history_user,
                action=action,
                date=record.date,
                old=before.value if before is not None else None,
                new=None if action == "deleted" else record.value,
                note=record.note,
            )
        )
        previous[record.id] = record
    return changes[::-1][:limit]


# --- quick entry -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuickEntryRow:
    task: Task
    impact: Impact
    indicator: Indicator
    due: bool
    current: Measurement | None  # the value already recorded for the period, if any
    last: SeriesPoint | None  # the latest value before the period


def months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def is_due(frequency: str, period: date, last: date | None) -> bool:
    """Whether an indicator measured every `frequency` wants a value for `period`."""
    months = DUE_AFTER_MONTHS.get(frequency, 1)
    if months is None:
        return False
    return last is None or months_between(last, period) >= months


def quick_entry_rows(project: Project, tasks: Sequence[Task], period: date) -> list[QuickEntryRow]:
    """Every indicator of a chain loaded by `project_chain`, with what is due for `period`: one
    query, for the values already recorded for the period."""
    current = {m.indicator_id: m for m in Measurement.objects.filter(project=project, date=period)}
    rows = []
    for task in tasks:
        for impact in task.impacts.all():
            for indicator in impact.indicators.all():
                before = [point for point in indicator_series(indicator) if point.date < period]
                last = before[-1] if before else None
                now = current.get(indicator.pk)
                due = now is not None or is_due(
                    indicator.frequency, period, last.date if last else None
                )
                rows.append(QuickEntryRow(task, impact, indicator, due, now, last))
    return rows


# --- import and export -------------------------------------------------------------------------


def indicator_refs(project: Project) -> list[imports.IndicatorRef]:
    return [
        imports.IndicatorRef(pk, name)
        for pk, name in Indicator.objects.filter(project=project).values_list("pk", "name")
    ]


@dataclass(frozen=True)
class PreviewRow:
    row: imports.ParsedRow
    old_value: object  # the value this row replaces, or None for a new one
    unchanged: bool


def import_preview(project: Project, rows: Iterable[imports.ParsedRow]) -> list[PreviewRow]:
    """The checked rows, each with the value it would replace: one query."""
    rows = list(rows)
    stored = {
        (indicator_id, when): (value, note, evidence)
        for indicator_id, when, value, note, evidence in Measurement.objects.filter(
            project=project, indicator_id__in={row.indicator_id for row in rows}
        ).values_list("indicator_id", "date", "value", "note", "evidence")
    }
    preview = []
    for row in rows:
        old = stored.get((row.indicator_id, row.date))
        unchanged = old == (row.value, row.note, row.evidence)
        preview.append(PreviewRow(row, old[0] if old else None, unchanged))
    return preview


def ordered_measurements(project: Project):
    """The project's values in the export's order (chain order, then date), with their
    indicator, impact, task and recorder."""
    return (
        Measurement.objects.filter(project=project)
        .select_related("indicator__impact__task", "recorded_by")
        .order_by(
            "indicator__impact__task__position",
            "indicator__impact__task__pk",
            "indicator__impact__position",
            "indicator__impact__pk",
            "indicator__position",
            "indicator__pk",
            "date",
        )
    )


def export_rows(project: Project) -> Iterable[tuple]:
    """One row per indicator per date, in `imports.EXPORT_COLUMNS` order: one query."""
    for m in ordered_measurements(project):
        yield export_row(m)


def export_row(m: Measurement) -> tuple:
    """One value of `ordered_measurements` as a row of the export (the API's tidy feed too)."""
    indicator = m.indicator
    who = (m.recorded_by.get_full_name() or m.recorded_by.username) if m.recorded_by else ""
    return (
        indicator.impact.task.title,
        indicator.impact.statement,
        indicator.name,
        indicator.pk,
        indicator.kind,
        indicator.unit,
        indicator.direction,
        indicator.baseline_value,
        indicator.baseline_date,
        indicator.target_value,
        indicator.target_date,
        m.date,
        m.value,
        m.note,
        m.evidence,
        who,
    )


def template_rows(project: Project) -> Iterable[tuple]:
    """A row per indicator with the date and value left blank, in TEMPLATE_COLUMNS order."""
    indicators = Indicator.objects.filter(project=project).order_by(
        "impact__task__position",
        "impact__task__pk",
        "impact__position",
        "impact__pk",
        "position",
        "pk",
    )
    for name, unit in indicators.values_list("name", "unit"):
        yield (name, unit, None, None, None, None)


def baseline_rows(project: Project) -> Iterable[tuple]:
    for entry in BaselineEntry.objects.filter(project=project):
        yield tuple(getattr(entry, column) for column in imports.BASELINE_COLUMNS)


# --- objectives --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveStatus:
    objective: Objective
    trajectory: trajectory.Trajectory | None  # None: not enough set to judge
    missing: tuple[str, ...]  # what must be filled in before the status can be worked out
    error: str = ""  # or why what is filled in cannot be judged
    verdict: trajectory.Verdict | None = None  # the one status (trajectory.STATUS_RULE)

    @property
    def status(self) -> str:
        return self.verdict.status if self.verdict else trajectory.NO_DATA

    @property
    def reconciled(self) -> str:
        return self.verdict.reconciled if self.verdict else ""

    @property
    def status_label(self) -> str:
        return self.status.replace("-", " ").capitalize()

    @property
    def no_status_reason(self) -> str:
        """Why there is no status, as the end of a sentence ("No status yet: …")."""
        return self.error or "it needs " + ", ".join(self.missing)

    @property
    def progress_percent(self) -> int | None:
        """Distance travelled for a progress bar, held between 0 and 100."""
        travelled = self.trajectory.distance_travelled if self.trajectory else None
        return None if travelled is None else max(0, min(100, round(travelled * 100)))


REQUIRED_FOR_STATUS = {
    "indicator": "the indicator that measures it",
    "baseline_value": "a baseline value",
    "baseline_date": "a baseline date",
    "target_value": "a target",
    "deadline": "a deadline",
}


def stored_spc_state(indicator: Indicator | None) -> tuple[str, str]:
    """(variation, assurance) of `indicator` as stored by services.spc_state; not enough data
    when nothing is stored yet. Load `spc_state` with select_related to avoid a query."""
    try:
        state = indicator.spc_state if indicator is not None else None
    except Indicator.spc_state.RelatedObjectDoesNotExist:
        state = None
    if state is None:
        return spc.NOT_ENOUGH_DATA, spc.NOT_ENOUGH_DATA
    return state.variation, state.assurance


def objective_status(
    objective: Objective,
    indicator: Indicator | None,
    measurements,
    *,
    today: date,
    spc_state: tuple[str, str] | None = None,
) -> ObjectiveStatus:
    """`objective`'s one status on `today` (trajectory.STATUS_RULE), measured by `indicator`
    (None when it has none) from `measurements`, its (date, value) pairs, and the indicator's
    stored SPC (variation, assurance) — read from `indicator.spc_state` unless given: no queries
    when that is loaded. The objectives page, the dashboard and the governors' pack all judge
    objectives with this."""
    values = {"indicator": indicator}
    values.update((name, getattr(objective, name)) for name in list(REQUIRED_FOR_STATUS)[1:])
    missing = tuple(text for name, text in REQUIRED_FOR_STATUS.items() if values[name] is None)
    if missing:
        return ObjectiveStatus(objective, None, missing)
    try:
        result = trajectory.objective_status(
            baseline_value=objective.baseline_value,
            baseline_date=objective.baseline_date,
            target_value=objective.target_value,
            deadline=objective.deadline,
            measurements=list(measurements),
            today=today,
            direction=indicator.direction,
            unit=indicator.unit,
        )
    except ValueError as error:  # a deadline before the baseline, saved long ago
        return ObjectiveStatus(objective, None, (), error=str(error))
    variation, assurance = spc_state or stored_spc_state(indicator)
    verdict = trajectory.decide_status(result.status, assurance=assurance, variation=variation)
    return ObjectiveStatus(objective, result, (), verdict=verdict)


def objectives_with_status(project: Project, *, today: date) -> list[ObjectiveStatus]:
    """The project's objectives with their status on `today`: three queries."""
    measurements = Measurement.objects.only("indicator", "date", "value")
    indicators = Indicator.objects.select_related("spc_state").prefetch_related(
        Prefetch("measurements", measurements)
    )
    objectives = Objective.objects.filter(project=project).prefetch_related(
        Prefetch("indicator", queryset=indicators)
    )
    return [
        objective_status(
            objective,
            objective.indicator,
            [(m.date, m.value) for m in objective.indicator.measurements.all()]
            if objective.indicator
            else [],
            today=today,
        )
        for objective in objectives
    ]


# --- the project's history -----------------------------------------------------------------


def history_sources():
    """Objectives, baseline entries and change points for `project_history`; deletions of them
    can be restored there. Values are not listed: an import of a year of figures would push
    everything else off the page, so each indicator's page keeps the history of its values."""
    from .chain import HistorySource  # chain builds its list from this module's

    return [
        HistorySource(Objective, "objective", label=lambda r: r.statement, restorable=True),
        HistorySource(BaselineEntry, "baseline", label=_baseline_label, restorable=True),
        HistorySource(
            ChangePoint,
            "change-point",
            label=lambda r: f"{r.date.day} {r.date:%b %Y}: {r.reason}",
            restorable=True,
        ),
    ]


def _baseline_label(record) -> str:
    return f"{record.function} ({record.organisation})" if record.organisation else record.function
