"""Reads of the rest of the planning record, as plain data that a page, the overview and the
governors' PDF pack can all render. Each in a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.text import Truncator

from ..models import (
    Dependency,
    DesignPrinciple,
    Idea,
    Objective,
    PrincipleScore,
    Project,
    ProjectRole,
    Risk,
    Scenario,
)
from .chain import HistorySource

Score = PrincipleScore.Score

# --- the matrix: scenarios scored against the design principles --------------------------


@dataclass(frozen=True)
class MatrixCell:
    scenario: Scenario
    principle: DesignPrinciple
    score: str  # a PrincipleScore.Score value, or "" when not scored yet

    @property
    def label(self) -> str:
        return Score(self.score).label if self.score else "Not scored"


@dataclass(frozen=True)
class MatrixRow:
    scenario: Scenario
    cells: list[MatrixCell]

    @property
    def counts(self) -> Counter:
        return Counter(cell.score for cell in self.cells)

    @property
    def meets(self) -> int:
        return self.counts[Score.MEETS]

    @property
    def partly(self) -> int:
        return self.counts[Score.PARTLY]

    @property
    def does_not(self) -> int:
        return self.counts[Score.DOES_NOT]

    @property
    def unscored(self) -> int:
        return self.counts[""]


@dataclass(frozen=True)
class ScenarioMatrix:
    principles: list[DesignPrinciple]
    rows: list[MatrixRow]
    # (principle, score) for principles every scored scenario meets — or none does: the
    # seed's principle "so obvious that it applies to every possible solution" (or to none),
    # which does not help anyone choose.
    undiscriminating: list[tuple[DesignPrinciple, str]] = field(default_factory=list)

    @property
    def by_principle(self) -> list[tuple[DesignPrinciple, list[MatrixCell]]]:
        """The same cells turned round: a row per principle, a column per scenario."""
        return [
            (principle, [row.cells[index] for row in self.rows])
            for index, principle in enumerate(self.principles)
        ]

    @property
    def scored(self) -> int:
        return sum(len(row.cells) - row.unscored for row in self.rows)


def _undiscriminating(principles, rows) -> list[tuple[DesignPrinciple, str]]:
    found = []
    for index, principle in enumerate(principles):
        scores = [row.cells[index].score for row in rows if row.cells[index].score]
        if len(scores) >= 2 and len(set(scores)) == 1 and scores[0] != Score.PARTLY:
            found.append((principle, scores[0]))
    return found


def scenario_matrix(project: Project) -> ScenarioMatrix:
    """Every scenario × every principle, in order. Three queries."""
    principles = list(DesignPrinciple.objects.filter(project=project))
    scenarios = list(Scenario.objects.filter(project=project))
    scores = {
        (scenario_id, principle_id): score
        for scenario_id, principle_id, score in PrincipleScore.objects.filter(
            scenario__project=project
        ).values_list("scenario_id", "principle_id", "score")
    }
    rows = [
        MatrixRow(
            scenario,
            [MatrixCell(scenario, p, scores.get((scenario.pk, p.pk), "")) for p in principles],
        )
        for scenario in scenarios
    ]
    return ScenarioMatrix(principles, rows, _undiscriminating(principles, rows))


def chosen_scenario(matrix: ScenarioMatrix) -> MatrixRow | None:
    return next((row for row in matrix.rows if row.scenario.is_chosen), None)


# --- ideas ---------------------------------------------------------------------------------


def project_ideas(project: Project) -> list[Idea]:
    """Ideas not yet turned into a task first, then the ones that were, each in order."""
    return list(
        Idea.objects.filter(project=project)
        .select_related("created_by", "task")
        .order_by(Case(When(task__isnull=True, then=0), default=1), "position", "pk")
    )


# --- risks, constraints, issues and dependencies -------------------------------------------

STATUS_ORDER = Case(
    When(status=Risk.Status.OPEN, then=Value(0)),
    When(status=Risk.Status.MITIGATED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
HEAT_ROWS = range(5, 0, -1)  # likelihood, top row first
HEAT_COLUMNS = range(1, 6)  # impact


def risk_band(rating: int) -> str:
    """Where a likelihood × impact rating (1–25) sits on the usual 5 × 5 grid."""
    if rating >= 15:
        return "severe"
    if rating >= 8:
        return "high"
    if rating >= 4:
        return "medium"
    return "low"


def risk_register(project: Project) -> list[Risk]:
    """Open first, then mitigated, then closed; the highest rating first within each."""
    risks = Risk.objects.filter(project=project).annotate(status_order=STATUS_ORDER)
    found = sorted(risks, key=lambda risk: (risk.status_order, -risk.rating, risk.position))
    for risk in found:
        risk.band = risk_band(risk.rating)
    return found


def top_risks(risks: list[Risk], *, count: int = 5) -> list[Risk]:
    """The highest-rated entries not yet closed, from a list made by `risk_register`."""
    return [risk for risk in risks if risk.status != Risk.Status.CLOSED][:count]


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    risks: list[Risk]

    @property
    def band(self) -> str:
        return risk_band(self.likelihood * self.impact)


def risk_heat_map(risks: list[Risk]) -> list[list[HeatCell]]:
    """Rows of likelihood 5 → 1, columns of impact 1 → 5, holding the entries not closed."""
    live = [risk for risk in risks if risk.status != Risk.Status.CLOSED]
    return [
        [
            HeatCell(
                likelihood,
                impact,
                [r for r in live if (r.likelihood, r.impact) == (likelihood, impact)],
            )
            for impact in HEAT_COLUMNS
        ]
        for likelihood in HEAT_ROWS
    ]


def linkable_projects(user):
    """The projects `user` may open, so may see named and link to: those they hold a role on,
    less archived ones they do not lead."""
    archived_for_them = Q(archived_at__isnull=False) & ~Q(user_role=ProjectRole.Role.LEAD)
    return Project.objects.for_user(user).exclude(archived_for_them)


def project_dependencies(project: Project, user) -> list[Dependency]:
    """The project's dependencies. `.linked` is the other project when `user` may see it, so a
    project nobody told them about never shows its title. Two queries."""
    dependencies = list(
        Dependency.objects.filter(project=project).select_related("other_project")
    )
    visible = _visible_ids(user, {d.other_project_id for d in dependencies if d.other_project_id})
    for dependency in dependencies:
        dependency.linked = (
            dependency.other_project if dependency.other_project_id in visible else None
        )
        dependency.hidden_link = bool(dependency.other_project_id) and not dependency.linked
    return dependencies


def project_dependents(project: Project, user) -> list[Dependency]:
    """Dependencies of other projects on this one, from the projects `user` may see."""
    return list(
        Dependency.objects.filter(
            other_project=project, project__in=linkable_projects(user).values("pk")
        ).select_related("project")
    )


def _visible_ids(user, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(linkable_projects(user).filter(pk__in=ids).values_list("pk", flat=True))


# --- the overview: a one-page business case ------------------------------------------------


@dataclass(frozen=True)
class PlanningSummary:
    objectives: list[Objective]
    principles: list[DesignPrinciple]
    matrix: ScenarioMatrix
    chosen: MatrixRow | None
    risks: list[Risk]
    top_risks: list[Risk]
    dependencies: list[Dependency]
    open_ideas: int

    @property
    def open_risks(self) -> int:
        return sum(1 for risk in self.risks if risk.status != Risk.Status.CLOSED)

    @property
    def dependencies_at_risk(self) -> list[Dependency]:
        return [d for d in self.dependencies if d.status == Dependency.Status.AT_RISK]


def planning_summary(project: Project, user) -> PlanningSummary:
    """Everything the overview and the governors' pack show beyond the chain."""
    matrix = scenario_matrix(project)
    risks = risk_register(project)
    return PlanningSummary(
        objectives=list(Objective.objects.filter(project=project).select_related("indicator")),
        principles=matrix.principles,
        matrix=matrix,
        chosen=chosen_scenario(matrix),
        risks=risks,
        top_risks=top_risks(risks),
        dependencies=project_dependencies(project, user),
        open_ideas=Idea.objects.filter(project=project, task__isnull=True).count(),
    )


# --- history -------------------------------------------------------------------------------


def _score_history(history):
    """Score records name their scenario and principle, even when those have been deleted."""
    scenarios = Scenario.history.filter(id=OuterRef("scenario_id")).order_by("-history_date")
    principles = DesignPrinciple.history.filter(id=OuterRef("principle_id")).order_by(
        "-history_date"
    )
    return history.annotate(
        scenario_title=Subquery(scenarios.values("title")[:1]),
        principle_statement=Subquery(principles.values("statement")[:1]),
    )


def _score_label(record) -> str:
    scenario = Truncator(record.scenario_title or "a deleted scenario").chars(60)
    principle = Truncator(record.principle_statement or "a deleted principle").chars(60)
    return f"{scenario} against “{principle}”: {record.get_score_display()}"


def history_sources() -> list[HistorySource]:
    """The planning record's rows for `project_history`, each labelled from its own record."""
    return [
        HistorySource(DesignPrinciple, "principle", label=lambda r: r.statement, restorable=True),
        HistorySource(Scenario, "scenario", label=lambda r: r.title, restorable=True),
        HistorySource(PrincipleScore, "score", annotate=_score_history, label=_score_label),
        HistorySource(Idea, "idea", label=lambda r: r.task_title or r.note, restorable=True),
        HistorySource(Risk, "risk", label=lambda r: r.title, restorable=True),
        HistorySource(Dependency, "dependency", label=lambda r: r.description, restorable=True),
    ]
