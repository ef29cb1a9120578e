from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import mfa_views, sso_views

urlpatterns = [
    path(
        "sso/start/", login_not_required(sso_views.SsoStartView.as_view()), name="sso-start"
    ),
    path(
        "sso/callback/",
        login_not_required(sso_views.SsoCallbackView.as_view()),
        name="sso-callback",
    ),
    path("account/two-step/", mfa_views.mfa_status, name="mfa"),
    path("account/two-step/set-up/", mfa_views.mfa_setup, name="mfa-setup"),
    path("account/two-step/code/", mfa_views.mfa_verify, name="mfa-verify"),
    path("account/two-step/turn-off/", mfa_views.mfa_disable, name="mfa-disable"),
]
