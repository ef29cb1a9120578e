"""Site-wide request handling: session lifetimes and caching of signed-in pages."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import patch_cache_control

log = logging.getLogger("totem.security")

SESSION_STARTED = "totem_session_started"
SESSION_LAST_SEEN = "totem_session_last_seen"


class SessionLifetimeMiddleware:
    """Signs a user out after SESSION_IDLE_TIMEOUT seconds without a request, and after
    SESSION_MAX_AGE seconds in all, whatever they do. Django's own cookie age alone cannot
    tell idle from busy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(SESSION_STARTED, now)
            last_seen = session.get(SESSION_LAST_SEEN, now)
            idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT
            too_old = now - started > settings.SESSION_MAX_AGE
            if idle or too_old:
                log.info(
                    "session ended user=%s reason=%s",
                    request.user.pk,
                    "idle" if idle else "max-age",
                )
                logout(request)
                messages.info(request, "You were signed out to keep your session safe.")
            elif now - last_seen > 60:  # write the session at most once a minute
                session[SESSION_LAST_SEEN] = now
            else:
                session.setdefault(SESSION_LAST_SEEN, now)
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Nothing a signed-in user sees may be kept by a shared cache or the browser's disk,
    unless the view chose its own caching (a stored PDF pack, say)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class HtmxSignInRedirectMiddleware:
    """When a session has ended, an htmx request would otherwise swap the sign-in page into a
    fragment of the page. Ask htmx to load the sign-in page as a whole page instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        location = response.get("Location", "")
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and location.startswith(resolve_url(settings.LOGIN_URL))
        ):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = location
            return redirect
        return response
