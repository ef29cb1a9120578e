"""Site-wide pages."""

from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_safe

from projects.models import Project


@require_safe
def home(request):
    projects = (
        Project.objects.for_user(request.user)
        .select_related("lead_organisation")
        .annotate(task_count=Count("tasks", distinct=True))
        .order_by("title")
    )
    can_create = request.user.memberships.exists()
    return render(request, "home.html", {"projects": projects, "can_create": can_create})
