"""Due state of indicators (projects.due) read from the database in a fixed number of queries."""

from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.db.models import Max, QuerySet

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
        added=indicator.created_at.date(),
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


def scheduled_indicators(projects: QuerySet | None = None) -> QuerySet:
    """Indicators that have a schedule, with `last_value` and their project: one query."""
    indicators = Indicator.objects.filter(frequency__in=due.SCHEDULED)
    if projects is not None:
        indicators = indicators.filter(project__in=projects)
    return with_last_value(indicators).select_related("project")


def overdue_counts(projects: QuerySet, *, today: date) -> Counter:
    """How many figures are overdue in each project of `projects` (by project pk): one query."""
    counts: Counter = Counter()
    for indicator in scheduled_indicators(projects).order_by():
        if indicator_due(indicator, indicator.project, today=today).is_overdue:
            counts[indicator.project_id] += 1
    return counts
