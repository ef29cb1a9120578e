"""Site-wide pages."""

import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import jobs
from .models import AccessibilityStatement

log = logging.getLogger("totem.health")



@login_not_required
@never_cache
@require_safe
def health_live(request):
    """For process supervisors: 200 whenever this process answers (it asks nothing else)."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def health_ready(request):
    """For load balancers (also at /health/): 200 when everything a signed-in page needs
    answers — the database, the cache — each within a short timeout; 503 naming what does not.
    It also shows background work: the oldest queued job and every process's last heartbeat."""
    checks = {"database": _check(_database_answers), "cache": _check(_cache_answers)}
    ready = all(state == "ok" for state in checks.values())
    body = {"status": "ok" if ready else "unavailable", **checks}
    if checks["database"] == "ok":
        try:
            body["jobs"] = jobs.queue_health()
        except DatabaseError:
            body["jobs"] = "unknown"
    return JsonResponse(body, status=200 if ready else 503)


def _check(answers) -> str:
    try:
        answers()
    except Exception as error:  # whatever a dependency raises, the answer is "not ready"
        log.warning("health: %s unreachable: %s: %s", answers.__name__, type(error).__name__, error)
        return "unreachable"
    return "ok"


def _database_answers() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL statement_timeout = 2000")
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache_answers() -> None:
    if hasattr(cache, "check"):  # totem.cache.TolerantRedisCache: ask Redis itself
        cache.check()
        return
    cache.set("health:ready", "ok", 10)
    if cache.get("health:ready") != "ok":
        raise RuntimeError("the cache did not keep a value")


RETRY_AFTER = 5  # seconds: a database restart takes about this long


def server_error(request):
    """The 500 handler: a database that cannot be reached (restarting, failing over) is not
    Totem's error but a moment's wait, so say so with 503 and Retry-After — a whole page, or
    for htmx the message alone, put where a page shows its messages. Anything else: the usual
    500 page."""
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        return defaults.server_error(request)
    log.warning("database unavailable: %s: %s", type(error).__name__, error)
    htmx = request.headers.get("HX-Request") == "true"
    template = "_unavailable_message.html" if htmx else "unavailable.html"
    # No request context: the template must not ask the database for the user again.
    response = HttpResponse(render_to_string(template, {"retry_after": RETRY_AFTER}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    if htmx:
        response["HX-Retarget"] = "#messages"
        response["HX-Reswap"] = "outerHTML"
    return response


@login_not_required
@require_safe
def accessibility_statement(request):
    """The accessibility statement the UK regulations ask for, linked from every page."""
    statement = AccessibilityStatement.current()
    return render(request, "accessibility.html", {"statement": statement})
