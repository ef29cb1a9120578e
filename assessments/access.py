"""Who may see or run an organisation's self-assessment rounds.

The same rules as `projects.access`, for organisations: a user who is not a member gets 404
for everything under the organisation (its existence and its rounds never leak); a member
who needs the admin right and lacks it gets 403. Rounds are fetched through their
organisation, never by primary key alone. Project-scoped pages (readiness checklists) use
`projects.access` directly.
"""

import enum

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from projects.models import Membership, Organisation

from .models import Assessment


class OrgNeed(enum.Enum):
    MEMBER = "member"  # see and score the organisation's rounds
    ADMIN = "admin"  # open, re-open and share rounds


def get_organisation_for_user(user, organisation_id, *, need: OrgNeed = OrgNeed.MEMBER):
    """The organisation with `.user_role` and `.user_is_admin` set; 404 or 403 otherwise."""
    membership = None
    if user.is_authenticated and user.is_active:
        membership = (
            Membership.objects.filter(user=user, organisation_id=organisation_id)
            .select_related("organisation")
            .first()
        )
    if membership is None:
        raise Http404("No such organisation.")
    organisation: Organisation = membership.organisation
    organisation.user_role = membership.role
    organisation.user_is_admin = membership.role == Membership.Role.ADMIN
    if need is OrgNeed.ADMIN and not organisation.user_is_admin:
        raise PermissionDenied("Only an organisation admin can do that.")
    return organisation


def get_round(organisation: Organisation, round_id) -> Assessment:
    """One of `organisation`'s own rounds, or 404."""
    return get_object_or_404(
        Assessment.objects.select_related("framework"), organisation=organisation, pk=round_id
    )
