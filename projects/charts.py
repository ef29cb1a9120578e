"""Geometry for server-side SVG charts of an indicator's values, with no Django import.

`chart_geometry()` turns measurements (and optionally the baseline, the target and an
`SpcResult`) into pixel positions, so that a template draws the chart with no arithmetic: one
circle per point, one polyline, a line per reference value, tick labels. The browser page and the
PDF use the same template, so they show the same picture.

Choices:

- Points are evenly spaced in date order, each in the middle of its own band, as XmR charts are
  read point by point (a late measurement does not leave a gap). A single point sits in the
  middle of the plot.
- The vertical scale covers every value, the baseline, the target and the SPC limits, widened
  to "nice" round ticks (1, 2 or 5 times a power of ten). When everything has the same value
  (to one part in a billion) the scale is that value ± 10% (± 1 around zero), so the line sits
  in the middle.
- Tick labels of a million or more are shortened with M, bn or tn when that needs at most two
  decimals (999,500 next to 1,000,000 stays in full); labels of points keep every digit, up to
  two decimals.
- Date labels are thinned to one every so many points so they do not overlap; monthly data (all
  on the first of the month) is labelled "Jan 2024", anything else "5 Jan 24".
- Pixel values are rounded to 0.1 px: finer is invisible and only makes the SVG longer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from projects import spc as spc_module
from projects.figures import figure
from projects.spc import (
    RELATIVE_TOLERANCE,
    SpcResult,
    clean_series,
    finite_float,
    format_number,
)

MARGIN_LEFT = 56
MARGIN_RIGHT = 16
MARGIN_TOP = 12
MARGIN_BOTTOM = 28
X_LABEL_WIDTH = 64  # pixels one date label needs, spaces included
Y_TICKS_WANTED = 5
NICE_STEPS = (1, 2, 5, 10)
LARGE_NUMBER_SUFFIXES = ((1e12, "tn"), (1e9, "bn"), (1e6, "M"))

SPC_LINES = (
    # (kind, attribute of spc.Limits, label prefix or "" for an unlabelled line)
    ("upper", "upper", "Upper limit"),
    ("upper-two-sigma", "upper_two_sigma", ""),
    ("upper-one-sigma", "upper_one_sigma", ""),
    ("mean", "mean", "Mean"),
    ("lower-one-sigma", "lower_one_sigma", ""),
    ("lower-two-sigma", "lower_two_sigma", ""),
    ("lower", "lower", "Lower limit"),
)


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    date: date
    value: float
    label: str  # the value for a tooltip or table, e.g. "1,234.5"
    date_label: str
    classification: str  # spc.IMPROVEMENT, CONCERN, COMMON, or UNASSESSED without SPC
    rules: tuple[str, ...]


@dataclass(frozen=True)
class Tick:
    position: float  # y for a value tick, x for a date label
    label: str


@dataclass(frozen=True)
class HorizontalLine:
    kind: str  # "baseline", "target", "median" or one of SPC_LINES' kinds: a CSS class
    y: float
    x1: float
    x2: float
    label: str  # "" for lines drawn without a label (the sigma lines)


@dataclass(frozen=True)
class ChartGeometry:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    points: tuple[ChartPoint, ...]
    polyline: str  # "x,y x,y ..." for <polyline points="...">
    y_ticks: tuple[Tick, ...]
    x_labels: tuple[Tick, ...]
    lines: tuple[HorizontalLine, ...]  # baseline and target span the plot; SPC lines a period
    change_xs: tuple[float, ...]  # x of each change point, between two periods
    baseline_y: float | None
    target_y: float | None


def chart_geometry(
    points: Iterable[tuple[date, float | Decimal]],
    *,
    width: int = 640,
    height: int = 240,
    baseline: float | Decimal | None = None,
    target: float | Decimal | None = None,
    spc: SpcResult | None = None,
    unit: str = "",
) -> ChartGeometry:
    """Pixel geometry of a chart `width` x `height` pixels; `spc` must be of the same points."""
    series = clean_series(points)
    if spc is not None and [p.date for p in spc.points] != [when for when, _ in series]:
        raise ValueError("the SPC result is of other points than the chart")
    left, right = MARGIN_LEFT, width - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, height - MARGIN_BOTTOM
    if right - left < 1 or bottom - top < 1:
        raise ValueError(f"a {width} x {height} chart leaves no room to plot")
    baseline_value = None if baseline is None else finite_float(baseline)
    target_value = None if target is None else finite_float(target)

    low, high, step = _value_scale(
        [
            *(value for _, value in series),
            *(v for v in (baseline_value, target_value) if v is not None),
            *_spc_values(spc),
        ]
    )

    def y_of(value: float) -> float:
        return _px(bottom - (value - low) / (high - low) * (bottom - top))

    band = (right - left) / max(len(series), 1)

    def x_of(index: int) -> float:
        return _px(left + (index + 0.5) * band)

    spc_points = spc.points if spc is not None else [None] * len(series)
    monthly = _is_monthly(series)
    chart_points = tuple(
        ChartPoint(
            x=x_of(index),
            y=y_of(value),
            date=when,
            value=value,
            label=format_number(value),
            date_label=_date_label(when, monthly=monthly),
            classification=spc_point.classification if spc_point else spc_module.UNASSESSED,
            rules=spc_point.rules if spc_point else (),
        )
        for index, ((when, value), spc_point) in enumerate(zip(series, spc_points, strict=True))
    )

    lines = [
        HorizontalLine(kind, y_of(value), _px(left), _px(right), f"{name} {figure(value, unit)}")
        for kind, name, value in (
            ("baseline", "Baseline", baseline_value),
            ("target", "Target", target_value),
        )
        if value is not None
    ]
    change_xs = []
    for segment in spc.segments if spc is not None else ():
        x1, x2 = _px(left + segment.start * band), _px(left + segment.stop * band)
        if segment.start > 0:
            change_xs.append(x1)
        if segment.limits is None:
            label = f"Median {format_number(segment.median)}"
            lines.append(HorizontalLine("median", y_of(segment.median), x1, x2, label))
            continue
        for kind, attribute, name in SPC_LINES:
            value = getattr(segment.limits, attribute)
            label = f"{name} {format_number(value)}" if name else ""
            lines.append(HorizontalLine(kind, y_of(value), x1, x2, label))

    return ChartGeometry(
        width=width,
        height=height,
        plot_left=_px(left),
        plot_right=_px(right),
        plot_top=_px(top),
        plot_bottom=_px(bottom),
        points=chart_points,
        polyline=" ".join(f"{p.x},{p.y}" for p in chart_points),
        y_ticks=_value_ticks(low, high, step, y_of),
        x_labels=tuple(
            Tick(point.x, point.date_label)
            for point in chart_points[:: _label_every(len(chart_points), right - left)]
        ),
        lines=tuple(lines),
        change_xs=tuple(change_xs),
        baseline_y=None if baseline_value is None else y_of(baseline_value),
        target_y=None if target_value is None else y_of(target_value),
    )


def _px(value: float) -> float:
    return round(float(value), 1)


def _spc_values(spc: SpcResult | None) -> Iterable[float]:
    for segment in spc.segments if spc is not None else ():
        if segment.limits is None:
            yield segment.median
        else:
            yield from (segment.limits.upper, segment.limits.lower)


def _nice_step(rough: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is at least `rough` (> 0)."""
    power = 10.0 ** math.floor(math.log10(rough))
    return next(nice * power for nice in NICE_STEPS if nice * power >= rough * (1 - 1e-9))


def _value_scale(values: Sequence[float]) -> tuple[float, float, float]:
    """(bottom, top, tick step) of the vertical scale: round numbers around every value."""
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if high - low <= RELATIVE_TOLERANCE * max(abs(low), abs(high)):
        # Equal, or too close for floats to put ticks between them.
        middle = (low + high) / 2
        pad = abs(middle) * 0.1 or 1.0
        low, high = middle - pad, middle + pad
    step = _nice_step((high - low) / (Y_TICKS_WANTED - 1))
    # The slack stops float noise (1.1e12 / 5e10 = 22.000000000000004) adding an empty step.
    slack = 1e-9
    return math.floor(low / step + slack) * step, math.ceil(high / step - slack) * step, step


def _value_ticks(low: float, high: float, step: float, y_of) -> tuple[Tick, ...]:
    # Count whole steps rather than adding step repeatedly, so 0.1 + 0.2 never shows up.
    first, last = round(low / step), round(high / step)
    values = [k * step for k in range(first, last + 1)]
    largest = max(abs(low), abs(high))
    # Shorten to M/bn/tn only while that needs no more than two decimals.
    divisor, suffix = next(
        ((d, s) for d, s in LARGE_NUMBER_SUFFIXES if largest >= d and step >= d / 100), (1, "")
    )
    decimals = max(0, -math.floor(math.log10(step / divisor) + 1e-9))
    return tuple(
        Tick(y_of(value), _tick_label(value / divisor, decimals, suffix)) for value in values
    )


def _tick_label(value: float, decimals: int, suffix: str) -> str:
    if round(value, decimals) == 0:
        return "0"  # not "-0.0", nor "0.0M"
    return f"{value:,.{decimals}f}{suffix}"


def _is_monthly(series: Sequence[tuple[date, float]]) -> bool:
    return all(when.day == 1 for when, _ in series)


def _date_label(when: date, *, monthly: bool) -> str:
    return f"{when:%b %Y}" if monthly else f"{when.day} {when:%b %y}"


def _label_every(count: int, plot_width: float) -> int:
    fits = max(1, int(plot_width // X_LABEL_WIDTH))
    return max(1, math.ceil(count / fits))
