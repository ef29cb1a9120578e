"""Reads of the people app, each in a fixed number of queries."""

from projects.models import Membership

from .models import Invitation


def invitations_open(**target):
    """Invitations to a project or organisation that were neither accepted nor withdrawn
    (pending, or expired and waiting to be sent again), with who sent them: one query."""
    return list(
        Invitation.objects.filter(accepted_at=None, revoked_at=None, **target)
        .select_related("invited_by").order_by("email")
    )


def organisation_members(organisation):
    return list(
        Membership.objects.filter(organisation=organisation).select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
