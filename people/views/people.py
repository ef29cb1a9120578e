"""The People pages: a project's roles and an organisation's members, and inviting people to
either by email (pending invitations can be sent again or withdrawn)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from people import selectors, services
from people.forms import InviteForm
from people.models import Invitation
from projects import selectors as project_selectors
from projects import services as project_services
from projects.access import Need, get_in_project, get_organisation_for_admin, get_project_for_user
from projects.models import ProjectRole


def _invite(request, form, **target) -> bool:
    """Validate and send; the same message whether or not the address has an account."""
    if not form.is_valid():
        return False
    try:
        outcome = services.invitation_create(inviter=request.user, **form.cleaned_data, **target)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(
        request,
        f"We have emailed {outcome.email}. Someone who already has an account has the role "
        "now; anyone else is invited to make one (the link lasts seven days).",
    )
    return True


def project_people(request, project_id):
    project = get_project_for_user(request.user, project_id)
    if request.method == "POST":
        project = get_project_for_user(request.user, project_id, need=Need.MANAGE)
    manage = project.user_can["manage"]
    roles = services.grantable_roles(inviter=request.user, project=project) if manage else []
    form = InviteForm(request.POST or None, roles=roles)
    if request.method == "POST" and _invite(request, form, project=project):
        return redirect("people:project-people", project.pk)
    context = {
        "project": project,
        "people": project_selectors.project_people(project),
        "invitations": selectors.invitations_open(project=project) if manage else [],
        "form": form,
        "now": timezone.now(),
    }
    return render(request, "people/project_people.html", context)


@require_POST
def project_role_remove(request, project_id, role_id):
    project = get_project_for_user(request.user, project_id, need=Need.MANAGE)
    project_role = get_in_project(project, ProjectRole, role_id)
    try:
        project_services.project_role_remove(project_role=project_role)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{project_role.user.username} no longer has a role here.")
    return redirect("people:project-people", project.pk)


@require_POST
def project_invitation_resend(request, project_id, invitation_id):
    project = get_project_for_user(request.user, project_id, need=Need.MANAGE)
    invitation = get_object_or_404(Invitation, project=project, pk=invitation_id)
    _resend(request, invitation)
    return redirect("people:project-people", project.pk)


@require_POST
def project_invitation_revoke(request, project_id, invitation_id):
    project = get_project_for_user(request.user, project_id, need=Need.MANAGE)
    invitation = get_object_or_404(Invitation, project=project, pk=invitation_id)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} is withdrawn.")
    return redirect("people:project-people", project.pk)


def _resend(request, invitation):
    try:
        services.invitation_resend(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Sent again to {invitation.email}, with a new link.")


def organisation_people(request, organisation_id):
    organisation = get_organisation_for_admin(request.user, organisation_id)
    roles = services.grantable_roles(inviter=request.user, organisation=organisation)
    form = InviteForm(request.POST or None, roles=roles, organisation=True)
    if request.method == "POST" and _invite(request, form, organisation=organisation):
        return redirect("people:organisation-people", organisation.pk)
    context = {
        "organisation": organisation,
        "members": selectors.organisation_members(organisation),
        "invitations": selectors.invitations_open(organisation=organisation),
        "form": form,
        "now": timezone.now(),
    }
    return render(request, "people/organisation_people.html", context)


@require_POST
def organisation_invitation_resend(request, organisation_id, invitation_id):
    organisation = get_organisation_for_admin(request.user, organisation_id)
    _resend(request, get_object_or_404(Invitation, organisation=organisation, pk=invitation_id))
    return redirect("people:organisation-people", organisation.pk)


@require_POST
def organisation_invitation_revoke(request, organisation_id, invitation_id):
    organisation = get_organisation_for_admin(request.user, organisation_id)
    invitation = get_object_or_404(Invitation, organisation=organisation, pk=invitation_id)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} is withdrawn.")
    return redirect("people:organisation-people", organisation.pk)
