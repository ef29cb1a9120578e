"""How outcome-focused a project is: the score on its Outcome focus panel, and the coach's
findings on every item, each linked to the item it is about.

The score out of 100 is a weighted sum of five shares (``WEIGHTS``); each share is the part of
its items that pass, and a share with nothing to count yet counts as 0, because what is
missing is itself the gap (a project with tasks and no impacts has no impacts with an
indicator either). The total is rounded down, so 100 means nothing is left to fix.

======================================  ======  =============================================
share                                   weight  why
======================================  ======  =============================================
tasks with an intended impact             20    the trunk is only a to-do list until each task
                                                says what it is for
impacts with an indicator                 15    nobody can tell whether an impact happens
                                                without one
impacts with a leading indicator          15    a lagging one arrives too late to steer by
measurable indicators                     15    baseline, target, source and frequency are
                                                all recorded
statements the coach has nothing to       35    impacts, objectives and design principles that
say about                                       say what will be different, not what the
                                                project will do
======================================  ======  =============================================

The wording weighs most because an impact that is really a task is the failure the Impact
Totem exists to catch: a totem whose every impact is an activity stops at 65 — below the
threshold — however complete its chain. At ``THRESHOLD`` (70) or above the verdict is
"outcome-focused", below it "task-focused".

Every check is the coach's (``projects.coach``); this module only counts its findings. The one
finding made here is ``no-impact`` (a task with no impact), which is about the chain's shape,
not about anything written.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import floor

from django.urls import reverse

from projects.coach import (
    KINDS,
    Finding,
    review_impact_indicators,
    review_indicator,
    review_objective,
    review_statement,
)

# The objective's own fields (measure, target, deadline) answer these; see review_objective.
from projects.coach.fields import ANSWERED_BY_FIELDS as ANSWERED_BY_OBJECTIVE_FIELDS

from ..models import DesignPrinciple, Impact, Indicator, Objective, Project, Task
from .chain import project_chain

#: At or above this score a project is "outcome-focused"; below it, "task-focused".
THRESHOLD = 70
OUTCOME_FOCUSED = "outcome-focused"
TASK_FOCUSED = "task-focused"

TASKS_WITH_IMPACT = "tasks-with-impact"
IMPACTS_WITH_INDICATOR = "impacts-with-indicator"
IMPACTS_WITH_LEADING = "impacts-with-leading"
MEASURABLE_INDICATORS = "measurable-indicators"
CLEAR_STATEMENTS = "clear-statements"

#: The points each share is worth; they add up to 100. See the module docstring for why.
WEIGHTS = {
    TASKS_WITH_IMPACT: 20,
    IMPACTS_WITH_INDICATOR: 15,
    IMPACTS_WITH_LEADING: 15,
    MEASURABLE_INDICATORS: 15,
    CLEAR_STATEMENTS: 35,
}
#: key -> (label, what is counted, what passing means)
LABELS = {
    TASKS_WITH_IMPACT: ("Tasks with an impact", "tasks", "each task says what it is for"),
    IMPACTS_WITH_INDICATOR: (
        "Impacts with an indicator",
        "impacts",
        "something that shows whether the impact is happening",
    ),
    IMPACTS_WITH_LEADING: (
        "Impacts with a leading indicator",
        "impacts",
        "one that shows you are getting there, not only that you got there",
    ),
    MEASURABLE_INDICATORS: (
        "Measurable indicators",
        "indicators",
        "baseline, target, source and frequency all recorded",
    ),
    CLEAR_STATEMENTS: (
        "Statements with no coach notes",
        "statements",
        "impacts, objectives and design principles that say what will be different",
    ),
}

#: The coach's codes that mean an indicator cannot be measured against anything yet.
UNMEASURABLE = frozenset({"no-baseline", "no-target", "no-source", "no-frequency"})

NO_IMPACT = Finding(
    "no-impact",
    "This task has no intended impact, so nothing says what doing it is for.",
    'Ask "so that what?" and add the answer as an impact: who or what will be different when '
    'the task is done, for example "Governors and SMT have agreed the case for change".',
)


@dataclass(frozen=True)
class Share:
    """One part of the score: how many of ``total`` items pass, worth ``weight`` points."""

    key: str
    label: str
    noun: str  # what is counted: "tasks", "impacts" ...
    detail: str  # what passing means
    weight: int
    count: int
    total: int

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.count, self.total) if self.total else Fraction(0)

    @property
    def percent(self) -> int:
        """The share passing, in whole per cent (rounded down)."""
        return floor(self.fraction * 100)

    @property
    def points(self) -> Fraction:
        return self.weight * self.fraction

    @property
    def points_display(self) -> str:
        """The points earned, to one decimal place where they are not whole."""
        points = float(self.points)
        return f"{points:.0f}" if points == int(points) else f"{floor(points * 10) / 10:.1f}"


# Where each kind of item is shown: (url name, anchor).
_ITEM_PAGES = {
    "task": ("projects:project-chain", "task-{pk}"),
    "impact": ("projects:project-chain", "impact-{pk}"),
    "indicator": ("projects:project-chain", "indicator-{pk}"),
    "objective": ("projects:objective-list", "objective-{pk}-h"),
    "principle": ("projects:project-options", "principle-{pk}"),
}


@dataclass(frozen=True)
class ItemFindings:
    """The coach's findings on one item of the project, with where to find the item."""

    kind: str  # task | impact | indicator | objective | principle
    pk: int
    project_id: int
    number: str  # "Impact 2.1", as the chain numbers it
    text: str
    findings: tuple[Finding, ...]

    @property
    def url(self) -> str:
        name, anchor = _ITEM_PAGES[self.kind]
        return reverse(name, args=[self.project_id]) + "#" + anchor.format(pk=self.pk)


@dataclass(frozen=True)
class OutcomeFocus:
    score: int  # out of 100, rounded down
    threshold: int
    shares: tuple[Share, ...]
    items: tuple[ItemFindings, ...]  # only items with findings, in the order of the record

    @property
    def verdict(self) -> str:
        return OUTCOME_FOCUSED if self.score >= self.threshold else TASK_FOCUSED

    @property
    def is_outcome_focused(self) -> bool:
        return self.verdict == OUTCOME_FOCUSED

    @property
    def points_short(self) -> int:
        """How far below the threshold the score is (0 at or above it)."""
        return max(0, self.threshold - self.score)

    @property
    def is_empty(self) -> bool:
        """Nothing to score yet: no task, impact, objective or principle."""
        return not any(share.total for share in self.shares)

    @property
    def finding_count(self) -> int:
        return sum(len(item.findings) for item in self.items)


# --- the coach's findings on one item ---------------------------------------------------------

#: The most of a statement the inline hint reads: the coach's longest statement is 400
#: characters, so this is enough for its "too long" finding and bounds the work per keystroke.
HINT_MAX_CHARS = 1000


def hint_findings(text: str, kind: str) -> list[Finding]:
    """What the coach says about one statement as it is being typed: nothing about an empty
    field; for an objective, only its wording (its figures and dates have fields of their own,
    which the Outcome focus page checks)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    text = text[:HINT_MAX_CHARS]
    if not text.strip():
        return []
    findings = review_statement(text, kind)
    if kind == "objective":
        findings = [f for f in findings if f.code not in ANSWERED_BY_OBJECTIVE_FIELDS]
    return findings


# The coach's rules are pure functions of what they read: the chain, the poster and the score
# ask again about the same statements on every request, so the answers are remembered by
# those inputs (a statement edited is a new key; nothing can go stale).
@lru_cache(maxsize=4096)
def _statement_findings(text: str, kind: str) -> tuple[Finding, ...]:
    return tuple(review_statement(text, kind))


@lru_cache(maxsize=4096)
def _indicator_findings(**fields) -> tuple[Finding, ...]:
    return tuple(review_indicator(**fields))


def impact_statement_findings(impact: Impact) -> list[Finding]:
    return list(_statement_findings(impact.statement, "impact"))


def impact_indicator_findings(impact: Impact) -> list[Finding]:
    """No indicator, or only lagging ones (uses the prefetched indicators)."""
    return review_impact_indicators([indicator.kind for indicator in impact.indicators.all()])


def indicator_findings(indicator: Indicator, impact: Impact) -> list[Finding]:
    return list(
        _indicator_findings(
            name=indicator.name,
            kind=indicator.kind,
            baseline_value=indicator.baseline_value,
            target_value=indicator.target_value,
            source=indicator.source,
            frequency=indicator.frequency,
            impact_statement=impact.statement,
        )
    )


def objective_findings(objective: Objective, indicators: dict[int, Indicator]) -> list[Finding]:
    """An objective left without a baseline uses its indicator's (as the objective form says)."""
    baseline = objective.baseline_value
    indicator = indicators.get(objective.indicator_id)
    if baseline is None and indicator is not None:
        baseline = indicator.baseline_value
    return review_objective(
        statement=objective.statement,
        has_measure=objective.indicator_id is not None,
        baseline=baseline,
        target=objective.target_value,
        deadline=objective.deadline,
    )


def principle_findings(principle: DesignPrinciple) -> list[Finding]:
    return list(_statement_findings(principle.statement, "principle"))


# --- the score --------------------------------------------------------------------------------


def outcome_focus(project: Project, *, tasks: list[Task] | None = None) -> OutcomeFocus:
    """The Outcome focus of ``project``, in a fixed number of queries whatever its size: the
    chain as ``project_chain`` loads it (unless `tasks` is that chain, loaded already), then
    its objectives and its design principles."""
    return score_outcome_focus(
        project_id=project.pk,
        tasks=project_chain(project) if tasks is None else tasks,
        objectives=list(Objective.objects.filter(project=project).order_by("position", "pk")),
        principles=list(DesignPrinciple.objects.filter(project=project).order_by("position", "pk")),
    )


class _Tally:
    def __init__(self):
        self.passed = dict.fromkeys(WEIGHTS, 0)
        self.total = dict.fromkeys(WEIGHTS, 0)

    def add(self, key: str, passed: bool) -> None:
        self.total[key] += 1
        self.passed[key] += bool(passed)


def score_outcome_focus(
    *,
    project_id: int,
    tasks: list[Task],
    objectives: list[Objective],
    principles: list[DesignPrinciple],
) -> OutcomeFocus:
    """The Outcome focus of a project already loaded (tasks as ``project_chain`` returns them):
    no queries. The governors' pack calls this with the rows it has loaded."""
    tally = _Tally()
    items: list[ItemFindings] = []

    def note(kind, pk, number, text, findings):
        if findings:
            items.append(ItemFindings(kind, pk, project_id, number, text, tuple(findings)))

    indicators_by_pk = {}
    for t, task in enumerate(tasks, start=1):
        impacts = task.impacts.all()
        tally.add(TASKS_WITH_IMPACT, bool(impacts))
        if not impacts:
            note("task", task.pk, f"Task {t}", task.title, [NO_IMPACT])
        for m, impact in enumerate(impacts, start=1):
            wording = impact_statement_findings(impact)
            mix = impact_indicator_findings(impact)
            codes = {finding.code for finding in mix}
            tally.add(IMPACTS_WITH_INDICATOR, "no-indicator" not in codes)
            tally.add(IMPACTS_WITH_LEADING, not codes & {"no-indicator", "no-leading-indicator"})
            tally.add(CLEAR_STATEMENTS, not wording)
            note("impact", impact.pk, f"Impact {t}.{m}", impact.statement, wording + mix)
            for n, indicator in enumerate(impact.indicators.all(), start=1):
                indicators_by_pk[indicator.pk] = indicator
                findings = indicator_findings(indicator, impact)
                measurable = not {finding.code for finding in findings} & UNMEASURABLE
                tally.add(MEASURABLE_INDICATORS, measurable)
                note("indicator", indicator.pk, f"Indicator {t}.{m}.{n}", indicator.name, findings)
    for number, objective in enumerate(objectives, start=1):
        findings = objective_findings(objective, indicators_by_pk)
        tally.add(CLEAR_STATEMENTS, not findings)
        note("objective", objective.pk, f"Objective {number}", objective.statement, findings)
    for number, principle in enumerate(principles, start=1):
        findings = principle_findings(principle)
        tally.add(CLEAR_STATEMENTS, not findings)
        note("principle", principle.pk, f"Principle {number}", principle.statement, findings)

    shares = tuple(
        Share(key, *LABELS[key], weight, tally.passed[key], tally.total[key])
        for key, weight in WEIGHTS.items()
    )
    score = floor(sum((share.points for share in shares), Fraction(0)))
    return OutcomeFocus(score, THRESHOLD, shares, tuple(items))
