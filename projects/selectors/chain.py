"""Reads that take more than one query, each in a fixed number of queries."""

from dataclasses import dataclass
from itertools import chain

from django.db.models import F, Prefetch

from ..models import Impact, Indicator, Project, ProjectRole, Task


def project_chain(project: Project) -> list[Task]:
    """The project's tasks, each with `.impacts.all()` and their `.indicators.all()`, in order.

    Three queries whatever the size of the project.
    """
    indicators = Indicator.objects.order_by("position", "pk")
    impacts = Impact.objects.order_by("position", "pk").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    return list(
        Task.objects.filter(project=project)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("impacts", queryset=impacts))
    )


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
    action: str  # "created" | "changed" | "deleted"
    kind: str  # "project", "task", …
    label: str
    changes: list[tuple[str, str, str]]  # (field, old, new)


HISTORY_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# Fields whose change alone is bookkeeping, not news.
QUIET_FIELDS = {"version", "position"}


def _history_models():
    return [
        (Project, "project", "id"),
        (ProjectRole, "role", "project_id"),
        (Task, "task", "project_id"),
        (Impact, "impact", "project_id"),
        (Indicator, "indicator", "project_id"),
    ]


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
    if not changes and record.position != getattr(previous, "position", record.position):
        changes.append(("position", str(previous.position), str(record.position)))
    return changes


def project_history(project: Project, *, limit: int = 100) -> list[HistoryEntry]:
    """The newest `limit` changes to the project and everything in it, newest first.

    Two queries per kind of row, whatever the size of the project.
    """
    records = []
    for model, kind, scope in _history_models():
        history = model.history.model.objects.filter(**{scope: project.pk})
        history = history.select_related("history_user")
        if model is ProjectRole:
            history = history.annotate(username=F("user__username"))
        page = list(history.order_by("-history_date")[:limit])
        ids = {record.id for record in page}
        # Every earlier version of those rows, to diff each record against its predecessor.
        earlier = {}
        for record in history.filter(id__in=ids).order_by("history_date", "history_id"):
            earlier.setdefault(record.id, []).append(record)
        for record in page:
            versions = earlier[record.id]
            index = next(i for i, v in enumerate(versions) if v.history_id == record.history_id)
            previous = versions[index - 1] if index else None
            records.append((record, previous, model, kind))
    records.sort(key=lambda entry: entry[0].history_date, reverse=True)
    entries = []
    for record, previous, model, kind in records[:limit]:
        action = HISTORY_ACTIONS[record.history_type]
        changes = _changes(record, previous, model) if action == "changed" else []
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                action=action,
                kind=kind,
                label=_history_label(record, kind),
                changes=changes,
            )
        )
    return entries


def _history_label(record, kind: str) -> str:
    if kind == "role":
        return f"{record.username} as {record.get_role_display()}"
    return str(record.instance)
