"""Who may read a stored pack, on top of `assessments.access` (membership of the organisation)
and `projects.access` (roles on projects).

A pack records what its PDF shows (`Pack.project_ids`, `Pack.assessment_ids`), written when
it was rendered from exactly what was rendered. It is served only to someone who may, at the
moment of reading, see every project and every round in it; to anyone else it does not exist
(404), like any page of a project they cannot see.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.selectors import visible_rounds
from projects.access import projects_visible_to
from projects.models import Organisation

from ..models import Pack


def may_read_pack(user, pack: Pack) -> bool:
    projects = set(pack.project_ids) | ({pack.project_id} if pack.project_id else set())
    if projects - projects_visible_to(user, projects):
        return False
    rounds = set(pack.assessment_ids) | ({pack.assessment_id} if pack.assessment_id else set())
    if rounds:
        visible = visible_rounds(pack.organisation).filter(pk__in=rounds).values_list("pk")
        if rounds - {pk for (pk,) in visible}:
            return False
    return True


def readable_pack(user, pack: Pack) -> Pack:
    """`pack`, or 404 when `user` may not see everything in it."""
    if not may_read_pack(user, pack):
        raise Http404("No such pack.")
    return pack


def get_organisation_pack(user, organisation: Organisation, pack_id) -> Pack:
    pack = get_object_or_404(
        Pack.objects.select_related("assessment", "organisation"),
        kind__in=[Pack.Kind.PORTFOLIO, Pack.Kind.ROUND],
        organisation=organisation,
        pk=pack_id,
    )
    return readable_pack(user, pack)
