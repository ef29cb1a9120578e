"""Due state of indicators (projects.due) read from the database in a fixed number of queries."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Max, QuerySet
from django.utils import timezone

from .. import due
from ..models import Indicator, Project, Task


def indicator_due(indicator: Indicator, project: Project, *, today: date) -> due.Due:
    """The due state of one indicator. Its latest value comes from, in order: a `last_value`
    annotation (`with_last_value`), an attached `.series` (`project_chain`), or one query."""
    if hasattr(indicator, "last_value"):
        last = indicator.last_value
    elif getattr(indicator, "series", None) is not None:
        last = indicator.series[-1].date if indicator.series else None
    else:
        last = indicator.measurements.aggregate(last=Max("date"))["last"]
    return due.due_state(
        indicator.frequency,
        last_value=last,
        added=timezone.localtime(indicator.created_at).date(),
        today=today,
        grace_days=project.figures_grace_days,
        escalate_after_days=project.figures_escalate_after_days,
    )


def with_last_value(indicators: QuerySet) -> QuerySet:
    """Annotate each indicator with the date of its latest value (`last_value`, or None)."""
    return indicators.annotate(last_value=Max("measurements__date"))


def attach_due(project: Project, tasks: Iterable[Task], *, today: date) -> None:
    """Set `.due` on every indicator of a chain loaded by `project_chain` (no query)."""
    for task in tasks:
        for impact in task.impacts.all():
            for indicator in impact.indicators.all():
                indicator.due = indicator_due(indicator, project, today=today)


def due_rows(projects: QuerySet, **filters):
    """(indicator pk, project pk, name, frequency, added, owner pk, last value date, grace days,
    escalate after days) of every scheduled indicator of `projects`: one query, as plain tuples
    (the sweep reads tens of thousands of them; model instances would cost most of its time)."""
    return (
        Indicator.objects.filter(frequency__in=due.SCHEDULED, project__in=projects, **filters)
        .values_list(
            "pk", "project_id", "name", "frequency", "created_at", "owner_person_id",
            "project__figures_grace_days", "project__figures_escalate_after_days",
        )
        .annotate(last_value=Max("measurements__date"))
        .order_by()
    )


def row_due(row, *, today: date) -> due.Due:
    """The due state of one row of `due_rows`."""
    _, _, _, frequency, added, _, grace, escalate, last = row
    return due.due_state(
        frequency,
        last_value=last,
        added=timezone.localtime(added).date(),
        today=today,
        grace_days=grace,
        escalate_after_days=escalate,
    )
