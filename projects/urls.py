from django.urls import path, register_converter

from .views import approval, chain, coach, measures, planning


class ChainKindConverter:
    regex = "tasks|impacts|indicators"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ChainKindConverter, "chainkind")


class PlanningKindConverter(ChainKindConverter):
    regex = "principles|scenarios|ideas|risks|dependencies"


register_converter(PlanningKindConverter, "planningkind")


class FileFormatConverter(ChainKindConverter):
    regex = "csv|xlsx"


register_converter(FileFormatConverter, "fileformat")

app_name = "projects"
urlpatterns = [
    path("new/", chain.project_create, name="project-create"),
    path("<int:project_id>/", planning.project_overview, name="project-detail"),
    path("<int:project_id>/edit/", chain.project_edit, name="project-edit"),
    path("<int:project_id>/archive/", chain.project_archive, name="project-archive"),
    path("<int:project_id>/restore/", chain.project_restore, name="project-restore"),
    path("<int:project_id>/chain/", chain.project_chain, name="project-chain"),
    path("<int:project_id>/poster/", chain.project_poster, name="project-poster"),
    path("<int:project_id>/outcome-focus/", coach.project_coach, name="project-coach"),
    path("<int:project_id>/coach/hint/", coach.coach_hint, name="coach-hint"),
    path("<int:project_id>/history/", chain.project_history, name="project-history"),
    # People and roles: the people app (invitations), at projects/<id>/people/.
    path("<int:project_id>/tasks/new/", chain.item_create, {"kind": "tasks"}, name="task-create"),
    path(
        "<int:project_id>/tasks/<int:parent_id>/impacts/new/",
        chain.item_create,
        {"kind": "impacts"},
        name="impact-create",
    ),
    path(
        "<int:project_id>/impacts/<int:parent_id>/indicators/new/",
        chain.item_create,
        {"kind": "indicators"},
        name="indicator-create",
    ),
    path("<int:project_id>/<chainkind:kind>/<int:pk>/edit/", chain.item_edit, name="item-edit"),
    path(
        "<int:project_id>/<chainkind:kind>/<int:pk>/delete/", chain.item_delete, name="item-delete"
    ),
    path("<int:project_id>/<chainkind:kind>/<int:pk>/move/", chain.item_move, name="item-move"),
    # Indicators over time (projects/views/measures.py)
    path("<int:project_id>/indicators/", measures.indicator_list, name="indicator-list"),
    path(
        "<int:project_id>/indicators/<int:pk>/",
        measures.indicator_detail,
        name="indicator-detail",
    ),
    path(
        "<int:project_id>/indicators/<int:pk>/record/",
        measures.measurement_record,
        name="measurement-record",
    ),
    path("<int:project_id>/indicators/<int:pk>/spc/", measures.indicator_spc, name="indicator-spc"),
    path(
        "<int:project_id>/indicators/<int:pk>/change-points/new/",
        measures.change_point_create,
        name="change-point-create",
    ),
    path(
        "<int:project_id>/change-points/<int:pk>/delete/",
        measures.change_point_delete,
        name="change-point-delete",
    ),
    path(
        "<int:project_id>/measurements/<int:pk>/delete/",
        measures.measurement_delete,
        name="measurement-delete",
    ),
    path("<int:project_id>/figures/", approval.figures, name="figures"),
    path("<int:project_id>/figures/approve/", approval.figures_approve, name="figures-approve"),
    path(
        "<int:project_id>/figures/<int:pk>/return/", approval.figure_return, name="figure-return"
    ),
    path(
        "<int:project_id>/figures/<int:pk>/reopen/", approval.figure_reopen, name="figure-reopen"
    ),
    path(
        "<int:project_id>/indicators/<int:pk>/approver/",
        approval.indicator_approver,
        name="indicator-approver",
    ),
    path(
        "<int:project_id>/measurements/quick-entry/",
        measures.quick_entry,
        name="measurement-quick-entry",
    ),
    path(
        "<int:project_id>/measurements/import/",
        measures.measurement_import,
        name="measurement-import",
    ),
    path(
        "<int:project_id>/measurements/export.<fileformat:fmt>",
        measures.measurement_export,
        name="measurement-export",
    ),
    path(
        "<int:project_id>/measurements/template.<fileformat:fmt>",
        measures.measurement_template,
        name="measurement-template",
    ),
    path("<int:project_id>/objectives/", measures.objective_list, name="objective-list"),
    path(
        "<int:project_id>/objectives/new/",
        measures.record_edit,
        {"kind": "objective"},
        name="objective-create",
    ),
    path(
        "<int:project_id>/objectives/<int:pk>/edit/",
        measures.record_edit,
        {"kind": "objective"},
        name="objective-edit",
    ),
    path(
        "<int:project_id>/objectives/<int:pk>/delete/",
        measures.record_delete,
        {"kind": "objective"},
        name="objective-delete",
    ),
    path("<int:project_id>/baseline/", measures.baseline_list, name="baseline-list"),
    path(
        "<int:project_id>/baseline/new/",
        measures.record_edit,
        {"kind": "baseline"},
        name="baseline-create",
    ),
    path(
        "<int:project_id>/baseline/<int:pk>/edit/",
        measures.record_edit,
        {"kind": "baseline"},
        name="baseline-edit",
    ),
    path(
        "<int:project_id>/baseline/<int:pk>/delete/",
        measures.record_delete,
        {"kind": "baseline"},
        name="baseline-delete",
    ),
    path(
        "<int:project_id>/baseline/export.<fileformat:fmt>",
        measures.baseline_export,
        name="baseline-export",
    ),
    # The rest of the planning record (projects/views/planning.py)
    path("<int:project_id>/options/", planning.project_options, name="project-options"),
    path("<int:project_id>/options/scores/", planning.scores_edit, name="scores-edit"),
    path("<int:project_id>/ideas/", planning.project_ideas, name="project-ideas"),
    path("<int:project_id>/risks/", planning.project_risks, name="project-risks"),
    path(
        "<int:project_id>/<planningkind:kind>/new/", planning.record_create, name="record-create"
    ),
    path(
        "<int:project_id>/<planningkind:kind>/<int:pk>/edit/",
        planning.record_edit,
        name="record-edit",
    ),
    path(
        "<int:project_id>/<planningkind:kind>/<int:pk>/delete/",
        planning.record_delete,
        name="record-delete",
    ),
    path(
        "<int:project_id>/<planningkind:kind>/<int:pk>/move/",
        planning.record_move,
        name="record-move",
    ),
    path(
        "<int:project_id>/history/<slug:kind>/<int:history_id>/restore/",
        planning.record_restore,
        name="record-restore",
    ),
    path(
        "<int:project_id>/scenarios/<int:pk>/choose/",
        planning.scenario_choose,
        name="scenario-choose",
    ),
    path(
        "<int:project_id>/scenarios/<int:pk>/unchoose/",
        planning.scenario_unchoose,
        name="scenario-unchoose",
    ),
    path(
        "<int:project_id>/ideas/<int:pk>/make-task/",
        planning.idea_make_task,
        name="idea-make-task",
    ),
]
