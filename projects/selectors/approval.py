"""Reads for figures signed off: what waits for approval, and how many figures are approved."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from ..models import Indicator, Measurement, Project, ProjectRole


@dataclass(frozen=True)
class PeriodFigures:
    period: date  # the first day of the month
    figures: list[Measurement]

    @property
    def submitted(self) -> int:
        return sum(1 for m in self.figures if m.approval == Measurement.Approval.SUBMITTED)


def figures_waiting(project: Project) -> list[PeriodFigures]:
    """Provisional and returned figures by month, newest month first: one query."""
    rows = (
        Measurement.objects.filter(project=project)
        .exclude(approval=Measurement.Approval.APPROVED)
        .select_related("indicator", "recorded_by")
        .order_by("-date", "indicator__position", "indicator__pk")
    )
    periods: dict[date, list[Measurement]] = {}
    for measurement in rows:
        periods.setdefault(measurement.date.replace(day=1), []).append(measurement)
    return [PeriodFigures(period, figures) for period, figures in periods.items()]


def approval_counts(project: Project) -> Counter:
    """How many of the project's figures are in each approval state: one query."""
    return Counter(
        Measurement.objects.filter(project=project).values_list("approval", flat=True).order_by()
    )


def recently_approved(project: Project, *, limit: int = 20) -> list[Measurement]:
    return list(
        Measurement.objects.filter(project=project, approval=Measurement.Approval.APPROVED)
        .select_related("indicator", "approved_by")
        .order_by("-approved_at", "-pk")[:limit]
    )


def approvers(project: Project) -> tuple[list[Indicator], list]:
    """The indicators with their named approver, and the people who may be named: two queries."""
    indicators = list(
        Indicator.objects.filter(project=project)
        .select_related("figures_approver")
        .order_by("impact__task__position", "impact__position", "position", "pk")
    )
    people = [
        role.user
        for role in ProjectRole.objects.filter(project=project)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    ]
    return indicators, people
