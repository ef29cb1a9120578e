"""Objective status against hand-worked cases.

Dates are written as days after the baseline date, 1 January 2024, so the fitted lines can be
checked with pencil and paper: a value of 100 on day 0 falling to 96 on day 50 falls 0.08 a day.
"""

from datetime import date, timedelta

import pytest

from projects import trajectory as tr

START = date(2024, 1, 1)


def day(n: int) -> date:
    return START + timedelta(days=n)


def status(measurements, *, baseline=100, target=80, deadline=200, today=None, **options):
    """Baseline on day 0; `measurements` as {day: value}; today defaults to the latest day."""
    if today is None:
        today = max(measurements, default=0)
    return tr.objective_status(
        baseline_value=baseline,
        baseline_date=START,
        target_value=target,
        deadline=day(deadline),
        measurements=[(day(n), value) for n, value in measurements.items()],
        today=day(today),
        **options,
    )


# --- before the deadline ------------------------------------------------------------------------


def test_on_track_when_the_line_passes_the_target_before_the_deadline():
    # 100, 97, 94 on days 0, 30, 60: -0.1 a day, so 100 - 30 = 70 on day 300; target 80.
    result = status({30: 97, 60: 94}, deadline=300)
    assert result.status == tr.ON_TRACK
    assert result.direction == "down"
    assert result.distance_travelled == pytest.approx(0.3)  # (94 - 100) / (80 - 100)
    assert result.latest_date == day(60) and result.latest_value == 94
    assert result.projected_value == pytest.approx(70)
    assert result.projected_distance == pytest.approx(1.5)  # (70 - 100) / (80 - 100)
    assert result.summary.startswith("On track: 30% of the way so far;")


def test_at_risk_when_the_line_gets_at_least_three_quarters_of_the_way():
    # 100, 96, 92 on days 0, 50, 100: -0.08 a day, 84 on day 200: (84 - 100) / -20 = 0.8.
    result = status({50: 96, 100: 92})
    assert result.status == tr.AT_RISK
    assert result.projected_value == pytest.approx(84)
    assert result.projected_distance == pytest.approx(0.8)
    assert "80% of the way" in result.summary


def test_off_track_when_the_line_falls_short():
    # 100, 98, 96 on days 0, 50, 100: -0.04 a day, 92 on day 200: 0.4 of the way.
    result = status({50: 98, 100: 96})
    assert result.status == tr.OFF_TRACK
    assert result.projected_distance == pytest.approx(0.4)
    assert "only 40% of the way" in result.summary


def test_least_squares_through_scattered_values():
    # (0, 100), (10, 90), (20, 94): mean x 10, mean y 284 / 3 = 94.667;
    # Sxy = -10 × 5.333 + 0 + 10 × -0.667 = -60; Sxx = 200; slope -0.3;
    # on day 100: 94.667 - 0.3 × 90 = 67.667, past the target of 80.
    result = status({10: 90, 20: 94}, deadline=100)
    assert result.projected_value == pytest.approx(284 / 3 - 27)
    assert result.status == tr.ON_TRACK
    assert result.distance_travelled == pytest.approx(0.3)  # (94 - 100) / -20


def test_only_the_last_six_values_are_fitted():
    # 50 on day 10, then 60 on days 20..70. The last six values are all 60: a flat line at 60,
    # (60 - 100) / (55 - 100) = 0.889 of the way. With the baseline or the 50 it would slope.
    result = status({10: 50, 20: 60, 30: 60, 40: 60, 50: 60, 60: 60, 70: 60}, target=55)
    assert result.projected_value == pytest.approx(60)
    assert result.status == tr.AT_RISK


def test_one_measurement_is_fitted_with_the_baseline():
    # Higher is better: 50 on day 0, 55 on day 50 -> 60 on day 100, exactly the target.
    result = status({50: 55}, baseline=50, target=60, deadline=100)
    assert result.direction == "up"
    assert result.projected_value == pytest.approx(60)
    assert result.status == tr.ON_TRACK
    assert result.distance_travelled == pytest.approx(0.5)


def test_going_the_wrong_way():
    # 100 -> 110 when the target is 80: -0.5 of the way, and heading away.
    result = status({50: 110})
    assert result.distance_travelled == pytest.approx(-0.5)
    assert result.status == tr.OFF_TRACK
    assert "heads away from the target" in result.summary


def test_beating_the_target_goes_past_one():
    result = status({50: 70})
    assert result.distance_travelled == pytest.approx(1.5)
    assert result.status == tr.ON_TRACK


def test_on_the_deadline_day_the_line_still_decides():
    result = status({50: 96, 100: 92}, deadline=100, today=100)
    assert result.status == tr.OFF_TRACK  # 92 on day 100 is 0.4 of the way
    assert result.projected_value == pytest.approx(92)


# --- no data ------------------------------------------------------------------------------------


def test_no_measurements_is_no_data():
    result = status({})
    assert result.status == tr.NO_DATA
    assert result.distance_travelled is None
    assert result.latest_value is None
    assert result.projected_value is None
    assert (
        result.summary == "No measurements since the baseline yet; the target is 80 by 19 Jul 2024."
    )


def test_measurements_on_or_before_the_baseline_date_and_after_today_are_ignored():
    result = status({-30: 50, 0: 60, 60: 70}, today=30)
    assert result.status == tr.NO_DATA


# --- after the deadline -------------------------------------------------------------------------


def test_achieved_after_the_deadline_from_the_last_value_before_it():
    # Deadline day 100: the last value on or before it is 79 on day 90, which meets 80.
    # The later 90 on day 120 does not change the verdict, but it is the distance travelled.
    result = status({50: 85, 90: 79, 120: 90}, deadline=100, today=150)
    assert result.status == tr.ACHIEVED
    assert result.distance_travelled == pytest.approx(0.5)  # (90 - 100) / -20
    assert result.latest_value == 90
    assert result.projected_value is None and result.projected_distance is None
    assert result.summary.startswith("Achieved: the last value before the deadline, 79 on")


def test_missed_after_the_deadline():
    result = status({50: 85, 90: 81}, deadline=100, today=150)
    assert result.status == tr.MISSED
    assert "did not meet the target of 80 by 10 Apr 2024" in result.summary


def test_a_past_deadline_with_no_data_is_no_data():
    assert status({}, deadline=100, today=150).status == tr.NO_DATA


def test_a_past_deadline_with_values_only_after_it_is_no_data():
    result = status({120: 70}, deadline=100, today=150)
    assert result.status == tr.NO_DATA
    assert result.distance_travelled == pytest.approx(1.5)
    assert result.summary.startswith("No measurement on or before the deadline")


# --- baseline equal to target, bad input -------------------------------------------------------


def test_a_hold_the_line_objective_needs_the_direction():
    with pytest.raises(ValueError, match="which direction is better"):
        status({50: 96}, baseline=95, target=95)


@pytest.mark.parametrize(
    ("values", "expected"),
    [({50: 95, 100: 97}, tr.ON_TRACK), ({50: 95, 100: 93}, tr.OFF_TRACK)],
)
def test_a_hold_the_line_objective(values, expected):
    result = status(values, baseline=95, target=95, direction="up")
    assert result.status == expected
    assert result.direction == "up"
    assert result.distance_travelled is None and result.projected_distance is None


def test_the_objectives_numbers_decide_the_direction():
    # The indicator says higher is better, but this objective is to bring the value down.
    assert status({50: 70}, direction="up").direction == "down"


def test_a_deadline_before_the_baseline_is_refused():
    with pytest.raises(ValueError, match="deadline"):
        status({}, deadline=-1)


def test_the_rule_is_one_plain_sentence():
    assert tr.TRAJECTORY_RULE.endswith(".") and ". " not in tr.TRAJECTORY_RULE
    assert "least squares" in tr.TRAJECTORY_RULE
    assert "75%" in tr.TRAJECTORY_RULE
    assert status({50: 96}).rule == tr.TRAJECTORY_RULE
