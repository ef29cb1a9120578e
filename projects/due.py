"""When an indicator's next figure is due: pure functions of its frequency, its values' dates,
the day it was added, today and the project's grace period. No database access, so every page,
the reminder sweep and the portfolio read the same answer from the same inputs.

A figure is for a period, and a value dated anywhere inside a period counts for it (a value
entered late but dated in its period still counts). Periods:
- weekly: Monday to Sunday;
- monthly: a calendar month;
- quarterly: January–March, April–June, July–September, October–December;
- termly: three terms of the academic year, September–December, January–April, May–August;
- annually: the UK financial year, April to March;
- "when it happens" (and a blank frequency): no schedule, so never due.

The next period due is the one after the latest value's period, or, for an indicator with no
value yet, the period the indicator was added in (Totem never asks for figures from before an
indicator existed). Its figure is due by the period's last day: "due" from a few days before
that, "overdue" once the project's grace period after it has passed, and "escalated" (the lead
is told) once a further number of days has passed.
"""

import calendar
import enum
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

WEEKLY, MONTHLY, QUARTERLY = "weekly", "monthly", "quarterly"
TERMLY, ANNUALLY = "termly", "annually"

# The month each period starts in, by frequency (months are 1-12), and its length in months.
_MONTH_PERIODS = {
    MONTHLY: (tuple(range(1, 13)), 1),
    QUARTERLY: ((1, 4, 7, 10), 3),
    TERMLY: ((1, 5, 9), 4),
    ANNUALLY: ((4,), 12),
}

SCHEDULED = frozenset({WEEKLY, *_MONTH_PERIODS})

# How many days before a period's last day its figure shows as due.
DUE_SOON_DAYS = {WEEKLY: 2}
DEFAULT_DUE_SOON_DAYS = 7

DEFAULT_GRACE_DAYS = 7
DEFAULT_ESCALATE_AFTER_DAYS = 14


class State(enum.StrEnum):
    NOT_DUE = "not_due"
    DUE = "due"
    OVERDUE = "overdue"


STATE_LABELS = {State.NOT_DUE: "Not due", State.DUE: "Due", State.OVERDUE: "Overdue"}


@dataclass(frozen=True)
class Period:
    frequency: str
    start: date
    end: date  # the last day; the figure is due by then

    @property
    def label(self) -> str:
        if self.frequency == WEEKLY:
            return f"week of {self.start.day} {self.start:%b %Y}"
        if self.frequency == MONTHLY:
            return f"{self.start:%B %Y}"
        if self.frequency == ANNUALLY:
            return f"{self.start.year}/{(self.start.year + 1) % 100:02d}"
        return f"{self.start:%b}–{self.end:%b %Y}"


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


@lru_cache(maxsize=4096)
def period_of(frequency: str, day: date) -> Period | None:
    """The period of `frequency` that contains `day`, or None for an unscheduled indicator."""
    if frequency == WEEKLY:
        start = day - timedelta(days=day.weekday())
        return Period(frequency, start, start + timedelta(days=6))
    if frequency not in _MONTH_PERIODS:
        return None
    starts, length = _MONTH_PERIODS[frequency]
    year, month = day.year, max((m for m in starts if m <= day.month), default=None)
    if month is None:  # before the first start of the year: the period began last year
        year, month = year - 1, starts[-1]
    end_year, end_month = _add_months(year, month, length - 1)
    last_day = calendar.monthrange(end_year, end_month)[1]
    return Period(frequency, date(year, month, 1), date(end_year, end_month, last_day))


def period_after(period: Period) -> Period:
    next_period = period_of(period.frequency, period.end + timedelta(days=1))
    assert next_period is not None
    return next_period


def next_period_due(frequency: str, *, last_value: date | None, added: date) -> Period | None:
    """The first period without a figure: the one after the latest value's, or the one the
    indicator was added in. None when the indicator has no schedule."""
    if frequency not in SCHEDULED:
        return None
    if last_value is not None:
        return period_after(period_of(frequency, last_value))
    return period_of(frequency, added)


@dataclass(frozen=True)
class Due:
    state: State
    period: Period | None
    due_on: date | None  # the period's last day
    overdue_from: date | None  # the first day it counts as overdue (after the grace period)
    escalate_from: date | None  # the first day the lead is told

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def is_due(self) -> bool:
        return self.state == State.DUE

    @property
    def is_overdue(self) -> bool:
        return self.state == State.OVERDUE

    @property
    def needs_figure(self) -> bool:
        return self.state != State.NOT_DUE

    def escalated(self, today: date) -> bool:
        return self.escalate_from is not None and today >= self.escalate_from


NOT_SCHEDULED = Due(State.NOT_DUE, None, None, None, None)


@lru_cache(maxsize=65536)  # pure, and most indicators share their inputs with many others
def due_state(
    frequency: str,
    *,
    last_value: date | None,
    added: date,
    today: date,
    grace_days: int = DEFAULT_GRACE_DAYS,
    escalate_after_days: int = DEFAULT_ESCALATE_AFTER_DAYS,
) -> Due:
    """Not due / due / overdue for the next figure of an indicator measured every `frequency`."""
    period = next_period_due(frequency, last_value=last_value, added=added)
    if period is None:
        return NOT_SCHEDULED
    due_on = period.end
    overdue_from = due_on + timedelta(days=grace_days + 1)
    escalate_from = overdue_from + timedelta(days=escalate_after_days)
    soon = DUE_SOON_DAYS.get(frequency, DEFAULT_DUE_SOON_DAYS)
    if today >= overdue_from:
        state = State.OVERDUE
    elif today >= due_on - timedelta(days=soon):
        state = State.DUE
    else:
        state = State.NOT_DUE
    return Due(state, period, due_on, overdue_from, escalate_from)
