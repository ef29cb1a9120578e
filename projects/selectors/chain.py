"""Reads that take more than one query, each in a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain

from django.db.models import F, Prefetch

from ..models import ChangePoint, Impact, Indicator, Project, ProjectRole, Task
from .measures import attach_series


def project_chain(project: Project, *, values: bool = True) -> list[Task]:
    """The project's tasks, each with `.impacts.all()` and their `.indicators.all()`, in order;
    each indicator with its `.series` of values and `.change_points.all()`, for its SPC icons
    and the roll-up (selectors.measures), unless `values` is false (for pages that show only
    the statements: the values are most of what is read).

    Five queries whatever the size of the project; three without values.
    """
    indicators = Indicator.objects.order_by("position", "pk").select_related("owner_person")
    if values:
        indicators = indicators.prefetch_related(
            Prefetch("change_points", queryset=ChangePoint.objects.order_by("date")),
        )
    impacts = Impact.objects.order_by("position", "pk").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    tasks = list(
        Task.objects.filter(project=project)
        .select_related("owner_person")
        .order_by("position", "pk")
        .prefetch_related(Prefetch("impacts", queryset=impacts))
    )
    if values:
        attach_series(project, tasks)
    return tasks


@dataclass(frozen=True)
class ChainGaps:
    tasks_without_impact: int
    impacts_without_indicator: int
    impacts_without_leading: int

    @property
    def any(self) -> bool:
        return bool(
            self.tasks_without_impact or self.impacts_without_indicator
            or self.impacts_without_leading
        )


def chain_gaps(tasks: list[Task]) -> ChainGaps:
    """Count the gaps in a chain loaded by `project_chain` (no further queries)."""
    impacts = list(chain.from_iterable(task.impacts.all() for task in tasks))
    return ChainGaps(
        tasks_without_impact=sum(1 for task in tasks if not task.impacts.all()),
        impacts_without_indicator=sum(1 for impact in impacts if not impact.indicators.all()),
        impacts_without_leading=sum(
            1 for impact in impacts if impact.indicators.all() and not impact.has_leading_indicator
        ),
    )


def project_people(project: Project):
    return ProjectRole.objects.filter(project=project).select_related("user")


@dataclass(frozen=True)
class HistoryEntry:
    when: object
    who: object
    action: str  # "created" | "changed" | "deleted" | "restored"
    kind: str  # "project", "task", …
    label: str
    changes: list[tuple[str, str, str]]  # (field, old, new)
    history_id: int | None = None
    restorable: bool = False  # deleted, still gone, and of a kind that can be brought back


@dataclass(frozen=True)
class HistorySource:
    """One kind of row whose changes show in the project history."""

    model: type
    kind: str
    scope: str = "project_id"  # the field of the record that holds the project's id
    annotate: Callable | None = None  # adds what `label` needs, in the same query
    label: Callable | None = None  # record -> str; else str(record.instance)
    restorable: bool = False  # a deletion of it can be undone (services.record_restore)


HISTORY_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# Fields whose change alone is bookkeeping, not news.
QUIET_FIELDS = {"version", "position"}


def _role_label(record) -> str:
    return f"{record.username} as {record.get_role_display()}"


def _history_models() -> list[HistorySource]:
    from .measures import history_sources as measures_history_sources
    from .planning import history_sources  # planning builds on this module

    return [
        # Labels read the record's own fields: `record.instance` costs a query per record.
        HistorySource(Project, "project", "id", label=lambda r: r.title),
        HistorySource(
            ProjectRole,
            "role",
            annotate=lambda history: history.annotate(username=F("user__username")),
            label=_role_label,
        ),
        HistorySource(Task, "task", label=lambda r: r.title, restorable=True),
        HistorySource(Impact, "impact", label=lambda r: r.statement, restorable=True),
        HistorySource(Indicator, "indicator", label=lambda r: r.name, restorable=True),
        *history_sources(),
        *measures_history_sources(),
    ]


def restorable_model(kind: str):
    """The model whose deleted rows of history `kind` can be restored, or None."""
    return next((s.model for s in _history_models() if s.kind == kind and s.restorable), None)


def _display(value) -> str:
    return "—" if value in (None, "") else str(value)


def _changes(record, previous, model) -> list[tuple[str, str, str]]:
    if previous is None:
        return []
    delta = record.diff_against(previous, excluded_fields=QUIET_FIELDS | {"updated_at"})
    changes = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        changes.append((str(field.verbose_name), _display(change.old), _display(change.new)))
    position = getattr(record, "position", None)  # not every kind of row is ordered
    if not changes and position != getattr(previous, "position", position):
        changes.append(("position", str(previous.position), str(record.position)))
    return changes


def _changed_since(project: Project, since, sources: list[HistorySource]) -> bool:
    """Whether any kind of row of the project has history after `since`: one query."""
    changed = [
        source.model.history.model.objects.filter(
            **{source.scope: project.pk, "history_date__gt": since}
        ).values("history_date")
        for source in sources
    ]
    return changed[0].union(*changed[1:], all=True).exists()


def project_history(project: Project, *, limit: int = 100, since=None) -> list[HistoryEntry]:
    """The newest `limit` changes to the project and everything in it, newest first; only
    those after `since` when it is given.

    Two queries per kind of row, whatever the size of the project; one in all when nothing
    changed after `since` (the overview, shown again).
    """
    sources = _history_models()
    if since is not None and not _changed_since(project, since, sources):
        return []
    records = []
    for source in sources:
        model = source.model
        history = model.history.model.objects.filter(**{source.scope: project.pk})
        history = history.select_related("history_user")
        if source.annotate:
            history = source.annotate(history)
        newest = history.filter(history_date__gt=since) if since else history
        page = list(newest.order_by("-history_date")[:limit])
        if not page:
            continue
        ids = {record.id for record in page}
        # Every earlier version of those rows, to diff each record against its predecessor.
        earlier = {}
        for record in history.filter(id__in=ids).order_by("history_date", "history_id"):
            earlier.setdefault(record.id, []).append(record)
        for record in page:
            versions = earlier[record.id]
            index = next(i for i, v in enumerate(versions) if v.history_id == record.history_id)
            previous = versions[index - 1] if index else None
            is_latest = versions[-1].history_id == record.history_id
            records.append((record, previous, source, is_latest))
    records.sort(key=lambda entry: entry[0].history_date, reverse=True)
    entries = []
    for record, previous, source, is_latest in records[:limit]:
        action = HISTORY_ACTIONS[record.history_type]
        if action == "created" and previous is not None:
            action = "restored"  # created again, from its deletion (services.record_restore)
        changes = _changes(record, previous, source.model) if action == "changed" else []
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                action=action,
                kind=source.kind,
                label=source.label(record) if source.label else str(record.instance),
                changes=changes,
                history_id=record.history_id,
                restorable=source.restorable and action == "deleted" and is_latest,
            )
        )
    return entries
