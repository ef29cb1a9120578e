"""The portfolio: one summary row per project a person may see, for the dashboard, its exports
and the My-work page. A fixed number of queries whatever the number of projects or indicators.

Each row reads what is stored, never re-analyses a series:
- Making Data Count icons from each indicator's stored SPC state (`SpcState`, written by the
  services whenever values, change points, the SPC baseline or the indicator change);
- objectives with the one status (`projects.trajectory.STATUS_RULE`) from
  `projects.selectors.measures.objective_status`, as on the Objectives page and in the pack;
- overdue figures from `projects.due.due_state`, fed with the stored date of the latest value;
- the outcome-focus score from `projects.selectors.coach.score_outcome_focus`, kept in the cache
  under a stamp of the rows it is computed from (their count and latest change per project),
  so an edit to the chain, the objectives or the principles computes it again.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Case, Count, F, Max, Prefetch, Q, When

from assessments.models import Checklist, ChecklistResponse
from assessments.selectors import summarise
from projects import due, rollup, spc, trajectory
from projects.models import (
    DesignPrinciple,
    Impact,
    Indicator,
    Measurement,
    Objective,
    Organisation,
    Project,
    Task,
)
from projects.selectors.coach import score_outcome_focus
from projects.selectors.measures import objective_status

from ..models import Decision, Pack

# The objective columns: every status falls in one of them (achieved counts as on track,
# missed as off track), in the order the dashboard shows them.
ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "on-track", "at-risk", "off-track", "no-data"
OBJECTIVE_COLUMNS = {
    trajectory.ON_TRACK: ON_TRACK,
    trajectory.ACHIEVED: ON_TRACK,
    trajectory.AT_RISK: AT_RISK,
    trajectory.OFF_TRACK: OFF_TRACK,
    trajectory.MISSED: OFF_TRACK,
    trajectory.NO_DATA: NO_DATA,
}
STATUS_LABELS = {
    OFF_TRACK: "Off track",
    AT_RISK: "At risk",
    ON_TRACK: "On track",
    NO_DATA: "No data",
}
# A project's status is its worst objective's; none at all is "no data".
STATUS_ORDER = (OFF_TRACK, AT_RISK, ON_TRACK, NO_DATA)

# (code, words, css class of the Making Data Count icon, its letter) in the dashboard's order.
VARIATION_ICONS = (
    (spc.VARIATION_IMPROVEMENT, "Special cause: improvement", "improvement", ""),
    (spc.VARIATION_CONCERN, "Special cause: concern", "concern", ""),
    (spc.VARIATION_COMMON, "Common cause", "common", ""),
    (spc.NOT_ENOUGH_DATA, "Not enough data", "none", ""),
)
ASSURANCE_ICONS = (
    (spc.ASSURANCE_PASSING, "Will consistently meet the target", "improvement", "P"),
    (spc.ASSURANCE_FAILING, "Will consistently miss the target", "concern", "F"),
    (spc.ASSURANCE_HIT_AND_MISS, "Hit and miss", "common", "?"),
    (spc.ASSURANCE_NO_TARGET, "No target, or too few points", "none", ""),
)

ATTENTION_RULE = (
    "A project needs attention when an objective is off track or missed, an indicator is a "
    "concern (a special cause of concern, or a process that will consistently miss its "
    "target), a figure is overdue, or a decision is waiting."
)

FOCUS_CACHE_SECONDS = 7 * 24 * 3600


@dataclass
class ProjectSummary:
    project: Project
    role: str
    readiness: str | None = None  # the latest checklist's verdict; None before the first
    readiness_ready: bool | None = None
    outcome_focus: int | None = None  # out of 100; None: nothing to score yet
    objectives: Counter = field(default_factory=Counter)  # ON_TRACK.. -> count
    variation: Counter = field(default_factory=Counter)  # spc.VARIATION_* -> count
    assurance: Counter = field(default_factory=Counter)  # spc.ASSURANCE_* -> count
    concerns: int = 0  # indicators whose state is a concern (rollup)
    overdue: int = 0
    decisions_waiting: list[str] = field(default_factory=list)
    last_pack: Pack | None = None
    last_decision: Decision | None = None

    @property
    def organisation(self) -> Organisation:
        return self.project.lead_organisation

    @property
    def on_track(self) -> int:
        return self.objectives[ON_TRACK]

    @property
    def at_risk(self) -> int:
        return self.objectives[AT_RISK]

    @property
    def off_track(self) -> int:
        return self.objectives[OFF_TRACK]

    @property
    def no_data(self) -> int:
        return self.objectives[NO_DATA]

    @property
    def status(self) -> str:
        return next((code for code in STATUS_ORDER if self.objectives[code]), NO_DATA)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def attention_reasons(self) -> list[str]:
        reasons = []
        if self.objectives[OFF_TRACK]:
            n = self.objectives[OFF_TRACK]
            reasons.append(f"{n} objective{'s' * (n != 1)} off track")
        if self.concerns:
            reasons.append(f"{self.concerns} indicator{'s' * (self.concerns != 1)} of concern")
        if self.overdue:
            reasons.append(f"{self.overdue} figure{'s' * (self.overdue != 1)} overdue")
        if self.decisions_waiting:
            n = len(self.decisions_waiting)
            reasons.append(f"{n} decision{'s' * (n != 1)} waiting")
        return reasons

    @property
    def needs_attention(self) -> bool:
        return bool(self.attention_reasons)

    @property
    def variation_counts(self) -> list[tuple[str, str, str, str, int]]:
        return [(*icon, self.variation[icon[0]]) for icon in VARIATION_ICONS]

    @property
    def assurance_counts(self) -> list[tuple[str, str, str, str, int]]:
        return [(*icon, self.assurance[icon[0]]) for icon in ASSURANCE_ICONS]


def visible_projects(user, organisation: Organisation | None = None):
    """The live projects `user` holds a role on (led or partnered by `organisation`, if given),
    with `user_role` and the lead organisation."""
    projects = Project.objects.for_user(user).filter(archived_at__isnull=True)
    if organisation is not None:
        shared = Q(lead_organisation=organisation) | Q(partner_organisations=organisation)
        ids = projects.filter(shared).values("pk")
        projects = Project.objects.for_user(user).filter(pk__in=ids)
    return projects.select_related("lead_organisation").order_by("title", "pk")


def portfolio_summaries(
    user, *, today: date, organisation: Organisation | None = None
) -> list[ProjectSummary]:
    """A summary of every project `user` may see (of `organisation`, if given), by title."""
    projects = list(visible_projects(user, organisation))
    return summarise_projects(projects, today=today)


def summarise_projects(projects: Sequence[Project], *, today: date) -> list[ProjectSummary]:
    """Summaries of `projects` (loaded with `user_role` and `lead_organisation`): eleven queries
    when every outcome-focus score is in the cache, five more when any is not."""
    rows = {
        project.pk: ProjectSummary(project=project, role=getattr(project, "user_role", None) or "")
        for project in projects
    }
    if not rows:
        return []
    ids = list(rows)
    _add_indicators(rows, ids, today)
    _add_objectives(rows, ids, today)
    _add_readiness(rows, ids)
    _add_packs_and_decisions(rows, ids)
    _add_outcome_focus(rows, ids)
    return list(rows.values())


def _add_indicators(rows: dict[int, ProjectSummary], ids: list[int], today: date) -> None:
    """Making Data Count icons, concerns and overdue figures: one query, grouped in the
    database by everything the columns depend on, so 40 alike indicators are one row."""
    groups = (
        Indicator.objects.filter(project_id__in=ids)
        .order_by()
        # When it was added matters only before its first value (projects.due): grouping by
        # it for every indicator would make each indicator a group of its own.
        .annotate(added=Case(When(spc_state__latest_date__isnull=True, then=F("created_at"))))
        .values_list(
            "project_id",
            "frequency",
            "added",
            "spc_state__variation",
            "spc_state__assurance",
            "spc_state__state",
            "spc_state__latest_date",
        )
        .annotate(n=Count("pk"))
    )
    figures: dict[tuple, bool] = {}  # due_state is pure: alike indicators are judged once
    for project_id, frequency, added, variation, assurance, state, latest, n in groups:
        row = rows[project_id]
        row.variation[variation or spc.NOT_ENOUGH_DATA] += n
        if assurance in (None, spc.NOT_ENOUGH_DATA):
            assurance = spc.ASSURANCE_NO_TARGET  # no icon to show either way
        row.assurance[assurance] += n
        if state == rollup.CONCERN:
            row.concerns += n
        if frequency in due.SCHEDULED:
            project = row.project
            key = (
                frequency,
                latest,
                added,
                project.figures_grace_days,
                project.figures_escalate_after_days,
            )
            if key not in figures:
                figures[key] = due.due_state(
                    frequency,
                    last_value=latest,
                    added=added.date() if added else latest,  # as selectors.due reads it
                    today=today,
                    grace_days=project.figures_grace_days,
                    escalate_after_days=project.figures_escalate_after_days,
                ).is_overdue
            if figures[key]:
                row.overdue += n


def _add_objectives(rows: dict[int, ProjectSummary], ids: list[int], today: date) -> None:
    """Objective statuses by the one rule. Each status is kept in the cache under what it is
    computed from (the objective as last saved, its indicator's stored SPC state, which is
    written whenever a value changes, and today), so a warm dashboard reads one small query;
    the objectives missing from the cache cost two more (them and their indicators' values)."""
    keys = {}
    for pk, project_id, saved, indicator_id, computed in (
        Objective.objects.filter(project_id__in=ids)
        .order_by()
        .values_list(
            "pk", "project_id", "updated_at", "indicator_id", "indicator__spc_state__computed_at"
        )
    ):
        stamp = f"{saved.isoformat()}|{indicator_id}|{computed.isoformat() if computed else '-'}"
        keys[pk] = (project_id, f"totem:objective-status:{pk}:{today.isoformat()}:{stamp}")
    cached = cache.get_many([key for _, key in keys.values()])
    missing = [pk for pk, (_, key) in keys.items() if key not in cached]
    computed_now = _objective_statuses(missing, today) if missing else {}
    cache.set_many(
        {keys[pk][1]: status for pk, status in computed_now.items()}, FOCUS_CACHE_SECONDS
    )
    for pk, (project_id, key) in keys.items():
        status = cached.get(key, computed_now.get(pk, trajectory.NO_DATA))
        rows[project_id].objectives[OBJECTIVE_COLUMNS[status]] += 1


def _objective_statuses(ids: list[int], today: date) -> dict[int, str]:
    """The one status of these objectives: two queries."""
    objectives = list(Objective.objects.filter(pk__in=ids).select_related("indicator__spc_state"))
    indicator_ids = {o.indicator_id for o in objectives if o.indicator_id}
    series: dict[int, list] = defaultdict(list)
    values = Measurement.objects.filter(indicator_id__in=indicator_ids).order_by()
    for indicator_id, when, value in values.values_list("indicator_id", "date", "value"):
        series[indicator_id].append((when, value))
    return {
        objective.pk: objective_status(
            objective, objective.indicator, series.get(objective.indicator_id, ()), today=today
        ).status
        for objective in objectives
    }


def _add_readiness(rows: dict[int, ProjectSummary], ids: list[int]) -> None:
    """The latest readiness checklist's verdict: two queries."""
    latest: dict[int, Checklist] = {}
    for checklist in Checklist.objects.filter(project_id__in=ids).order_by(
        "project_id", "-created_at", "-pk"
    ):
        latest.setdefault(checklist.project_id, checklist)
    responses = defaultdict(list)
    for response in (
        ChecklistResponse.objects.filter(checklist_id__in=[c.pk for c in latest.values()])
        .select_related("item")
        .order_by("item__position", "item__pk")
    ):
        responses[response.checklist_id].append(response)
    for project_id, checklist in latest.items():
        summary = summarise(checklist, responses[checklist.pk])
        rows[project_id].readiness = summary.verdict
        rows[project_id].readiness_ready = summary.ready


def _add_packs_and_decisions(rows: dict[int, ProjectSummary], ids: list[int]) -> None:
    """The latest ready governors' pack and the latest decision: two queries. A decision is
    waiting when the latest pack has none yet, or when the latest decision was deferred or
    approved on conditions."""
    packs = Pack.objects.filter(
        kind=Pack.Kind.PROJECT, status=Pack.Status.READY, project_id__in=ids
    ).order_by("project_id", "-version")
    for pack in packs.defer("error"):
        if rows[pack.project_id].last_pack is None:
            rows[pack.project_id].last_pack = pack
    for decision in Decision.objects.filter(project_id__in=ids).select_related("pack"):
        row = rows[decision.project_id]
        if row.last_decision is None:  # Decision's ordering puts the latest first
            row.last_decision = decision
    for row in rows.values():
        pack, decision = row.last_pack, row.last_decision
        if pack is not None and (decision is None or decision.pack.version < pack.version):
            row.decisions_waiting.append(f"Version {pack.version} of the pack has no decision.")
        if decision is not None and decision.is_open:
            row.decisions_waiting.append(
                f"{decision.get_outcome_display()} on {decision.decided_on:%d %b %Y}: "
                "to come back to the board."
            )


# --- the outcome-focus score, kept in the cache ------------------------------------------

FOCUS_SOURCES = (Task, Impact, Indicator, Objective, DesignPrinciple)


def _focus_stamps(ids: list[int]) -> dict[int, str]:
    """Per project, a stamp of what its outcome-focus score is computed from: five queries."""
    parts: dict[int, list] = {pk: [] for pk in ids}
    for model in FOCUS_SOURCES:
        counts = (
            model.objects.filter(project_id__in=ids)
            .order_by()
            .values("project_id")
            .annotate(n=Count("pk"), at=Max("updated_at"))
        )
        found = {row["project_id"]: (row["n"], row["at"]) for row in counts}
        for pk in ids:
            n, at = found.get(pk, (0, None))
            parts[pk].append(f"{model.__name__}:{n}:{at.isoformat() if at else '-'}")
    return {
        pk: hashlib.sha256("|".join(bits).encode()).hexdigest()[:24] for pk, bits in parts.items()
    }


def _add_outcome_focus(rows: dict[int, ProjectSummary], ids: list[int]) -> None:
    stamps = _focus_stamps(ids)
    keys = {pk: f"totem:outcome-focus:{pk}:{stamp}" for pk, stamp in stamps.items()}
    cached = cache.get_many(list(keys.values()))
    missing = [pk for pk in ids if keys[pk] not in cached]
    computed = _outcome_focus_scores(missing) if missing else {}
    cache.set_many({keys[pk]: score for pk, score in computed.items()}, FOCUS_CACHE_SECONDS)
    for pk in ids:
        score = cached.get(keys[pk], computed.get(pk))
        rows[pk].outcome_focus = None if score == -1 else score


def _outcome_focus_scores(ids: Iterable[int]) -> dict[int, int]:
    """Score these projects: five queries. -1 stands for "nothing to score yet"."""
    ids = list(ids)
    indicators = Indicator.objects.order_by("position", "pk")
    impacts = Impact.objects.order_by("position", "pk").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    tasks = defaultdict(list)
    for task in (
        Task.objects.filter(project_id__in=ids)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("impacts", queryset=impacts))
    ):
        tasks[task.project_id].append(task)
    objectives = defaultdict(list)
    for objective in Objective.objects.filter(project_id__in=ids).order_by("position", "pk"):
        objectives[objective.project_id].append(objective)
    principles = defaultdict(list)
    for principle in DesignPrinciple.objects.filter(project_id__in=ids).order_by("position", "pk"):
        principles[principle.project_id].append(principle)
    scores = {}
    for pk in ids:
        focus = score_outcome_focus(
            project_id=pk, tasks=tasks[pk], objectives=objectives[pk], principles=principles[pk]
        )
        scores[pk] = -1 if focus.is_empty else focus.score
    return scores


# --- filters and sorting --------------------------------------------------------------------

SORTS = {
    "title": lambda r: r.project.title.lower(),
    "organisation": lambda r: (r.organisation.name.lower(), r.project.title.lower()),
    "stage": lambda r: (list(Project.Stage.values).index(r.project.stage), r.project.title.lower()),
    "status": lambda r: (STATUS_ORDER.index(r.status), r.project.title.lower()),
    "focus": lambda r: (r.outcome_focus is None, r.outcome_focus or 0),
    "overdue": lambda r: (-r.overdue, r.project.title.lower()),
    "attention": lambda r: (not r.needs_attention, r.project.title.lower()),
}


@dataclass(frozen=True)
class PortfolioFilter:
    organisation: int | None = None
    stage: str = ""
    status: str = ""
    attention: bool = False
    sort: str = "title"
    descending: bool = False


def filter_and_sort(rows: list[ProjectSummary], chosen: PortfolioFilter) -> list[ProjectSummary]:
    """No queries: the rows are already summarised."""
    kept = [
        row
        for row in rows
        if (chosen.organisation is None or row.organisation.pk == chosen.organisation)
        and (not chosen.stage or row.project.stage == chosen.stage)
        and (not chosen.status or row.status == chosen.status)
        and (not chosen.attention or row.needs_attention)
    ]
    return sorted(kept, key=SORTS.get(chosen.sort, SORTS["title"]), reverse=chosen.descending)
