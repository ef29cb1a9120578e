"""Readiness checklists nest under their project, self-assessment rounds under their
organisation."""

from django.urls import path, register_converter

from . import views


class ExportFormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormatConverter, "exportformat")

app_name = "assessments"

project = "projects/<int:project_id>/readiness/"
rounds = "organisations/<int:org_id>/self-assessments/"
a_round = rounds + "<int:round_id>/"

urlpatterns = [
    path(project, views.readiness, name="readiness"),
    path(project + "new/", views.checklist_create, name="checklist-create"),
    path(project + "<int:checklist_id>/", views.checklist_detail, name="checklist-detail"),
    path(rounds, views.round_list, name="round-list"),
    path(rounds + "new/", views.round_create, name="round-create"),
    path(rounds + "compare/", views.round_compare, name="round-compare"),
    path(a_round, views.round_detail, name="round-detail"),
    path(a_round + "score/<int:domain_id>/", views.round_score, name="round-score"),
    path(a_round + "submit/", views.round_submit, name="round-submit"),
    path(a_round + "reopen/", views.round_reopen, name="round-reopen"),
    path(a_round + "sharing/", views.round_sharing, name="round-sharing"),
    path(a_round + "import/", views.round_import, name="round-import"),
    path(a_round + "export.<exportformat:fmt>", views.round_export, name="round-export"),
]
