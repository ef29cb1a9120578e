"""Statistical process control the NHS England "Making Data Count" way: XmR charts.

Pure Python with no Django import, so views, the poster and the PDF pack all call the same code.
`spc_analyse()` takes an indicator's measurements and returns an `SpcResult`: the centre line and
limits of each period, every point flagged with the special-cause rules it is part of and
coloured as improvement, concern or common cause, and the variation and assurance verdicts that
MDC shows as icons.

Choices, so that the chart page can say exactly what it does:

- Numbers are floats. Measurements are observations, not money being added up, and the
  statistics (means, 2.66 x mR-bar) are approximations anyway; callers may pass `Decimal`.
  Round only for display.
- Limits are fixed on a baseline: the first `BASELINE_POINTS` (12) points of each period unless
  the user chooses another count (`baseline_count`) or, for the first period, an end date
  (`baseline_end`). Points after the baseline never move the limits.
- With fewer than 12 points in the baseline the limits are *trial limits*: they are computed from
  every point there is, and move as points arrive until the baseline is full.
- A period with fewer than `MIN_POINTS_FOR_LIMITS` (6) points has no limits: it is drawn as a run
  chart around its median, and no special-cause rule is applied to it (the run and trend rules
  need 7 points anyway). Six is the fewest from which Wheeler considers XmR limits useful; a
  baseline the user sets shorter than that is lengthened to six points.
- Re-basing happens only at change points the user marks (a list of dates): a new period starts
  at the first point on or after each date, and gets its own mean, mR-bar and limits from its own
  first points. Moving ranges and the rules never reach across a change point. Nothing re-bases
  automatically.
- A point exactly on the mean belongs to neither side, so it breaks a run (rule b). Equal
  consecutive values break a trend (rule c). A point exactly on a limit or a 2-sigma line is not
  beyond it. "Exactly" allows for float rounding: one part in a billion of the period's largest
  value.
- Rule (d) counts every point beyond 2 sigma, including points beyond the process limits; only
  the points beyond 2 sigma in a qualifying window are flagged. As Making Data Count has
  required since 2023, all three points of the window must lie on the same side of the mean: two
  points beyond 2 sigma with the third on the other side of the mean (or on it) are not a signal.
- A point's side (high or low) is the direction of its trend when it is part of one (rising is
  high), even where a position rule (a, b, d) puts it on the other side of the mean: seven rising
  points still below the mean are improving when higher is better (Making Data Count). A point
  shared by a falling and a rising trend takes the later trend's direction, the way the process
  has turned. Otherwise the side is where the point lies relative to the mean. Its colour follows
  from the side and the indicator's direction: high is improvement when higher is better.
- Assurance compares the target with the latest period's limits; a value meets the target when
  it is at least as good as it. Higher is better: the process consistently passes when the
  target is at or below the lower limit, and consistently fails when it is above the upper limit.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from itertools import pairwise

from projects.figures import figure

UP = "up"
DOWN = "down"
HIGH = "high"
LOW = "low"

BASELINE_POINTS = 12
MIN_POINTS_FOR_LIMITS = 6
RUN_LENGTH = 7
TREND_LENGTH = 7
LIMIT_FACTOR = 2.66  # 3 / d2, as MDC rounds it
D2 = 1.128  # bias correction constant for moving ranges of two points

RULE_OUTSIDE_LIMITS = "outside-limits"
RULE_SHIFT = "shift"
RULE_TREND = "trend"
RULE_TWO_OF_THREE = "two-of-three"
RULES = {
    RULE_OUTSIDE_LIMITS: "a point outside the process limits",
    RULE_SHIFT: f"a run of {RUN_LENGTH} or more points in a row on the same side of the mean",
    RULE_TREND: f"{TREND_LENGTH} or more points in a row all rising or all falling",
    RULE_TWO_OF_THREE: (
        "two out of three points in a row beyond 2 sigma, with all three on the same side of "
        "the mean"
    ),
}
RULE_SET = (
    "NHS England Making Data Count (XmR): process limits at the mean plus or minus 2.66 times "
    "the mean moving range (sigma = mean moving range / 1.128); special cause is "
    + "; ".join(f"({letter}) {text}" for letter, text in zip("abcd", RULES.values(), strict=True))
    + "."
)

IMPROVEMENT = "improvement"
CONCERN = "concern"
COMMON = "common"
UNASSESSED = "unassessed"  # a point in a run-chart period: no limits, so no verdict

VARIATION_COMMON = "common-cause"
VARIATION_IMPROVEMENT = "special-cause-improvement"
VARIATION_CONCERN = "special-cause-concern"
NOT_ENOUGH_DATA = "not-enough-data"

ASSURANCE_PASSING = "consistently-passing"
ASSURANCE_FAILING = "consistently-failing"
ASSURANCE_HIT_AND_MISS = "hit-and-miss"
ASSURANCE_NO_TARGET = "no-target"

CHART_XMR = "xmr"
CHART_RUN = "run"

RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Limits:
    """Centre line and limits of one period, computed from its baseline points."""

    mean: float
    mr_bar: float
    sigma: float
    upper: float
    lower: float

    @property
    def upper_two_sigma(self) -> float:
        return self.mean + 2 * self.sigma

    @property
    def lower_two_sigma(self) -> float:
        return self.mean - 2 * self.sigma

    @property
    def upper_one_sigma(self) -> float:
        return self.mean + self.sigma

    @property
    def lower_one_sigma(self) -> float:
        return self.mean - self.sigma


@dataclass(frozen=True)
class Segment:
    """A period between change points; `start`/`stop` index `SpcResult.points` like a slice."""

    index: int
    start: int
    stop: int
    start_date: date
    end_date: date
    baseline_count: int
    baseline_end_date: date
    median: float  # of the baseline points: the centre line of a run chart
    limits: Limits | None
    trial_limits: bool

    @property
    def kind(self) -> str:
        return CHART_RUN if self.limits is None else CHART_XMR

    @property
    def n_points(self) -> int:
        return self.stop - self.start


@dataclass(frozen=True)
class SpcPoint:
    date: date
    value: float
    segment: int
    in_baseline: bool
    moving_range: float | None  # None for the first point of a period
    rules: tuple[str, ...]  # codes from RULES, in RULES order
    side: str | None  # HIGH or LOW for a special cause, else None
    classification: str  # IMPROVEMENT, CONCERN, COMMON or UNASSESSED


@dataclass(frozen=True)
class SpcResult:
    chart_type: str  # CHART_XMR when any period has limits, else CHART_RUN
    trial_limits: bool  # any period's limits come from fewer than BASELINE_POINTS points
    direction: str
    target: float | None
    segments: tuple[Segment, ...]
    points: tuple[SpcPoint, ...]
    variation: str
    assurance: str
    summary: str
    rule_set: str = field(default=RULE_SET)
    # p, p' and u charts (projects.spc_attribute): each point's own limits (None: run chart).
    point_limits: tuple[Limits | None, ...] = ()

    @property
    def latest_segment(self) -> Segment | None:
        return self.segments[-1] if self.segments else None


def spc_analyse(
    points: Iterable[tuple[date, float | Decimal]],
    *,
    direction: str,
    target: float | Decimal | None = None,
    baseline_count: int | None = None,
    baseline_end: date | None = None,
    change_points: Iterable[date] = (),
    unit: str = "",
) -> SpcResult:
    """Analyse measurements as an XmR chart (or a run chart when there are too few).

    `points` are (date, value) pairs in any order, one per date. `baseline_count` applies to
    every period; `baseline_end` overrides it for the first period only (the indicator's
    baseline period). `change_points` are the dates the user marked as "the process changed".
    """
    if direction not in (UP, DOWN):
        raise ValueError(f"direction must be {UP!r} or {DOWN!r}, not {direction!r}")
    if baseline_count is not None and baseline_count < 1:
        raise ValueError("baseline_count must be at least 1")
    series = clean_series(points)
    target_value = None if target is None else finite_float(target)
    dates = [when for when, _ in series]
    starts = _segment_starts(dates, change_points)

    segments: list[Segment] = []
    spc_points: list[SpcPoint] = []
    for index, (start, stop) in enumerate(pairwise([*starts, len(series)])):
        chosen = baseline_count
        if index == 0 and baseline_end is not None:
            chosen = bisect_right(dates, baseline_end, 0, stop)
        segment, segment_points = _analyse_segment(
            index, start, series[start:stop], chosen, direction
        )
        segments.append(segment)
        spc_points.extend(segment_points)

    latest_segment = segments[-1] if segments else None
    latest_limits = latest_segment.limits if latest_segment else None
    variation = _variation(spc_points[-1] if spc_points else None)
    assurance = _assurance(target_value, latest_limits, direction, series)
    result = SpcResult(
        chart_type=CHART_XMR if any(s.limits for s in segments) else CHART_RUN,
        trial_limits=any(s.trial_limits for s in segments),
        direction=direction,
        target=target_value,
        segments=tuple(segments),
        points=tuple(spc_points),
        variation=variation,
        assurance=assurance,
        summary="",
    )
    return _with_summary(result, unit)


def finite_float(value: float | Decimal) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {value!r}")
    return number


def clean_series(points: Iterable[tuple[date, float | Decimal]]) -> list[tuple[date, float]]:
    """(date, float) pairs sorted by date; ValueError for two values on one date or a NaN."""
    series = sorted(((when, finite_float(value)) for when, value in points), key=_by_date)
    for (earlier, _), (later, _) in pairwise(series):
        if earlier == later:
            raise ValueError(f"more than one value for {earlier.isoformat()}")
    return series


def _by_date(point: tuple[date, float]) -> date:
    return point[0]


def _segment_starts(dates: Sequence[date], change_points: Iterable[date]) -> list[int]:
    """Index of the first point of each period; change points outside the data are ignored."""
    if not dates:
        return []
    starts = {0}
    for change in change_points:
        first = bisect_left(dates, change)
        if 0 < first < len(dates):
            starts.add(first)
    return sorted(starts)


def _baseline_size(n_points: int, chosen: int | None) -> int:
    if n_points < MIN_POINTS_FOR_LIMITS:
        return n_points
    wanted = BASELINE_POINTS if chosen is None else max(chosen, MIN_POINTS_FOR_LIMITS)
    return min(wanted, n_points)


def _tolerance(values: Iterable[float]) -> float:
    """How far apart two floats may be and still count as equal, for this period's scale."""
    return RELATIVE_TOLERANCE * max((abs(v) for v in values), default=0.0)


def _analyse_segment(
    index: int,
    start: int,
    series: Sequence[tuple[date, float]],
    chosen_baseline: int | None,
    direction: str,
) -> tuple[Segment, list[SpcPoint]]:
    values = [value for _, value in series]
    size = _baseline_size(len(values), chosen_baseline)
    baseline = values[:size]
    limits = _limits(baseline) if len(values) >= MIN_POINTS_FOR_LIMITS else None
    segment = Segment(
        index=index,
        start=start,
        stop=start + len(values),
        start_date=series[0][0],
        end_date=series[-1][0],
        baseline_count=size,
        baseline_end_date=series[size - 1][0],
        median=statistics.median(baseline),
        limits=limits,
        trial_limits=limits is not None and size < BASELINE_POINTS,
    )
    flags = (
        _special_causes(values, [limits] * len(values))
        if limits is not None
        else [{} for _ in values]
    )
    moving_ranges = [None, *(abs(b - a) for a, b in pairwise(values))]
    points = []
    for position, ((when, value), point_flags) in enumerate(zip(series, flags, strict=True)):
        side, classification = _classify(point_flags, direction, assessed=limits is not None)
        points.append(
            SpcPoint(
                date=when,
                value=value,
                segment=index,
                in_baseline=position < size,
                moving_range=moving_ranges[position],
                rules=tuple(rule for rule in RULES if rule in point_flags),
                side=side,
                classification=classification,
            )
        )
    return segment, points


def _limits(baseline: Sequence[float]) -> Limits:
    mean = statistics.fmean(baseline)
    mr_bar = statistics.fmean(abs(b - a) for a, b in pairwise(baseline))
    return Limits(
        mean=mean,
        mr_bar=mr_bar,
        sigma=mr_bar / D2,
        upper=mean + LIMIT_FACTOR * mr_bar,
        lower=mean - LIMIT_FACTOR * mr_bar,
    )


def _side(value: float, line: float, tolerance: float) -> str | None:
    if value > line + tolerance:
        return HIGH
    if value < line - tolerance:
        return LOW
    return None


def _runs(items: Sequence) -> Iterator[tuple[object, int, int]]:
    """Maximal runs of equal consecutive items, as (item, start, stop)."""
    start = 0
    for position in range(1, len(items) + 1):
        if position == len(items) or items[position] != items[start]:
            yield items[start], start, position
            start = position


def _special_causes(values: Sequence[float], limits: Sequence[Limits]) -> list[dict[str, str]]:
    """For each point, the rules it is part of, each with the side (HIGH/LOW) of the signal.
    `limits` has one entry per point: the same for an XmR chart, each point's own for a p, p'
    or u chart, whose limits widen and narrow with the denominator."""
    tolerance = _tolerance(values)
    flags: list[dict[str, str]] = [{} for _ in values]

    for position, (value, own) in enumerate(zip(values, limits, strict=True)):
        if value > own.upper + tolerance:
            flags[position][RULE_OUTSIDE_LIMITS] = HIGH
        elif value < own.lower - tolerance:
            flags[position][RULE_OUTSIDE_LIMITS] = LOW

    sides = [_side(value, own.mean, tolerance) for value, own in zip(values, limits, strict=True)]
    for side, start, stop in _runs(sides):
        if side is not None and stop - start >= RUN_LENGTH:
            for position in range(start, stop):
                flags[position][RULE_SHIFT] = side

    # One step per pair of neighbours; equal neighbours (None) break a trend.
    steps = [HIGH if b > a else LOW if b < a else None for a, b in pairwise(values)]
    for step, start, stop in _runs(steps):
        if step is not None and stop - start >= TREND_LENGTH - 1:
            for position in range(start, stop + 1):
                # The turning point between a rise and a fall takes the later trend's side.
                flags[position][RULE_TREND] = step

    beyond = [
        HIGH
        if value > own.upper_two_sigma + tolerance
        else LOW
        if value < own.lower_two_sigma - tolerance
        else None
        for value, own in zip(values, limits, strict=True)
    ]
    for start in range(len(values) - 2):
        window = range(start, start + 3)
        for side in (HIGH, LOW):
            same_side = all(sides[position] == side for position in window)
            if same_side and sum(beyond[position] == side for position in window) >= 2:
                for position in window:
                    if beyond[position] == side:
                        flags[position][RULE_TWO_OF_THREE] = side
    return flags


def _classify(flags: dict[str, str], direction: str, *, assessed: bool) -> tuple[str | None, str]:
    if not assessed:
        return None, UNASSESSED
    if not flags:
        return None, COMMON
    side = flags.get(RULE_TREND) or next(iter(flags.values()))
    good_side = HIGH if direction == UP else LOW
    return side, IMPROVEMENT if side == good_side else CONCERN


def _variation(latest: SpcPoint | None) -> str:
    if latest is None or latest.classification == UNASSESSED:
        return NOT_ENOUGH_DATA
    return {
        IMPROVEMENT: VARIATION_IMPROVEMENT,
        CONCERN: VARIATION_CONCERN,
        COMMON: VARIATION_COMMON,
    }[latest.classification]


def _assurance(
    target: float | None,
    limits: Limits | None,
    direction: str,
    series: Sequence[tuple[date, float]],
) -> str:
    if target is None:
        return ASSURANCE_NO_TARGET
    if limits is None:
        return NOT_ENOUGH_DATA
    tolerance = _tolerance([target, *(value for _, value in series)])
    if direction == UP:
        if target <= limits.lower + tolerance:
            return ASSURANCE_PASSING
        if target > limits.upper + tolerance:
            return ASSURANCE_FAILING
    else:
        if target >= limits.upper - tolerance:
            return ASSURANCE_PASSING
        if target < limits.lower - tolerance:
            return ASSURANCE_FAILING
    return ASSURANCE_HIT_AND_MISS


def format_number(value: float) -> str:
    """A value for a sentence: thousands separated, at most two decimals, no trailing zeros."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _with_summary(result: SpcResult, unit: str = "") -> SpcResult:
    return replace(result, summary=" ".join(_summary_sentences(result, unit)))


def _summary_sentences(result: SpcResult, unit: str = "") -> Iterator[str]:
    """The chart in words; the target is written with the indicator's `unit` ("£3.60")."""
    n = len(result.points)
    if n == 0:
        yield "No measurements yet."
        return
    segment = result.segments[-1]
    periods = len(result.segments)
    rebased = f", re-based at {periods - 1} marked change point{'s' * (periods > 2)}"
    if segment.limits is None:
        yield (
            f"{'The latest period has' if periods > 1 else 'There are'} only "
            f"{segment.n_points} point{'s' * (segment.n_points != 1)}: process limits need "
            f"at least {MIN_POINTS_FOR_LIMITS}, so this is a run chart around the median."
        )
    else:
        yield (
            f"XmR chart of {n} points{rebased if periods > 1 else ''}; the limits come from "
            f"the first {segment.baseline_count} points of the "
            f"{'latest period' if periods > 1 else 'series'}"
            + (f" (trial limits: fewer than {BASELINE_POINTS})." if segment.trial_limits else ".")
        )
        yield {
            VARIATION_COMMON: "The latest point shows common-cause variation only.",
            VARIATION_IMPROVEMENT: "The latest point is a special cause of improvement.",
            VARIATION_CONCERN: "The latest point is a special cause of concern.",
        }[result.variation]
    if result.target is None:
        return
    target = figure(result.target, unit)
    yield {
        ASSURANCE_PASSING: f"The process will consistently meet the target of {target}.",
        ASSURANCE_FAILING: (
            f"The process will consistently miss the target of {target} unless something changes."
        ),
        ASSURANCE_HIT_AND_MISS: (
            f"The target of {target} lies within the process limits: it will be met some of "
            "the time and missed some of the time."
        ),
        NOT_ENOUGH_DATA: f"Too few points to say whether the target of {target} will be met.",
    }[result.assurance]
