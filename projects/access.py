"""Who may do what to a project: the one place that answers it.

Rules:
- A user who holds no role on a project gets 404 for everything in it, so that the
  existence of another organisation's project never leaks.
- A member whose role lacks the right gets 403.
- Child objects are always fetched through their project, never by primary key alone.
"""

import enum
import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Project, ProjectRole

log = logging.getLogger("totem.security")

Role = ProjectRole.Role


class Need(enum.Enum):
    VIEW = "view"
    COMMENT = "comment"
    EDIT = "edit"
    MANAGE = "manage"
    DECIDE = "decide"  # record a decision (sign-off) on a governors' pack


RIGHTS: dict[str, frozenset[Need]] = {
    # The lead runs the project but does not sign it off: deciding is for governors.
    Role.LEAD: frozenset(Need) - {Need.DECIDE},
    Role.CONTRIBUTOR: frozenset({Need.VIEW, Need.COMMENT, Need.EDIT}),
    Role.GOVERNOR: frozenset({Need.VIEW, Need.COMMENT, Need.DECIDE}),
    Role.VIEWER: frozenset({Need.VIEW}),
}


# An archived project is out of everyone's way: only its lead sees it, to restore it.
ARCHIVED_RIGHTS = {Role.LEAD: frozenset({Need.VIEW, Need.MANAGE})}


def rights(role: str | None, *, archived: bool = False) -> frozenset[Need]:
    if role is None:
        return frozenset()
    if archived:
        return ARCHIVED_RIGHTS.get(role, frozenset())
    return RIGHTS[role]


def get_project_for_user(user, project_id, *, need: Need = Need.VIEW):
    """The project, with `.user_role` and `.user_can` set for templates; 404 or 403 otherwise."""
    project = None
    if user.is_authenticated and user.is_active:
        project = (
            Project.objects.for_user(user)
            .select_related("lead_organisation")
            .filter(pk=project_id)
            .first()
        )
    allowed = rights(project.user_role, archived=bool(project.archived_at)) if project else None
    if not allowed:
        log.info("refused user=%s project=%s reason=not-a-member", user.pk, project_id)
        raise Http404("No such project.")
    if need not in allowed:
        log.info(
            "refused user=%s project=%s reason=role role=%s need=%s",
            user.pk,
            project_id,
            project.user_role,
            need.value,
        )
        if project.archived_at:
            raise PermissionDenied("This project is archived. Its lead can restore it.")
        raise PermissionDenied(f"Your role on this project does not allow you to {need.value} it.")
    project.user_can = {n.value: n in allowed for n in Need}
    return project


def projects_visible_to(user, project_ids) -> set[int]:
    """Those of `project_ids` that `user` may see now (the rule of `get_project_for_user`, for
    many projects in one query): for a stored PDF or an email that shows several projects."""
    if not (user.is_authenticated and user.is_active):
        return set()
    rows = Project.objects.for_user(user).filter(pk__in=list(project_ids))
    return {
        pk
        for pk, role, archived_at in rows.values_list("pk", "user_role", "archived_at")
        if Need.VIEW in rights(role, archived=bool(archived_at))
    }


def get_in_project(project: Project, model, pk):
    """A task, impact, indicator or other child row of `project`, or 404."""
    return get_object_or_404(model, project=project, pk=pk)




def get_organisation_for_admin(user, organisation_id):
    """An organisation `user` administers (its members and invitations); 404 to anyone who is
    not a member, 403 to a member who is not an admin."""
    from .models import Membership

    membership = None
    if user.is_authenticated and user.is_active:
        membership = (
            Membership.objects.filter(user=user, organisation_id=organisation_id)
            .select_related("organisation")
            .first()
        )
    if membership is None:
        raise Http404("No such organisation.")
    if membership.role != Membership.Role.ADMIN:
        raise PermissionDenied("Only an organisation admin can do that.")
    return membership.organisation
