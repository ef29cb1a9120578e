"""Figures signed off: the list of figures waiting for approval, approving a month at once,
returning or re-opening one with a reason, and naming an approver per indicator. Anyone who may
view the project sees the page; the services decide who may approve (the lead, or the approver
named for the indicator)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from ..access import Need, get_in_project, get_project_for_user
from ..models import Indicator, Measurement
from ..selectors import approval as selectors
from ..services import approval as services


def _first_message(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_safe
def figures(request, project_id):
    project = get_project_for_user(request.user, project_id)
    allowed = services.approvable_indicator_ids(project=project, user=request.user)
    indicators, people = selectors.approvers(project)
    context = {
        "project": project,
        "periods": selectors.figures_waiting(project),
        "counts": selectors.approval_counts(project),
        "approved": selectors.recently_approved(project),
        "may_approve_all": allowed is None,
        "may_approve": allowed or set(),
        "indicators": indicators,
        "people": people,
        "tab": "indicators",
    }
    return render(request, "projects/measures/figures.html", context)


@require_POST
def figures_approve(request, project_id):
    project = get_project_for_user(request.user, project_id)
    if services.approvable_indicator_ids(project=project, user=request.user) == set():
        raise PermissionDenied("Only the lead, or an indicator's named approver, approves figures.")
    try:
        period = date.fromisoformat(request.POST.get("period", ""))
    except ValueError:
        messages.error(request, "Choose the month to approve.")
        return redirect("projects:figures", project.pk)
    count = services.figures_approve_period(project=project, user=request.user, period=period)
    messages.success(request, f"Approved {count} figure{'s' * (count != 1)} for {period:%B %Y}.")
    return redirect("projects:figures", project.pk)


def _figure_change(request, project_id, pk, service, done: str):
    project = get_project_for_user(request.user, project_id)
    measurement = get_in_project(project, Measurement.objects.select_related("indicator"), pk)
    try:
        service(measurement=measurement, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, _first_message(error))
    else:
        messages.success(
            request,
            f"{done} the value of “{measurement.indicator}” for {measurement.date:%d %b %Y}.",
        )
    return redirect("projects:figures", project.pk)


@require_POST
def figure_return(request, project_id, pk):
    return _figure_change(request, project_id, pk, services.figure_return, "Returned")


@require_POST
def figure_reopen(request, project_id, pk):
    return _figure_change(request, project_id, pk, services.figure_reopen, "Re-opened")


@require_POST
def indicator_approver(request, project_id, pk):
    project = get_project_for_user(request.user, project_id, need=Need.MANAGE)
    indicator = get_in_project(project, Indicator, pk)
    chosen = request.POST.get("approver") or None
    approver = None
    if chosen is not None:
        approver = get_user_model().objects.filter(pk=chosen if chosen.isdigit() else 0).first()
    try:
        if chosen is not None and approver is None:
            raise ValidationError("Choose someone who holds a role on this project.")
        services.indicator_approver_set(indicator=indicator, approver=approver)
    except ValidationError as error:
        messages.error(request, _first_message(error))
    else:
        who = (approver.get_full_name() or approver.username) if approver else "the lead alone"
        messages.success(request, f"Figures of “{indicator}” are now approved by {who}.")
    return redirect("projects:figures", project.pk)
