"""Access to organisations' portfolio packs, on top of `projects.access`.

Same rules: not a member of the organisation → 404; a portfolio pack is only ever served to
someone who may see every project in it (it was made from what its requester could see).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from projects.models import Organisation, Project

from ..models import Pack


def get_organisation_for_member(user, organisation_id) -> Organisation:
    if user.is_authenticated and user.is_active:
        organisation = Organisation.objects.filter(
            pk=organisation_id, memberships__user=user
        ).first()
        if organisation is not None:
            return organisation
    raise Http404("No such organisation.")


def get_portfolio_pack(user, organisation: Organisation, pack_id) -> Pack:
    pack = get_object_or_404(Pack, kind=Pack.Kind.PORTFOLIO, organisation=organisation, pk=pack_id)
    visible = set(Project.objects.for_user(user).values_list("pk", flat=True))
    if not set(pack.project_ids) <= visible:
        raise Http404("No such pack.")
    return pack
