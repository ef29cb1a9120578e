"""p, p' (Laney) and u charts for rates and counts, with the same Making Data Count rules,
icons and baseline handling as the XmR chart in `projects.spc`. Pure Python, no Django.

Each period has a numerator and a denominator (patients seen within 4 hours of all patients
seen; falls per 1,000 bed days): the plotted value is their ratio, and the limits of each
point follow its own denominator, so they widen for a small month and narrow for a big one.

- p chart (proportions): centre p-bar = sum of numerators / sum of denominators over the
  baseline; sigma_i = sqrt(p-bar (1 - p-bar) / n_i); limits p-bar +- 3 sigma_i, kept in 0..1.
- p' chart (Laney), for large denominators, where the p chart's limits are too narrow and
  flag everything: z_i = (p_i - p-bar) / sigma_i over the baseline, sigma_z = the mean moving
  range of z / 1.128, and limits p-bar +- 3 sigma_i sigma_z, kept in 0..1.
- u chart (rates): centre u-bar = sum of numerators / sum of denominators; sigma_i =
  sqrt(u-bar / n_i); limits u-bar +- 3 sigma_i, the lower never below 0.

Baseline, trial limits, the run chart below six points, re-basing at marked change points, the
four rules (with each point's own limits and 2-sigma lines) and the colours are exactly those of
`projects.spc`. Assurance compares the target with the latest period's limits at its mean
denominator, the limits a typical period has.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from itertools import pairwise

from . import spc

CHART_P = "p"
CHART_P_PRIME = "p-prime"
CHART_U = "u"
CHART_NAMES = {
    CHART_P: "p chart (proportions)",
    CHART_P_PRIME: "Laney p′ chart (proportions with large denominators)",
    CHART_U: "u chart (rates)",
}


def attribute_analyse(
    points: Iterable[tuple[date, float | Decimal, float | Decimal]],
    *,
    chart: str,
    direction: str,
    target: float | Decimal | None = None,
    baseline_count: int | None = None,
    baseline_end: date | None = None,
    change_points: Iterable[date] = (),
) -> spc.SpcResult:
    """Analyse (date, numerator, denominator) triples as a p, p' or u chart. The result is an
    `spc.SpcResult` whose points carry the ratio; `point_limits` gives each point's limits."""
    if chart not in CHART_NAMES:
        raise ValueError(f"chart must be one of {', '.join(CHART_NAMES)}, not {chart!r}")
    if direction not in (spc.UP, spc.DOWN):
        raise ValueError(f"direction must be {spc.UP!r} or {spc.DOWN!r}, not {direction!r}")
    triples = []
    for when, numerator, denominator in points:
        top, bottom = spc.finite_float(numerator), spc.finite_float(denominator)
        if bottom <= 0:
            raise ValueError(f"the denominator for {when.isoformat()} must be more than 0")
        if top < 0 or (chart != CHART_U and top > bottom):
            raise ValueError(f"the numerator for {when.isoformat()} is out of range")
        triples.append((when, top, bottom))
    triples.sort(key=lambda triple: triple[0])
    series = spc.clean_series((when, top / bottom) for when, top, bottom in triples)
    dates = [when for when, _ in series]
    starts = spc._segment_starts(dates, change_points)
    segments, result_points, point_limits = [], [], []
    for index, (start, stop) in enumerate(pairwise([*starts, len(series)])):
        chosen = baseline_count
        if index == 0 and baseline_end is not None:
            chosen = bisect_right(dates, baseline_end, 0, stop)
        segment, seg_points, seg_limits = _segment(
            index, start, triples[start:stop], chosen, chart, direction
        )
        segments.append(segment)
        result_points.extend(seg_points)
        point_limits.extend(seg_limits)
    latest = segments[-1].limits if segments else None
    target_value = None if target is None else spc.finite_float(target)
    result = spc.SpcResult(
        chart_type=chart if any(s.limits for s in segments) else spc.CHART_RUN,
        trial_limits=any(s.trial_limits for s in segments),
        direction=direction,
        target=target_value,
        segments=tuple(segments),
        points=tuple(result_points),
        variation=spc._variation(result_points[-1] if result_points else None),
        assurance=spc._assurance(target_value, latest, direction, series),
        summary="",
        rule_set=f"{CHART_NAMES[chart]}: {spc.RULE_SET}",
        point_limits=tuple(point_limits),
    )
    return replace(
        result,
        summary=" ".join(spc._summary_sentences(result)).replace(
            "XmR chart", CHART_NAMES[chart].split(" (")[0]
        ),
    )


def _limits(chart: str, centre: float, denominator: float, sigma_z: float) -> spc.Limits:
    if chart == CHART_U:
        sigma = math.sqrt(centre / denominator)
        upper, lower = centre + 3 * sigma, max(0.0, centre - 3 * sigma)
    else:
        sigma = math.sqrt(centre * (1 - centre) / denominator)
        if chart == CHART_P_PRIME:
            sigma *= sigma_z
        upper, lower = min(1.0, centre + 3 * sigma), max(0.0, centre - 3 * sigma)
    return spc.Limits(mean=centre, mr_bar=sigma_z, sigma=sigma, upper=upper, lower=lower)


def _segment(
    index: int,
    start: int,
    triples: Sequence[tuple[date, float, float]],
    chosen: int | None,
    chart: str,
    direction: str,
) -> tuple[spc.Segment, list[spc.SpcPoint], list[spc.Limits | None]]:
    values = [top / bottom for _, top, bottom in triples]
    size = spc._baseline_size(len(values), chosen)
    baseline = triples[:size]
    centre = sum(top for _, top, _ in baseline) / sum(bottom for *_, bottom in baseline)
    assessed = len(values) >= spc.MIN_POINTS_FOR_LIMITS
    sigma_z = 1.0
    if assessed and chart == CHART_P_PRIME and 0 < centre < 1:
        z = [
            (top / bottom - centre) / math.sqrt(centre * (1 - centre) / bottom)
            for _, top, bottom in baseline
        ]
        sigma_z = statistics.fmean(abs(b - a) for a, b in pairwise(z)) / spc.D2
    own = [_limits(chart, centre, bottom, sigma_z) for *_, bottom in triples] if assessed else []
    mean_n = statistics.fmean(bottom for *_, bottom in baseline)
    segment = spc.Segment(
        index=index,
        start=start,
        stop=start + len(values),
        start_date=triples[0][0],
        end_date=triples[-1][0],
        baseline_count=size,
        baseline_end_date=triples[size - 1][0],
        median=statistics.median(values[:size]),
        limits=_limits(chart, centre, mean_n, sigma_z) if assessed else None,
        trial_limits=assessed and size < spc.BASELINE_POINTS,
    )
    flags = spc._special_causes(values, own) if assessed else [{} for _ in values]
    points = []
    for position, ((when, _, _), value, point_flags) in enumerate(
        zip(triples, values, flags, strict=True)
    ):
        side, classification = spc._classify(point_flags, direction, assessed=assessed)
        points.append(
            spc.SpcPoint(
                date=when,
                value=value,
                segment=index,
                in_baseline=position < size,
                moving_range=None if position == 0 else abs(value - values[position - 1]),
                rules=tuple(rule for rule in spc.RULES if rule in point_flags),
                side=side,
                classification=classification,
            )
        )
    return segment, points, (own or [None] * len(values))
