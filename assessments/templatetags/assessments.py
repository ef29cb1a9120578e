from django import template
from django.db.models import Count, Q

from projects.models import Membership

from ..models import Assessment

register = template.Library()


@register.inclusion_tag("assessments/_home_rounds.html")
def self_assessment_links(user):
    """Links to the self-assessment rounds of each organisation `user` belongs to. One query."""
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .annotate(
            open_rounds=Count(
                "organisation__assessments",
                filter=Q(organisation__assessments__status=Assessment.Status.OPEN),
            )
        )
        .order_by("organisation__name")
    )
    return {"memberships": memberships}
