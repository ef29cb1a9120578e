from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
        name="docs",
    ),
    path("api/v1/organisations/", views.OrganisationList.as_view(), name="organisation-list"),
    path("api/v1/projects/", views.ProjectList.as_view(), name="project-list"),
    path(
        "api/v1/projects/<int:project_id>/",
        views.ProjectDetail.as_view(),
        name="project-detail",
    ),
    path(
        "api/v1/projects/<int:project_id>/chain/",
        views.ProjectChain.as_view(),
        name="project-chain",
    ),
    path(
        "api/v1/projects/<int:project_id>/indicators/",
        views.IndicatorList.as_view(),
        name="indicator-list",
    ),
    path("api/v1/projects/<int:project_id>/tidy/", views.TidyFeed.as_view(), name="tidy-feed"),
    path(
        "api/v1/projects/<int:project_id>/objectives/",
        views.ObjectiveList.as_view(),
        name="objective-list",
    ),
    path(
        "api/v1/projects/<int:project_id>/readiness/",
        views.ReadinessList.as_view(),
        name="readiness-list",
    ),
    path(
        "api/v1/projects/<int:project_id>/measurements/batches/",
        views.MeasurementBatchCreate.as_view(),
        name="measurement-batch-create",
    ),
    path("api/v1/assessments/", views.RoundList.as_view(), name="round-list"),
    path("api/v1/assessments/<int:round_id>/", views.RoundDetail.as_view(), name="round-detail"),
    # Anything else under /api/ is a JSON 404, not the site's HTML page.
    re_path(r"^api/", views.not_found),
]
