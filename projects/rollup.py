"""Is the impact happening? One state per indicator from its SPC verdicts, rolled up to its
impact and from impacts to their task. Pure Python with no Django import.

The rule is `ROLLUP_RULE`, written to be shown on the page as it stands. Worst first: one
indicator of concern makes its impact a concern, because a governor should hear about it even
when another indicator looks good.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from projects import spc

IMPROVING = "improving"
CONCERN = "concern"
NO_SIGNAL = "no-signal"
NO_DATA = "no-data"
ORDER = (CONCERN, IMPROVING, NO_SIGNAL, NO_DATA)  # the first present wins a roll-up

LABELS = {
    IMPROVING: "Happening",
    CONCERN: "Concern",
    NO_SIGNAL: "No change yet",
    NO_DATA: "Not enough data",
}

ROLLUP_RULE = (
    "An indicator is a concern when it will consistently miss its target, and happening when "
    "it will consistently meet it, whatever its latest point (as for objectives); otherwise "
    "happening when its latest point is a special cause of improvement, a concern when it is "
    "a special cause of concern, no change yet when it shows common-cause "
    f"variation only; and not enough data with fewer than {spc.MIN_POINTS_FOR_LIMITS} "
    "measurements. An impact takes the worst state of its indicators in the order concern, "
    "happening, no change yet, not enough data, and a task the worst state of its impacts."
)


@dataclass(frozen=True)
class State:
    code: str

    @property
    def label(self) -> str:
        return LABELS[self.code]

    def __str__(self) -> str:
        return self.label


def indicator_state(variation: str, assurance: str) -> State:
    """The state of one indicator from spc_analyse's variation and assurance verdicts. The
    assurance speaks first, as it does for an objective (trajectory.STATUS_RULE): a process
    that will consistently miss its target is a concern even while its latest point improves."""
    if assurance == spc.ASSURANCE_FAILING:
        return State(CONCERN)
    if assurance == spc.ASSURANCE_PASSING:
        return State(IMPROVING)
    if variation == spc.VARIATION_CONCERN:
        return State(CONCERN)
    if variation == spc.VARIATION_IMPROVEMENT:
        return State(IMPROVING)
    if variation == spc.NOT_ENOUGH_DATA:
        return State(NO_DATA)
    return State(NO_SIGNAL)


def combine(states: Iterable[State]) -> State:
    """The worst of `states` in ORDER; no states at all is not enough data."""
    codes = {state.code for state in states}
    return State(next((code for code in ORDER if code in codes), NO_DATA))
