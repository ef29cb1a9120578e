from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import sso_views

urlpatterns = [
    path(
        "sso/start/", login_not_required(sso_views.SsoStartView.as_view()), name="sso-start"
    ),
    path(
        "sso/callback/",
        login_not_required(sso_views.SsoCallbackView.as_view()),
        name="sso-callback",
    ),
]
