"""Checks on structured records: an objective's measure, baseline, target and deadline; an
indicator's baseline, target, source and frequency; the mix of indicators behind an impact.

The finding codes are listed in ``projects.coach.rules``. Values count as missing when they are
``None`` or blank text; ``0`` is a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from projects.coach.registry import Finding, Hint, rule, run_rules
from projects.coach.rules import IMPACT, INDICATOR_NAME, OBJECTIVE, review_statement

OBJECTIVE_FIELDS = "objective-fields"
INDICATOR_FIELDS = "indicator-fields"
IMPACT_INDICATORS = "impact-indicators"

LEADING = "leading"
LAGGING = "lagging"
INDICATOR_KINDS = (LEADING, LAGGING)

#: Statement codes about figures and dates: the fields answer these for a structured objective.
ANSWERED_BY_FIELDS = frozenset({"not-measurable", "no-target", "no-deadline"})

# "reduce costs by 20%", "halve", "double": a change relative to wherever things start.
_RELATIVE = re.compile(
    r"(?<!\w)by\s+(?:a\s+)?[\d.,]+\s*(?:%|per\s*cent|percentage\s+points?)"
    r"|(?<!\w)(?:halve[sd]?|halving|double[sd]?|doubling|treble[sd]?|triple[sd]?)(?!\w)"
    r"|(?<!\w)by\s+(?:a\s+)?(?:half|third|quarter|fifth|tenth)(?!\w)"
    r"|^\s*[+-]\s*[\d.,]+\s*%?\s*$",
    re.IGNORECASE,
)
_RARELY = re.compile(
    r"(?<!\w)(?:annual(?:ly)?|yearly|once|every\s+(?:year|two\s+years)|end\s+of\s+"
    r"(?:year|course|programme|project)|biennial(?:ly)?)(?!\w)",
    re.IGNORECASE,
)


def is_missing(value: Any) -> bool:
    """Whether a field is empty: ``None`` or blank text (``0`` is a value)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _if_missing(value: Any, message: str, suggestion: str) -> Hint | None:
    return Hint(message, suggestion) if is_missing(value) else None


@dataclass(frozen=True)
class ObjectiveFields:
    statement: str
    has_measure: bool
    baseline: Any
    target: Any
    deadline: Any

    @property
    def relative_target(self) -> bool:
        """Whether the target is a change relative to the start ("by 20%", "halve")."""
        return any(
            _RELATIVE.search(str(text))
            for text in (self.statement, self.target)
            if not is_missing(text)
        )


@dataclass(frozen=True)
class IndicatorFields:
    name: str
    kind: str
    baseline: Any
    target: Any
    source: Any
    frequency: Any

    relative_target = False


def review_objective(
    *, statement: str, has_measure: bool, baseline: Any, target: Any, deadline: Any
) -> list[Finding]:
    """The coach's findings on an objective recorded with its measure, baseline, target and
    deadline. The wording of the statement is checked too (vague, buzzword, task ...), but not
    for figures and dates, which the fields answer."""
    fields = ObjectiveFields(statement or "", has_measure, baseline, target, deadline)
    wording = [
        finding
        for finding in review_statement(fields.statement, OBJECTIVE)
        if finding.code not in ANSWERED_BY_FIELDS
    ]
    return wording + run_rules(OBJECTIVE_FIELDS, fields)


def review_indicator(
    *,
    name: str,
    kind: str,
    baseline_value: Any,
    target_value: Any,
    source: Any,
    frequency: Any,
    impact_statement: str | None,
) -> list[Finding]:
    """The coach's findings on one indicator of the impact ``impact_statement``.

    An indicator that counts activity is flagged only when the impact is about a change: if the
    impact is itself an activity, that is the finding to fix first (it is reported on the
    impact), and the count matches it.
    """
    if kind not in INDICATOR_KINDS:
        raise ValueError(f"indicator kind must be {' or '.join(INDICATOR_KINDS)}, not {kind!r}")
    findings = review_statement(name or "", INDICATOR_NAME)
    impact_findings = review_statement(impact_statement or "", IMPACT)
    if any(finding.code == "task-not-impact" for finding in impact_findings):
        findings = [finding for finding in findings if finding.code != "measures-activity"]
    fields = IndicatorFields(name or "", kind, baseline_value, target_value, source, frequency)
    return findings + run_rules(INDICATOR_FIELDS, fields)


def review_impact_indicators(kinds: list[str]) -> list[Finding]:
    """The coach's findings on the set of indicators behind one impact, given their kinds
    (``"leading"`` or ``"lagging"``)."""
    unknown = sorted(set(kinds) - set(INDICATOR_KINDS))
    if unknown:
        raise ValueError(f"indicator kinds must be {' or '.join(INDICATOR_KINDS)}, not {unknown}")
    return run_rules(IMPACT_INDICATORS, tuple(kinds))


# --- objective and indicator fields ------------------------------------------------------------


@rule("not-measurable", OBJECTIVE_FIELDS)
def objective_without_measure(fields: ObjectiveFields) -> Hint | None:
    """No measure is attached to the objective, so progress cannot be counted."""
    if fields.has_measure:
        return None
    return Hint(
        "No measure is attached, so nobody can count progress towards this objective.",
        "Attach the measure that will show it: the thing you will count or score, where the "
        'figures come from and how often, for example "average weeks from referral to first '
        'appointment, from the PAS, monthly".',
    )


@rule("no-baseline", OBJECTIVE_FIELDS, INDICATOR_FIELDS)
def no_baseline(fields: ObjectiveFields | IndicatorFields) -> Hint | None:
    """No baseline is recorded (a relative target without one has its own finding)."""
    if not is_missing(fields.baseline) or fields.relative_target:
        return None
    return Hint(
        "No baseline is recorded, so nobody will be able to tell how far things have moved.",
        "Record where things stand today, with the date it was measured, before the work starts.",
    )


@rule("relative-target-no-baseline", OBJECTIVE_FIELDS)
def relative_target_no_baseline(fields: ObjectiveFields) -> Hint | None:
    """The target is relative ("reduce costs by 20%", "halve") and no baseline is recorded, so
    the figure to reach cannot be worked out."""
    if not is_missing(fields.baseline) or not fields.relative_target:
        return None
    return Hint(
        "The target is a change relative to today, but today's figure is not recorded, so "
        "the figure to reach cannot be worked out.",
        'Record the baseline (for example "legal costs £2.4m in 2025/26"), so that "20% less" '
        'becomes a figure: "£1.92m by March 2027".',
    )


@rule("no-target", OBJECTIVE_FIELDS, INDICATOR_FIELDS)
def no_target(fields: ObjectiveFields | IndicatorFields) -> Hint | None:
    """No target is recorded: nothing says what success looks like in figures."""
    return _if_missing(
        fields.target,
        "No target is recorded, so there is no figure that counts as success.",
        "Record the figure you are aiming for and the date you aim to reach it by.",
    )


@rule("no-deadline", OBJECTIVE_FIELDS)
def objective_without_deadline(fields: ObjectiveFields) -> Hint | None:
    """No deadline is recorded."""
    return _if_missing(
        fields.deadline,
        "No deadline is recorded, so progress cannot be tracked against time.",
        'Record the date by which the target should be met, for example "31 March 2027".',
    )


@rule("no-source", INDICATOR_FIELDS)
def no_source(fields: IndicatorFields) -> Hint | None:
    """No source is recorded: nobody knows where the figures will come from."""
    return _if_missing(
        fields.source,
        "No source is recorded, so nobody knows where the figures will come from.",
        'Name the report or system and who runs it, for example "ESR monthly pay report, '
        'payroll manager".',
    )


@rule("no-frequency", INDICATOR_FIELDS)
def no_frequency(fields: IndicatorFields) -> Hint | None:
    """No frequency is recorded: nobody knows when to look."""
    return _if_missing(
        fields.frequency,
        "No frequency is recorded, so nobody knows when to look at it.",
        "Say how often it will be measured: often enough to steer by (weekly, monthly, termly).",
    )


@rule("infrequent-leading", INDICATOR_FIELDS)
def infrequent_leading(fields: IndicatorFields) -> Hint | None:
    """A leading indicator measured once a year or at the end: too late to steer by, which is
    what a leading indicator is for."""
    if fields.kind != LEADING or is_missing(fields.frequency):
        return None
    if not _RARELY.search(str(fields.frequency)):
        return None
    return Hint(
        f'A leading indicator measured "{fields.frequency}" arrives too late to steer by.',
        "Measure it weekly, monthly or termly, or choose an earlier sign of the change that "
        "can be.",
    )


# --- the indicators of one impact --------------------------------------------------------------


@rule("no-indicator", IMPACT_INDICATORS)
def no_indicator(kinds: tuple[str, ...]) -> Hint | None:
    """The impact has no indicator, so nobody can tell whether it is happening."""
    if kinds:
        return None
    return Hint(
        "This impact has no indicator, so nobody can tell whether it is happening.",
        "Add at least one leading indicator that shows you are getting there, for example "
        '"share of heads of department who have agreed their team\'s priorities".',
    )


@rule("no-leading-indicator", IMPACT_INDICATORS)
def no_leading_indicator(kinds: tuple[str, ...]) -> Hint | None:
    """Every indicator is lagging: they say whether you got there, not whether you are getting
    there (a success rate arrives when the course has ended)."""
    if not kinds or LEADING in kinds:
        return None
    return Hint(
        "Every indicator here is lagging: it will tell you whether you got there, too late to "
        "change course.",
        "Add a leading indicator, something you can see early and often, such as weekly "
        "attendance for a retention impact.",
    )
