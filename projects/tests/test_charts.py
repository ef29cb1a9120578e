"""Chart geometry: hand-worked positions and the edge cases a template cannot fix.

The default chart is 640 x 240 pixels; with the margins the plot runs from x 56 to 624 (568 wide)
and from y 12 (top) to 212 (bottom, 200 high).
"""

import re
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projects import charts, spc


def monthly(values) -> list[tuple[date, float]]:
    return [(date(2023 + i // 12, i % 12 + 1, 1), value) for i, value in enumerate(values)]


def inside_plot(geometry, x, y) -> bool:
    return (
        geometry.plot_left <= x <= geometry.plot_right
        and geometry.plot_top <= y <= geometry.plot_bottom
    )


def test_two_points_hand_worked():
    # 0 and 10: a rough step of 10 / 4 = 2.5 rounds up to 5, so the scale is 0..10 in 5s.
    # Two bands of 284 px: the points sit at 56 + 142 = 198 and 56 + 426 = 482.
    geometry = charts.chart_geometry(monthly([0, 10]))
    assert [(p.x, p.y) for p in geometry.points] == [(198.0, 212.0), (482.0, 12.0)]
    assert geometry.polyline == "198.0,212.0 482.0,12.0"
    assert [(t.position, t.label) for t in geometry.y_ticks] == [
        (212.0, "0"),
        (112.0, "5"),
        (12.0, "10"),
    ]
    assert [(t.position, t.label) for t in geometry.x_labels] == [
        (198.0, "Jan 2023"),
        (482.0, "Feb 2023"),
    ]
    assert {p.classification for p in geometry.points} == {spc.UNASSESSED}


def test_a_single_point_sits_in_the_middle():
    # 5 alone: scale 4.5..5.5 (5 ± 10%, in steps of 0.5), so 5 is half way down.
    geometry = charts.chart_geometry([(date(2024, 3, 5), 5)])
    (point,) = geometry.points
    assert (point.x, point.y) == (340.0, 112.0)
    assert point.date_label == "5 Mar 24"
    assert [t.label for t in geometry.y_ticks] == ["4.5", "5.0", "5.5"]
    assert [t.label for t in geometry.x_labels] == ["5 Mar 24"]


@pytest.mark.parametrize(
    ("value", "labels"),
    [
        # 7 ± 10% is 6.3..7.7; a rough step of 1.4 / 4 = 0.35 rounds up to 0.5: 6.0..8.0.
        (7, ["6.0", "6.5", "7.0", "7.5", "8.0"]),
        # 0 ± 1; a rough step of 2 / 4 = 0.5 is already round.
        (0, ["-1.0", "-0.5", "0", "0.5", "1.0"]),
    ],
)
def test_all_equal_values_draw_a_level_line_in_the_middle(value, labels):
    geometry = charts.chart_geometry(monthly([value] * 5))
    assert {p.y for p in geometry.points} == {112.0}
    assert [t.label for t in geometry.y_ticks] == labels


def test_values_too_close_for_floats_are_drawn_as_equal():
    geometry = charts.chart_geometry(monthly([1e12, 1e12 + 1e-3]))
    assert [p.y for p in geometry.points] == [112.0, 112.0]
    assert [t.label for t in geometry.y_ticks] == ["0.90tn", "0.95tn", "1.00tn", "1.05tn", "1.10tn"]


def test_negative_values():
    geometry = charts.chart_geometry(monthly([-5, -15, -10]))
    assert [t.label for t in geometry.y_ticks] == ["-15", "-10", "-5"]
    assert [p.y for p in geometry.points] == [12.0, 212.0, 112.0]


def test_values_either_side_of_zero_label_zero_plainly():
    labels = [t.label for t in charts.chart_geometry(monthly([-0.3, 0.2])).y_ticks]
    assert labels == ["-0.4", "-0.2", "0", "0.2"]


def test_very_large_values_are_shortened_on_the_axis_only():
    geometry = charts.chart_geometry(monthly([2.5e9, 3.5e9]))
    assert [t.label for t in geometry.y_ticks] == ["2.5bn", "3.0bn", "3.5bn"]
    assert [p.label for p in geometry.points] == ["2,500,000,000", "3,500,000,000"]


def test_large_values_close_together_keep_their_digits():
    geometry = charts.chart_geometry(monthly([999_000, 1_001_000]))
    assert [t.label for t in geometry.y_ticks][:3] == ["999,000", "999,500", "1,000,000"]


def test_baseline_and_target_widen_the_scale_and_span_the_plot():
    geometry = charts.chart_geometry(monthly([10, 11]), baseline=9, target=100)
    assert geometry.y_ticks[0].label == "0" and geometry.y_ticks[-1].label == "100"
    assert geometry.target_y == 12.0  # the top of the scale
    assert geometry.baseline_y == pytest.approx(212 - 9 / 100 * 200, abs=0.05)
    assert [(line.kind, line.x1, line.x2, line.label) for line in geometry.lines] == [
        ("baseline", 56.0, 624.0, "Baseline 9"),
        ("target", 56.0, 624.0, "Target 100"),
    ]


def test_no_points():
    geometry = charts.chart_geometry([], target=3)
    assert geometry.points == () and geometry.polyline == "" and geometry.x_labels == ()
    assert geometry.target_y == 112.0


def test_spc_lines_follow_each_period_and_points_take_its_colours():
    # Mean 11 and limits 5.68 .. 16.32 until the change point, then a run chart of 30, 31, 30.
    values = [12, 10] * 6 + [17, 30, 31, 30]
    points = monthly(values)
    result = spc.spc_analyse(points, direction=spc.UP, change_points=[points[13][0]])
    geometry = charts.chart_geometry(points, spc=result)
    band = 568 / len(values)
    first = [line for line in geometry.lines if line.x2 == round(56 + 13 * band, 1)]
    assert [line.kind for line in first] == [kind for kind, _, _ in charts.SPC_LINES]
    assert [line.label for line in first if line.label] == [
        "Upper limit 16.32",
        "Mean 11",
        "Lower limit 5.68",
    ]
    (median,) = [line for line in geometry.lines if line.kind == "median"]
    assert (median.x1, median.x2, median.label) == (round(56 + 13 * band, 1), 624.0, "Median 30")
    assert geometry.change_xs == (round(56 + 13 * band, 1),)
    assert geometry.points[12].classification == spc.IMPROVEMENT
    assert geometry.points[12].rules == (spc.RULE_OUTSIDE_LIMITS,)
    assert geometry.points[13].classification == spc.UNASSESSED


def test_an_spc_result_of_other_points_is_refused():
    result = spc.spc_analyse(monthly([1, 2, 3]), direction=spc.UP)
    with pytest.raises(ValueError, match="other points"):
        charts.chart_geometry(monthly([1, 2]), spc=result)


def test_a_chart_too_small_to_plot_is_refused():
    with pytest.raises(ValueError, match="no room"):
        charts.chart_geometry(monthly([1]), width=60, height=240)


def test_date_labels_are_thinned_to_fit():
    # 60 months across 568 px: 8 labels of 64 px fit, so every 8th month is labelled.
    geometry = charts.chart_geometry(monthly(range(60)))
    labels = [t.label for t in geometry.x_labels]
    assert labels == [
        "Jan 2023",
        "Sep 2023",
        "May 2024",
        "Jan 2025",
        "Sep 2025",
        "May 2026",
        "Jan 2027",
        "Sep 2027",
    ]


# --- properties ---------------------------------------------------------------------------------

values = st.floats(min_value=-1e12, max_value=1e12, allow_subnormal=False)


@given(
    st.lists(values, max_size=80),
    st.one_of(st.none(), values),
    st.integers(min_value=200, max_value=1600),
)
def test_everything_is_drawn_inside_the_plot(measurements, target, width):
    start = date(2024, 1, 1)
    points = [(start + timedelta(days=7 * i), v) for i, v in enumerate(measurements)]
    result = spc.spc_analyse(points, direction=spc.DOWN, target=target)
    geometry = charts.chart_geometry(points, width=width, target=target, spc=result)
    for point in geometry.points:
        assert inside_plot(geometry, point.x, point.y)
    for line in geometry.lines:
        assert inside_plot(geometry, line.x1, line.y) and inside_plot(geometry, line.x2, line.y)
    tick_ys = [tick.position for tick in geometry.y_ticks]
    assert tick_ys == sorted(tick_ys, reverse=True)  # values rise up the page
    assert tick_ys[0] == geometry.plot_bottom and tick_ys[-1] == geometry.plot_top
    xs = [tick.position for tick in geometry.x_labels]
    assert all(b - a >= charts.X_LABEL_WIDTH - 0.1 for a, b in pairwise(xs))
    assert re.fullmatch(r"(-?\d+(\.\d)?,-?\d+(\.\d)? ?)*", geometry.polyline)
