"""Sign-in pages: the password form (which knows about single sign-on) and the two ends of the
OpenID Connect flow. Every refusal lands back on the sign-in page with a sentence saying why."""

import logging

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.shortcuts import redirect
from mozilla_django_oidc import views as oidc_views

from projects.text import TextRulesMixin

from . import sso

log = logging.getLogger("people.sso")


class SsoOnlyCheck:
    """Refuses a password sign-in to a member of an organisation set to single sign-on only."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if sso.user_must_use_sso(user):
            how = (f"Use “{settings.OIDC_BUTTON_LABEL}” below."
                   if sso.sso_enabled() else "Please ask your Totem administrator.")
            raise ValidationError(
                "Your organisation signs in with single sign-on only, so your password cannot "
                f"be used here. {how}",
                code="sso_only",
            )


class SignInForm(SsoOnlyCheck, TextRulesMixin, AuthenticationForm):
    pass


class AdminSignInForm(SsoOnlyCheck, TextRulesMixin, AdminAuthenticationForm):
    pass


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sso_enabled=sso.sso_enabled(), sso_button_label=settings.OIDC_BUTTON_LABEL, **kwargs
        )


def _back_to_sign_in(request, message):
    messages.error(request, message)
    return redirect(settings.LOGIN_URL)


class SsoStartView(oidc_views.OIDCAuthenticationRequestView):
    """Sends the browser to the provider with a fresh state, nonce and PKCE challenge."""

    def __init__(self, *args, **kwargs):
        super(oidc_views.OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not sso.sso_enabled():
            return _back_to_sign_in(request, "Single sign-on is not set up on this server.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = sso.discovery()["authorization_endpoint"]
        except sso.SsoRefused as exc:
            return _back_to_sign_in(request, str(exc))
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SsoCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """The provider's answer: a code to exchange, or an error. Never a 500 for a bad answer."""

    def get(self, request):
        if not sso.sso_enabled():
            return _back_to_sign_in(request, "Single sign-on is not set up on this server.")
        if request.GET.get("error"):
            reason = request.GET.get("error_description") or request.GET["error"]
            log.info("sso provider answered error=%s", request.GET["error"])
            request.session.get("oidc_states", {}).pop(request.GET.get("state"), None)
            request.session.modified = True
            auth.logout(request)
            return _back_to_sign_in(
                request, f"{sso.provider_name()} did not sign you in: {reason[:200]}"
            )
        try:
            return super().get(request)
        except SuspiciousOperation:
            log.warning("sso callback with an unknown state")
            return _back_to_sign_in(request, self.out_of_date)
        except sso.SsoRefused as exc:
            return _back_to_sign_in(request, str(exc))

    out_of_date = ("This sign-in link is out of date or has already been used (it does not "
                   "belong to the sign-in started in this browser). Please start again.")

    def login_failure(self):
        return _back_to_sign_in(self.request, self.out_of_date)

    def login_success(self):
        response = super().login_success()
        self.request.session[sso.SESSION_SIGNED_IN_WITH_SSO] = True
        log.info("sso sign-in user=%s", self.user.pk)
        return response
