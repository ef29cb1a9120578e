"""Due dates for every frequency: periods, month ends, leap years, figures entered late."""

from datetime import date

import pytest

from projects import due
from projects.due import State


@pytest.mark.parametrize(
    "frequency, day, start, end",
    [
        ("weekly", date(2026, 3, 4), date(2026, 3, 2), date(2026, 3, 8)),
        # a week that spans a month end and a year end
        ("weekly", date(2026, 12, 31), date(2026, 12, 28), date(2027, 1, 3)),
        ("monthly", date(2026, 1, 31), date(2026, 1, 1), date(2026, 1, 31)),
        ("monthly", date(2026, 4, 15), date(2026, 4, 1), date(2026, 4, 30)),
        ("monthly", date(2028, 2, 10), date(2028, 2, 1), date(2028, 2, 29)),  # leap year
        ("monthly", date(2027, 2, 10), date(2027, 2, 1), date(2027, 2, 28)),
        ("quarterly", date(2026, 5, 20), date(2026, 4, 1), date(2026, 6, 30)),
        ("quarterly", date(2026, 12, 31), date(2026, 10, 1), date(2026, 12, 31)),
        ("termly", date(2026, 10, 1), date(2026, 9, 1), date(2026, 12, 31)),
        ("termly", date(2026, 2, 1), date(2026, 1, 1), date(2026, 4, 30)),
        ("termly", date(2026, 8, 31), date(2026, 5, 1), date(2026, 8, 31)),
        ("annually", date(2026, 3, 31), date(2025, 4, 1), date(2026, 3, 31)),
        ("annually", date(2026, 4, 1), date(2026, 4, 1), date(2027, 3, 31)),
    ],
)
def test_period_of_every_frequency(frequency, day, start, end):
    period = due.period_of(frequency, day)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("frequency", ["ad_hoc", ""])
def test_unscheduled_indicators_are_never_due(frequency):
    state = due.due_state(
        frequency, last_value=None, added=date(2020, 1, 1), today=date(2026, 1, 1)
    )
    assert state.state == State.NOT_DUE and state.period is None


def test_next_period_follows_the_latest_value():
    period = due.next_period_due("monthly", last_value=date(2026, 1, 1), added=date(2025, 1, 1))
    assert (period.start, period.end) == (date(2026, 2, 1), date(2026, 2, 28))
    period = due.next_period_due("quarterly", last_value=date(2026, 2, 14), added=date(2025, 1, 1))
    assert (period.start, period.end) == (date(2026, 4, 1), date(2026, 6, 30))


def test_no_value_yet_starts_from_the_period_the_indicator_was_added_in():
    period = due.next_period_due("monthly", last_value=None, added=date(2026, 3, 17))
    assert period.start == date(2026, 3, 1)


def monthly(today, last_value=date(2026, 1, 1), **kwargs):
    return due.due_state(
        "monthly", last_value=last_value, added=date(2025, 1, 1), today=today, **kwargs
    )


def test_monthly_states_around_the_due_date_and_grace_period():
    # January is in; February's figure is due by 28 Feb, overdue after a 7-day grace period.
    assert monthly(date(2026, 2, 20)).state == State.NOT_DUE
    assert monthly(date(2026, 2, 21)).state == State.DUE
    assert monthly(date(2026, 2, 28)).due_on == date(2026, 2, 28)
    assert monthly(date(2026, 3, 7)).state == State.DUE  # the last day of grace
    assert monthly(date(2026, 3, 8)).state == State.OVERDUE
    assert monthly(date(2026, 3, 8), grace_days=0).overdue_from == date(2026, 3, 1)


def test_a_figure_entered_late_but_dated_in_its_period_counts_for_that_period():
    # February's figure, typed in on 10 March and dated 1 February: March is next.
    state = monthly(date(2026, 3, 10), last_value=date(2026, 2, 1))
    assert state.period.start == date(2026, 3, 1) and state.state == State.NOT_DUE


def test_several_missing_periods_report_the_earliest():
    state = monthly(date(2026, 6, 15), last_value=date(2026, 1, 1))
    assert state.state == State.OVERDUE and state.period.label == "February 2026"


def test_escalation_starts_after_the_second_threshold():
    state = monthly(date(2026, 3, 21), escalate_after_days=14)
    assert state.escalate_from == date(2026, 3, 22)
    assert not state.escalated(date(2026, 3, 21))
    assert state.escalated(date(2026, 3, 22))


def test_weekly_due_shortly_before_sunday():
    state = due.due_state(
        "weekly", last_value=date(2026, 3, 2), added=date(2026, 1, 1), today=date(2026, 3, 13)
    )
    assert state.due_on == date(2026, 3, 15) and state.state == State.DUE
    assert due.due_state(
        "weekly", last_value=date(2026, 3, 2), added=date(2026, 1, 1), today=date(2026, 3, 12)
    ).state == State.NOT_DUE


def test_annual_due_at_the_end_of_the_financial_year():
    state = due.due_state(
        "annually", last_value=date(2025, 3, 31), added=date(2020, 1, 1), today=date(2026, 3, 30)
    )
    assert state.period.label == "2025/26" and state.due_on == date(2026, 3, 31)
    assert state.state == State.DUE
