from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from notifications import views as notification_views
from people.sso_views import SignInView

from . import views
from .transfer import views as transfer_views

urlpatterns = [
    path("", notification_views.home, name="home"),  # "My work"
    path("health/", views.health_ready, name="health"),  # = readiness, for older balancers
    path("health/live", views.health_live, name="health-live"),
    path("health/ready", views.health_ready, name="health-ready"),
    path("accessibility/", views.accessibility_statement, name="accessibility-statement"),
    path(
        "accounts/login/",
        SignInView.as_view(),  # password, or the single sign-on button (people.sso_views)
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("projects/", include("projects.urls")),
    # The whole project as one file (totem.transfer composes every app, so it lives here).
    path(
        "projects/<int:project_id>/export/",
        transfer_views.project_export_download,
        name="project-export",
    ),
    path("", include("totem.review.urls")),  # review, packs and decisions; portfolios
    path("", include("assessments.urls")),
    path("", include("people.urls")),  # invitations, accounts, single sign-on
    path("notifications/", include("notifications.urls")),
    path("", include("api.urls")),  # /api/v1/, /api/schema/, /api/docs/
    path("", include("api.token_urls")),  # /account/tokens/
    path("admin/", admin.site.urls),
]

# A database that is briefly unreachable gets a 503 "try again in a moment", not a bare 500.
handler500 = "totem.views.server_error"
