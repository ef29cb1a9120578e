from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .transfer import views as transfer_views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
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
    path("", include("api.urls")),  # /api/v1/, /api/schema/, /api/docs/
    path("", include("api.token_urls")),  # /account/tokens/
    path("admin/", admin.site.urls),
]
