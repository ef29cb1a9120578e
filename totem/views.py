"""Site-wide pages."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from projects.models import Project

from .models import AccessibilityStatement


@require_safe
def home(request):
    projects = list(
        Project.objects.for_user(request.user)
        .select_related("lead_organisation")
        .annotate(task_count=Count("tasks", distinct=True))
        .order_by("title")
    )
    context = {
        "projects": [p for p in projects if not p.archived_at],
        # Archived projects are listed only to their leads, who can restore them.
        "archived": [p for p in projects if p.archived_at and p.user_role == "lead"],
        "can_create": request.user.memberships.exists(),
    }
    return render(request, "home.html", context)


@login_not_required
@never_cache
@require_safe
def health(request):
    """For load balancers: 200 when this server can reach its database, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logging.getLogger("totem.health").exception("database unreachable")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
@require_safe
def accessibility_statement(request):
    """The accessibility statement the UK regulations ask for, linked from every page."""
    statement = AccessibilityStatement.current()
    return render(request, "accessibility.html", {"statement": statement})
