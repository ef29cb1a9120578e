"""Figures signed off: approve, return, re-open, and who may.

Recording a value submits it (services.measures.measurements_record); it stays provisional
until the project's lead, or the approver the lead names for its indicator, approves it. An
approved value is locked: changing it means re-opening it with a reason first. Returning a value
needs a reason too. Every step is a saved row, so django-simple-history keeps it.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from .. import text
from ..models import Indicator, Measurement, Project, ProjectRole

APPROVAL_FIELDS = ["approval", "approval_reason", "approved_by", "approved_at"]


def approvable_indicator_ids(*, project: Project, user) -> set[int] | None:
    """The indicators whose figures `user` may approve: None for all of them (the lead)."""
    is_lead = ProjectRole.objects.filter(
        project=project, user=user, role=ProjectRole.Role.LEAD
    ).exists()
    if is_lead and project.archived_at is None:
        return None
    return set(
        Indicator.objects.filter(project=project, figures_approver=user).values_list(
            "pk", flat=True
        )
    )


def _check_may_approve(project: Project, user, measurements: Iterable[Measurement]) -> None:
    allowed = approvable_indicator_ids(project=project, user=user)
    if allowed is None:
        return
    if not allowed or any(m.indicator_id not in allowed for m in measurements):
        raise PermissionDenied(
            "Only the project's lead, or the approver the lead named for the indicator, can "
            "approve, return or re-open its figures."
        )


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": f"Say why the figure is {what}."})
    limit = Measurement._meta.get_field("approval_reason").max_length
    if len(reason) > limit:
        raise ValidationError({"reason": f"Say why in at most {limit} characters."})
    if refused := text.problem(reason):
        raise ValidationError({"reason": refused})
    return reason


def _save(measurements: list[Measurement], user) -> None:
    bulk_update_with_history(measurements, Measurement, APPROVAL_FIELDS, default_user=user)


@transaction.atomic
def figures_approve(*, project: Project, user, measurements: Iterable[Measurement]) -> int:
    """Approve these provisional figures of `project`; returns how many were approved."""
    waiting = [
        m
        for m in measurements
        if m.project_id == project.pk and m.approval != Measurement.Approval.APPROVED
    ]
    _check_may_approve(project, user, waiting)
    now = timezone.now()
    for measurement in waiting:
        measurement.approval = Measurement.Approval.APPROVED
        measurement.approval_reason = ""
        measurement.approved_by = user
        measurement.approved_at = now
    _save(waiting, user)
    return len(waiting)


@transaction.atomic
def figures_approve_period(*, project: Project, user, period: date) -> int:
    """Approve every submitted figure dated in `period`'s month that `user` may approve."""
    allowed = approvable_indicator_ids(project=project, user=user)
    if allowed is not None and not allowed:
        _check_may_approve(project, user, [])
    figures = Measurement.objects.select_for_update().filter(
        project=project,
        approval=Measurement.Approval.SUBMITTED,
        date__year=period.year,
        date__month=period.month,
    )
    if allowed is not None:
        figures = figures.filter(indicator_id__in=allowed)
    return figures_approve(project=project, user=user, measurements=list(figures.order_by("pk")))


@transaction.atomic
def figure_return(*, measurement: Measurement, user, reason: str) -> Measurement:
    """Send a provisional figure back to whoever records it, with the reason."""
    _check_may_approve(measurement.indicator.project, user, [measurement])
    reason = _reason(reason, "returned")
    if measurement.approval == Measurement.Approval.APPROVED:
        raise ValidationError("This figure is approved: re-open it first.")
    measurement.approval = Measurement.Approval.RETURNED
    measurement.approval_reason = reason
    measurement.approved_by = None
    measurement.approved_at = None
    _save([measurement], user)
    return measurement


@transaction.atomic
def figure_reopen(*, measurement: Measurement, user, reason: str) -> Measurement:
    """Unlock an approved figure so that it can be changed; the reason stays in the history."""
    _check_may_approve(measurement.indicator.project, user, [measurement])
    reason = _reason(reason, "re-opened")
    if measurement.approval != Measurement.Approval.APPROVED:
        raise ValidationError("Only an approved figure needs re-opening.")
    measurement.approval = Measurement.Approval.SUBMITTED
    measurement.approval_reason = reason
    measurement.approved_by = None
    measurement.approved_at = None
    _save([measurement], user)
    return measurement


@transaction.atomic
def indicator_approver_set(*, indicator: Indicator, approver) -> Indicator:
    """Name who approves the indicator's figures besides the lead (None: the lead alone)."""
    if (
        approver is not None
        and not ProjectRole.objects.filter(project_id=indicator.project_id, user=approver).exists()
    ):
        raise ValidationError({"approver": "Choose someone who holds a role on this project."})
    Indicator.objects.filter(pk=indicator.pk).update(figures_approver=approver)
    indicator.figures_approver = approver
    return indicator
