"""XmR statistics against hand-worked series, plus properties that must hold for any series.

Most cases start from the same hand-worked baseline of 12 monthly points:

    ZIGZAG = 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10
    mean   = 132 / 12 = 11
    moving ranges: eleven of 2, so mR-bar = 22 / 11 = 2
    process limits = 11 ± 2.66 × 2 = 11 ± 5.32 -> 5.68 .. 16.32
    sigma  = 2 / 1.128 = 1.77305; 2 sigma = 3.54610 -> 7.45390 .. 14.54610

It ends on a point below the mean (10), so a run of points above the mean after it starts fresh.
"""

import math
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projects import spc

ZIGZAG = [12, 10] * 6


def month(index: int) -> date:
    return date(2023 + index // 12, index % 12 + 1, 1)


def monthly(values) -> list[tuple[date, float]]:
    return [(month(i), value) for i, value in enumerate(values)]


def analyse(values, **options):
    options.setdefault("direction", spc.UP)
    return spc.spc_analyse(monthly(values), **options)


def flagged(result, rule) -> list[int]:
    """Indexes of the points that are part of `rule`."""
    return [i for i, point in enumerate(result.points) if rule in point.rules]


def special(result) -> list[int]:
    return [i for i, point in enumerate(result.points) if point.rules]


# --- limits -------------------------------------------------------------------------------------


def test_limits_of_the_hand_worked_baseline():
    result = analyse(ZIGZAG)
    limits = result.segments[0].limits
    assert result.chart_type == spc.CHART_XMR
    assert not result.trial_limits
    assert limits.mean == pytest.approx(11)
    assert limits.mr_bar == pytest.approx(2)
    assert limits.upper == pytest.approx(16.32)
    assert limits.lower == pytest.approx(5.68)
    assert limits.sigma == pytest.approx(1.77305, abs=1e-5)
    assert limits.upper_two_sigma == pytest.approx(14.54610, abs=1e-5)
    assert limits.lower_two_sigma == pytest.approx(7.45390, abs=1e-5)
    assert limits.upper_one_sigma == pytest.approx(12.77305, abs=1e-5)
    assert limits.lower_one_sigma == pytest.approx(9.22695, abs=1e-5)
    assert special(result) == []
    assert result.variation == spc.VARIATION_COMMON


def test_limits_are_fixed_on_the_first_12_points():
    # Points 13.. are far away; with limits from all 20 points the mean would be 13.25.
    result = analyse([*ZIGZAG, 20, 16, 20, 16, 20, 16, 20, 16])
    segment = result.segments[0]
    assert segment.baseline_count == 12
    assert segment.baseline_end_date == month(11)
    assert segment.limits == analyse(ZIGZAG).segments[0].limits
    assert [p.in_baseline for p in result.points] == [True] * 12 + [False] * 8


def test_a_chosen_baseline_count_fixes_the_limits_earlier():
    # First 6 points: 10, 12, 14, 12, 10, 14 -> mean 72 / 6 = 12;
    # moving ranges 2, 2, 2, 2, 4 -> mR-bar 12 / 5 = 2.4; limits 12 ± 6.384 -> 5.616 .. 18.384.
    result = analyse([10, 12, 14, 12, 10, 14, 30, 31, 30, 31], baseline_count=6)
    limits = result.segments[0].limits
    assert limits.mean == pytest.approx(12)
    assert limits.mr_bar == pytest.approx(2.4)
    assert limits.upper == pytest.approx(18.384)
    assert limits.lower == pytest.approx(5.616)
    assert result.trial_limits  # fixed on fewer than 12 points
    assert flagged(result, spc.RULE_OUTSIDE_LIMITS) == [6, 7, 8, 9]


def test_a_baseline_shorter_than_the_minimum_is_lengthened_to_it():
    result = analyse(ZIGZAG, baseline_count=3)
    assert result.segments[0].baseline_count == spc.MIN_POINTS_FOR_LIMITS


def test_a_baseline_end_date_sets_the_first_period():
    # Points up to and including month(7): 12, 10 four times -> mean 11, mR-bar 2, as ZIGZAG.
    result = analyse([*ZIGZAG[:8], 30, 30, 30, 30], baseline_end=month(7))
    assert result.segments[0].baseline_count == 8
    assert result.segments[0].limits.mean == pytest.approx(11)
    assert flagged(result, spc.RULE_OUTSIDE_LIMITS) == [8, 9, 10, 11]


def test_trial_limits_below_12_points_use_every_point_and_move():
    # 8 points 12, 10, ... -> mean 11, mR-bar 2, from all 8.
    eight = analyse(ZIGZAG[:8])
    assert eight.chart_type == spc.CHART_XMR
    assert eight.trial_limits and eight.segments[0].trial_limits
    assert eight.segments[0].baseline_count == 8
    assert eight.segments[0].limits.mean == pytest.approx(11)
    assert "trial limits" in eight.summary
    # A 9th point of 20 joins the baseline: mean (88 + 20) / 9 = 12; mR-bar (7 × 2 + 10) / 8 = 3.
    nine = analyse([*ZIGZAG[:8], 20])
    assert nine.segments[0].limits.mean == pytest.approx(12)
    assert nine.segments[0].limits.mr_bar == pytest.approx(3)


def test_six_points_is_the_minimum_for_limits():
    assert analyse(ZIGZAG[:6]).chart_type == spc.CHART_XMR
    assert analyse(ZIGZAG[:5]).chart_type == spc.CHART_RUN


def test_run_chart_below_the_minimum_has_a_median_and_no_verdicts():
    # 3, 1, 4, 1, 5 sorted is 1, 1, 3, 4, 5: median 3.
    result = analyse([3, 1, 4, 1, 5], target=2)
    segment = result.segments[0]
    assert result.chart_type == spc.CHART_RUN
    assert segment.kind == spc.CHART_RUN
    assert segment.limits is None
    assert segment.median == 3
    assert {p.classification for p in result.points} == {spc.UNASSESSED}
    assert special(result) == []
    assert result.variation == spc.NOT_ENOUGH_DATA
    assert result.assurance == spc.NOT_ENOUGH_DATA
    assert "run chart" in result.summary


def test_no_points():
    result = spc.spc_analyse([], direction=spc.DOWN)
    assert result.chart_type == spc.CHART_RUN
    assert result.segments == () and result.points == ()
    assert result.variation == spc.NOT_ENOUGH_DATA
    assert result.assurance == spc.ASSURANCE_NO_TARGET
    assert result.summary == "No measurements yet."


# --- rule (a): outside the process limits -------------------------------------------------------


def test_a_point_above_the_upper_limit_is_special_cause():
    result = analyse([*ZIGZAG, 17])  # 17 > 16.32
    assert flagged(result, spc.RULE_OUTSIDE_LIMITS) == [12]
    assert result.points[12].rules == (spc.RULE_OUTSIDE_LIMITS,)
    assert result.points[12].side == spc.HIGH
    assert result.points[12].classification == spc.IMPROVEMENT
    assert result.variation == spc.VARIATION_IMPROVEMENT


def test_a_point_inside_the_limits_is_not_flagged():
    result = analyse([*ZIGZAG, 16])  # 16 < 16.32; alone beyond 2 sigma, so no rule (d) either
    assert special(result) == []
    assert result.variation == spc.VARIATION_COMMON


def test_a_point_exactly_on_the_limit_is_not_outside():
    upper = analyse(ZIGZAG).segments[0].limits.upper
    assert flagged(analyse([*ZIGZAG, upper]), spc.RULE_OUTSIDE_LIMITS) == []


@pytest.mark.parametrize(
    ("direction", "classification", "variation"),
    [
        (spc.UP, spc.CONCERN, spc.VARIATION_CONCERN),
        (spc.DOWN, spc.IMPROVEMENT, spc.VARIATION_IMPROVEMENT),
    ],
)
def test_a_low_point_is_improvement_only_when_lower_is_better(direction, classification, variation):
    result = analyse([*ZIGZAG, 5], direction=direction)  # 5 < 5.68
    assert result.points[12].side == spc.LOW
    assert result.points[12].classification == classification
    assert result.variation == variation
    assert "The latest point is a special cause of" in result.summary


# --- rule (b): a run of 7 on one side of the mean -----------------------------------------------


def test_seven_points_above_the_mean_are_a_shift():
    # 12 is above the mean of 11 and inside 2 sigma; equal values make no trend.
    result = analyse([*ZIGZAG, 12, 12, 12, 12, 12, 12, 12])
    assert flagged(result, spc.RULE_SHIFT) == list(range(12, 19))
    assert {result.points[i].side for i in range(12, 19)} == {spc.HIGH}
    assert special(result) == list(range(12, 19))


def test_six_points_above_the_mean_are_not_a_shift():
    assert special(analyse([*ZIGZAG, 12, 12, 12, 12, 12, 12])) == []


def test_a_point_exactly_on_the_mean_breaks_a_run():
    # 3 above, 11 on the mean, 4 above: neither run reaches 7.
    assert special(analyse([*ZIGZAG, 12, 12, 12, 11, 12, 12, 12, 12])) == []


def test_a_run_below_the_mean_is_improvement_when_lower_is_better():
    # ZIGZAG reversed ends on 12 (above the mean), so the run of 10s is exactly 7 long.
    values = [10, 12] * 6 + [10] * 7
    down = analyse(values, direction=spc.DOWN)
    up = analyse(values, direction=spc.UP)
    assert flagged(down, spc.RULE_SHIFT) == list(range(12, 19))
    assert down.points[-1].classification == spc.IMPROVEMENT
    assert up.points[-1].classification == spc.CONCERN


# --- rule (c): a trend of 7 rising or falling ---------------------------------------------------


RISING_SIX = [10.5, 11, 11.5, 12, 12.5, 13]  # after ZIGZAG's last 10: 7 points rising


def test_seven_rising_points_are_a_trend_even_across_the_mean():
    # 10, 10.5 .. 13: all inside 2 sigma and never 7 on one side, so only the trend fires.
    result = analyse([*ZIGZAG, *RISING_SIX])
    assert flagged(result, spc.RULE_TREND) == list(range(11, 18))
    assert special(result) == list(range(11, 18))
    # Rising is improvement when higher is better, even for the points below the mean.
    assert result.points[11].value == 10
    assert {result.points[i].classification for i in range(11, 18)} == {spc.IMPROVEMENT}
    assert {result.points[i].side for i in range(11, 18)} == {spc.HIGH}


def test_six_rising_points_are_not_a_trend():
    assert special(analyse([*ZIGZAG, *RISING_SIX[:-1]])) == []


def test_equal_neighbours_break_a_trend():
    # 10, 10.5, 11, 11 | 11, 11.5, 12, 12.5, 13: rising runs of 3 and 5 points.
    assert special(analyse([*ZIGZAG, 10.5, 11, 11, 11.5, 12, 12.5, 13])) == []


def test_a_falling_trend_is_improvement_when_lower_is_better():
    # Reversed zigzag ends on 12; 12, 11.5 .. 9 is 7 points falling, inside 2 sigma.
    values = [10, 12] * 6 + [11.5, 11, 10.5, 10, 9.5, 9]
    down = analyse(values, direction=spc.DOWN)
    assert flagged(down, spc.RULE_TREND) == list(range(11, 18))
    assert {down.points[i].side for i in range(11, 18)} == {spc.LOW}
    assert down.variation == spc.VARIATION_IMPROVEMENT
    assert analyse(values, direction=spc.UP).variation == spc.VARIATION_CONCERN


def test_the_trend_decides_the_colour_over_the_side_of_the_mean():
    # After ZIGZAG's last 10: 5, 6, 7, 8, 9, 10, 10.5 rise 7 points in a row (trend: high), but
    # all 7 are below the mean (shift: low) and 5 is below the lower limit 5.68. Making Data
    # Count: the trend's direction wins, so with higher is better these are improvements.
    result = analyse([*ZIGZAG, 5, 6, 7, 8, 9, 10, 10.5], direction=spc.UP)
    first = result.points[12]
    assert spc.RULE_OUTSIDE_LIMITS in first.rules and spc.RULE_SHIFT in first.rules
    assert flagged(result, spc.RULE_TREND) == list(range(12, 19))
    assert {result.points[i].side for i in range(12, 19)} == {spc.HIGH}
    assert {result.points[i].classification for i in range(12, 19)} == {spc.IMPROVEMENT}
    assert result.variation == spc.VARIATION_IMPROVEMENT
    # The same series is a concern where lower is better: rising is the wrong way.
    down = analyse([*ZIGZAG, 5, 6, 7, 8, 9, 10, 10.5], direction=spc.DOWN)
    assert down.variation == spc.VARIATION_CONCERN


def test_a_point_shared_by_a_falling_and_a_rising_trend_follows_the_later_trend():
    # From ZIGZAG's last 12: falling 8 points to 4 (below the lower limit), then rising 7.
    values = [*ZIGZAG, 9, 8, 7, 6, 5, 4, 5, 6, 7, 8, 9, 10]
    result = analyse(values)
    trough = 17
    assert result.points[trough].value == 4
    assert flagged(result, spc.RULE_TREND) == list(range(10, 24))
    assert result.points[trough].side == spc.HIGH
    assert result.points[trough].classification == spc.IMPROVEMENT
    assert result.points[16].classification == spc.CONCERN  # still on the falling trend
    down = analyse(values, direction=spc.DOWN)
    assert down.points[trough].classification == spc.CONCERN


# --- rule (d): two out of three beyond 2 sigma ---------------------------------------------------


def test_two_of_three_beyond_two_sigma_on_one_side():
    # 15 > 14.5461 twice in three points, all three above the mean 11; the middle 11.5 is not
    # flagged.
    result = analyse([*ZIGZAG, 15, 11.5, 15])
    assert flagged(result, spc.RULE_TWO_OF_THREE) == [12, 14]
    assert special(result) == [12, 14]
    assert result.points[14].classification == spc.IMPROVEMENT


def test_two_of_three_with_the_third_point_across_the_mean_does_not_fire():
    # Making Data Count (2023): 15, 10, 15 has two points beyond 2 sigma, but 10 is below the
    # mean of 11, so the window is not on one side.
    assert special(analyse([*ZIGZAG, 15, 10, 15])) == []


def test_two_of_three_with_the_third_point_on_the_mean_does_not_fire():
    assert special(analyse([*ZIGZAG, 15, 11, 15])) == []


def test_two_beyond_two_sigma_but_four_apart_do_not_fire():
    assert special(analyse([*ZIGZAG, 15, 11, 11, 15])) == []


def test_two_beyond_two_sigma_on_opposite_sides_do_not_fire():
    # 15 above 14.5461 and 7 below 7.4539.
    assert special(analyse([*ZIGZAG, 15, 11, 7])) == []


# --- re-basing at change points ------------------------------------------------------------------


def test_rebasing_at_a_marked_change_point():
    # After the change: 22, 20, ... -> mean 21, mR-bar 2, limits 15.68 .. 26.32.
    values = [*ZIGZAG, *([22, 20] * 6)]
    result = analyse(values, change_points=[month(12)])
    first, second = result.segments
    assert (first.start, first.stop, second.start, second.stop) == (0, 12, 12, 24)
    assert first.limits == analyse(ZIGZAG).segments[0].limits
    assert second.limits.mean == pytest.approx(21)
    assert second.limits.mr_bar == pytest.approx(2)
    assert second.limits.upper == pytest.approx(26.32)
    assert second.start_date == month(12)
    assert result.points[12].moving_range is None  # ranges do not cross a change point
    assert result.points[12].segment == 1
    assert special(result) == []
    assert "re-based at 1 marked change point" in result.summary


def test_no_automatic_rebasing_without_a_change_point():
    result = analyse([*ZIGZAG, *([22, 20] * 6)])
    assert len(result.segments) == 1
    assert flagged(result, spc.RULE_OUTSIDE_LIMITS) == list(range(12, 24))


def test_a_change_point_between_dates_starts_at_the_next_point():
    result = analyse([*ZIGZAG, *([22, 20] * 6)], change_points=[date(2023, 12, 15)])
    assert result.segments[1].start == 12


def test_change_points_outside_the_data_are_ignored():
    result = analyse(ZIGZAG, change_points=[date(2000, 1, 1), month(0), date(2030, 1, 1)])
    assert len(result.segments) == 1


def test_a_short_period_after_a_change_point_is_a_run_chart():
    result = analyse([*ZIGZAG, 30, 31, 30], change_points=[month(12)])
    assert result.chart_type == spc.CHART_XMR
    assert result.segments[1].kind == spc.CHART_RUN
    assert result.segments[1].median == 30
    assert result.variation == spc.NOT_ENOUGH_DATA
    assert "The latest period has only 3 points" in result.summary


# --- assurance against the target ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "target", "assurance"),
    [
        (spc.UP, 5, spc.ASSURANCE_PASSING),  # below the lower limit 5.68: always met
        (spc.UP, 11, spc.ASSURANCE_HIT_AND_MISS),
        (spc.UP, 17, spc.ASSURANCE_FAILING),  # above the upper limit 16.32: never met
        (spc.DOWN, 17, spc.ASSURANCE_PASSING),
        (spc.DOWN, 11, spc.ASSURANCE_HIT_AND_MISS),
        (spc.DOWN, 5, spc.ASSURANCE_FAILING),
        (spc.UP, None, spc.ASSURANCE_NO_TARGET),
    ],
)
def test_assurance(direction, target, assurance):
    assert analyse(ZIGZAG, direction=direction, target=target).assurance == assurance


def test_a_target_on_the_lower_limit_is_consistently_met_when_higher_is_better():
    lower = analyse(ZIGZAG).segments[0].limits.lower
    assert analyse(ZIGZAG, target=lower).assurance == spc.ASSURANCE_PASSING


def test_assurance_uses_the_latest_period():
    values = [*ZIGZAG, *([22, 20] * 6)]
    result = analyse(values, target=15, change_points=[month(12)])  # 15 < 15.68
    assert result.assurance == spc.ASSURANCE_PASSING
    assert "consistently meet the target of 15" in result.summary


# --- input --------------------------------------------------------------------------------------


def test_points_are_sorted_and_decimals_accepted():
    points = [(when, Decimal(value)) for when, value in reversed(monthly(ZIGZAG))]
    result = spc.spc_analyse(points, direction=spc.UP, target=Decimal("11.5"))
    assert [p.date for p in result.points] == [month(i) for i in range(12)]
    assert result.segments[0].limits.mean == pytest.approx(11)
    assert result.target == 11.5


@pytest.mark.parametrize(
    "options",
    [{"direction": "sideways"}, {"baseline_count": 0}],
)
def test_bad_options_are_refused(options):
    with pytest.raises(ValueError):
        analyse(ZIGZAG, **{"direction": spc.UP, **options})


def test_two_values_for_one_date_are_refused():
    with pytest.raises(ValueError, match="more than one value"):
        spc.spc_analyse([(month(0), 1), (month(0), 2)], direction=spc.UP)


def test_non_finite_values_are_refused():
    with pytest.raises(ValueError, match="finite"):
        analyse([1, 2, math.nan])


def test_the_rule_set_names_the_four_rules():
    assert spc.RULE_SET.startswith("NHS England Making Data Count (XmR): ")
    for text in spc.RULES.values():
        assert text in spc.RULE_SET
    assert analyse(ZIGZAG).rule_set == spc.RULE_SET


# --- properties ---------------------------------------------------------------------------------

measurements = st.floats(min_value=-1e9, max_value=1e9, allow_subnormal=False)
directions = st.sampled_from([spc.UP, spc.DOWN])


def scale(values) -> float:
    return max([1.0, *(abs(v) for v in values)])


@given(st.lists(measurements, min_size=spc.MIN_POINTS_FOR_LIMITS, max_size=40), directions)
def test_limits_contain_the_mean_and_are_symmetric(values, direction):
    limits = analyse(values, direction=direction).segments[0].limits
    assert limits.lower <= limits.lower_two_sigma <= limits.lower_one_sigma <= limits.mean
    assert limits.mean <= limits.upper_one_sigma <= limits.upper_two_sigma <= limits.upper
    assert math.isclose(
        limits.upper - limits.mean, limits.mean - limits.lower, abs_tol=1e-9 * scale(values)
    )


@given(measurements, st.integers(min_value=1, max_value=40), directions)
def test_no_rule_fires_on_a_constant_series(value, count, direction):
    result = analyse([value] * count, direction=direction)
    assert special(result) == []
    assert result.variation in (spc.VARIATION_COMMON, spc.NOT_ENOUGH_DATA)


@given(
    st.lists(measurements, min_size=spc.BASELINE_POINTS, max_size=30),
    st.lists(measurements, min_size=1, max_size=30),
    directions,
)
def test_points_after_the_baseline_never_move_the_limits(values, later, direction):
    before = analyse(values, direction=direction).segments[0]
    after = analyse([*values, *later], direction=direction).segments[0]
    assert after.limits == before.limits
    assert after.baseline_count == before.baseline_count == spc.BASELINE_POINTS


@given(st.lists(measurements, max_size=30), directions)
def test_a_run_chart_exactly_when_there_are_too_few_points(values, direction):
    result = analyse(values, direction=direction)
    expected = spc.CHART_XMR if len(values) >= spc.MIN_POINTS_FOR_LIMITS else spc.CHART_RUN
    assert result.chart_type == expected
    assert len(result.points) == len(values)


def test_the_summary_and_the_chart_write_the_target_with_its_unit():
    """A board reads "the target of £3.60", not "the target of 3.6" (issue: figures read like a
    board paper); the chart's target and baseline lines say the same."""
    from projects import charts

    points = [(month(i), 5 + (i % 3) * 0.1) for i in range(15)]
    result = spc.spc_analyse(points, direction=spc.DOWN, target=Decimal("3.6"), unit="£")
    assert "the target of £3.60" in result.summary
    geometry = charts.chart_geometry(points, baseline=5, target=3.6, spc=result, unit="£")
    assert {line.label for line in geometry.lines} >= {"Target £3.60", "Baseline £5"}
