"""Access to an organisation's packs (portfolios, self-assessment reports), on top of
`assessments.access` (membership of the organisation) and `projects.access`.

Same rules: not a member of the organisation → 404. A portfolio pack is only ever served to
someone who may see every project in it (it was made from what its requester could see).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from projects.models import Organisation, Project

from ..models import Pack


def get_organisation_pack(user, organisation: Organisation, pack_id) -> Pack:
    pack = get_object_or_404(
        Pack.objects.select_related("assessment"),
        kind__in=[Pack.Kind.PORTFOLIO, Pack.Kind.ROUND],
        organisation=organisation,
        pk=pack_id,
    )
    if pack.kind == Pack.Kind.PORTFOLIO:
        visible = set(Project.objects.for_user(user).values_list("pk", flat=True))
        if not set(pack.project_ids) <= visible:
            raise Http404("No such pack.")
    return pack
