from django import template

from projects.models import Membership

register = template.Library()


@register.inclusion_tag("people/_home_organisations.html")
def organisation_people_links(user):
    """Links to the members page of each organisation `user` administers (one query)."""
    admin_of = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).select_related(
        "organisation"
    )
    return {"memberships": list(admin_of)}
