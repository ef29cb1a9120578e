"""The roll-up from SPC verdicts to indicators, impacts and tasks, and when an indicator is due.
Pure functions: no database."""

from datetime import date

import pytest

from projects import rollup, spc
from projects.selectors.measures import is_due, months_between


@pytest.mark.parametrize(
    ("variation", "assurance", "state"),
    [
        # The assurance speaks first, as for objectives.
        (spc.VARIATION_CONCERN, spc.ASSURANCE_PASSING, rollup.IMPROVING),
        (spc.VARIATION_IMPROVEMENT, spc.ASSURANCE_FAILING, rollup.CONCERN),
        (spc.VARIATION_IMPROVEMENT, spc.ASSURANCE_HIT_AND_MISS, rollup.IMPROVING),
        (spc.VARIATION_COMMON, spc.ASSURANCE_PASSING, rollup.IMPROVING),
        (spc.VARIATION_COMMON, spc.ASSURANCE_FAILING, rollup.CONCERN),
        (spc.VARIATION_COMMON, spc.ASSURANCE_HIT_AND_MISS, rollup.NO_SIGNAL),
        (spc.VARIATION_COMMON, spc.ASSURANCE_NO_TARGET, rollup.NO_SIGNAL),
        (spc.NOT_ENOUGH_DATA, spc.NOT_ENOUGH_DATA, rollup.NO_DATA),
        (spc.NOT_ENOUGH_DATA, spc.ASSURANCE_NO_TARGET, rollup.NO_DATA),
    ],
)
def test_indicator_state(variation, assurance, state):
    assert rollup.indicator_state(variation, assurance).code == state


@pytest.mark.parametrize(
    ("states", "worst"),
    [
        ([rollup.IMPROVING, rollup.CONCERN, rollup.NO_DATA], rollup.CONCERN),
        ([rollup.NO_SIGNAL, rollup.IMPROVING], rollup.IMPROVING),
        ([rollup.NO_DATA, rollup.NO_SIGNAL], rollup.NO_SIGNAL),
        ([rollup.NO_DATA], rollup.NO_DATA),
        ([], rollup.NO_DATA),
    ],
)
def test_the_worst_state_wins_a_roll_up(states, worst):
    assert rollup.combine(rollup.State(code) for code in states).code == worst


def test_the_rule_is_written_for_the_page():
    assert "worst state" in rollup.ROLLUP_RULE
    assert f"fewer than {spc.MIN_POINTS_FOR_LIMITS}" in rollup.ROLLUP_RULE
    assert str(rollup.State(rollup.CONCERN)) == "Concern"


def test_months_between():
    assert months_between(date(2025, 11, 1), date(2026, 2, 1)) == 3
    assert months_between(date(2026, 2, 28), date(2026, 3, 1)) == 1


@pytest.mark.parametrize(
    ("frequency", "last", "due"),
    [
        ("monthly", None, True),
        ("monthly", date(2026, 3, 1), True),
        ("monthly", date(2026, 4, 1), False),  # the period itself is answered by `current`
        ("", date(2026, 3, 1), True),
        ("weekly", date(2026, 3, 31), True),
        ("quarterly", date(2026, 2, 1), False),
        ("quarterly", date(2026, 1, 1), True),
        ("termly", date(2026, 1, 1), False),
        ("termly", date(2025, 12, 1), True),
        ("annually", date(2025, 5, 1), False),
        ("annually", date(2025, 4, 1), True),
        ("ad_hoc", None, False),
    ],
)
def test_when_an_indicator_is_due(frequency, last, due):
    assert is_due(frequency, date(2026, 4, 1), last) is due
