from django.urls import path

from . import dashboard, views

app_name = "review"
urlpatterns = [
    path("projects/<int:project_id>/review/", views.project_review, name="project-review"),
    path(
        "projects/<int:project_id>/review/comments/",
        views.comment_create,
        name="comment-create",
    ),
    path("projects/<int:project_id>/pack/", views.pack_current, name="pack-current"),
    path("projects/<int:project_id>/poster.pdf", views.poster_current, name="poster-current"),
    path(
        "projects/<int:project_id>/packs/<int:pack_id>/", views.pack_detail, name="pack-detail"
    ),
    path(
        "projects/<int:project_id>/packs/<int:pack_id>/download/",
        views.pack_download,
        name="pack-download",
    ),
    path(
        "projects/<int:project_id>/decisions/new/",
        views.decision_create,
        name="decision-create",
    ),
    path(
        "organisations/<int:organisation_id>/portfolio/",
        views.portfolio_current,
        name="portfolio-current",
    ),
    path("portfolio/", dashboard.dashboard, name="portfolio"),
    path("portfolio/export.<str:fmt>", dashboard.dashboard_export, name="portfolio-export"),
    path(
        "organisations/<int:organisation_id>/dashboard/",
        dashboard.dashboard,
        name="org-dashboard",
    ),
    path(
        "organisations/<int:organisation_id>/dashboard/export.<str:fmt>",
        dashboard.dashboard_export,
        name="org-dashboard-export",
    ),
    path(
        "organisations/<int:organisation_id>/self-assessments/<int:round_id>/report/",
        views.round_report,
        name="round-report",
    ),
    path(
        "organisations/<int:organisation_id>/packs/<int:pack_id>/",
        views.org_pack_detail,
        name="org-pack-detail",
    ),
    path(
        "organisations/<int:organisation_id>/packs/<int:pack_id>/download/",
        views.org_pack_download,
        name="org-pack-download",
    ),
]
