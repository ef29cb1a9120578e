"""The second factor: who must use one, and the middleware that asks for it.

A password sign-in by site staff or an organisation admin needs a TOTP code from an
authenticator app when MFA_REQUIRED is on (the default with DEBUG off: `make run`'s demo logins
stay one step). Anyone else may turn it on from the "Two-step sign-in" page, and then it is
asked of them too. A single sign-on skips it: the organisation's provider does its own MFA.
django-otp keeps the devices and marks a session verified (`request.user.is_verified()`).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from projects.models import Membership

from .sso import SESSION_SIGNED_IN_WITH_SSO

# Pages a half-signed-in person may still reach: the second-factor pages and signing out.
OPEN_BEFORE_SECOND_FACTOR = {"people:mfa-verify", "people:mfa-setup", "logout"}


def mfa_required(user) -> bool:
    """True when `user` may not use Totem after a password alone."""
    if not settings.MFA_REQUIRED:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role=Membership.Role.ADMIN).exists()


def confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


# Set once a session is found to owe nothing, so that later pages cost no query. A role given
# during the session (made an organisation admin) asks for the second factor from the next
# sign-in on.
SESSION_NOTHING_OWED = "people_mfa_nothing_owed"


def second_factor_pending(request) -> bool:
    """True when the signed-in person still owes a second factor in this session."""
    user = request.user
    session = request.session
    if not user.is_authenticated or session.get(SESSION_NOTHING_OWED):
        return False
    if session.get(SESSION_SIGNED_IN_WITH_SSO) or user.is_verified():
        return False
    if confirmed_device(user) is not None or mfa_required(user):
        return True
    session[SESSION_NOTHING_OWED] = True
    return False


class SecondFactorMiddleware:
    """Sends a signed-in person who owes a second factor to enter it (or to set one up) before
    any other page. Goes after django_otp.middleware.OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None  # public pages: sign-in, health, single sign-on
        match = request.resolver_match
        if match and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if not second_factor_pending(request):
            return None
        name = "people:mfa-verify" if confirmed_device(request.user) else "people:mfa-setup"
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
