from django.urls import path, register_converter

from . import views


class ChainKindConverter:
    regex = "tasks|impacts|indicators"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ChainKindConverter, "chainkind")

app_name = "projects"
urlpatterns = [
    path("new/", views.project_create, name="project-create"),
    path("<int:project_id>/", views.project_detail, name="project-detail"),
    path("<int:project_id>/edit/", views.project_edit, name="project-edit"),
    path("<int:project_id>/chain/", views.project_chain, name="project-chain"),
    path("<int:project_id>/poster/", views.project_poster, name="project-poster"),
    path("<int:project_id>/history/", views.project_history, name="project-history"),
    path("<int:project_id>/people/", views.project_people, name="project-people"),
    path(
        "<int:project_id>/people/<int:role_id>/remove/",
        views.project_role_remove,
        name="project-role-remove",
    ),
    path("<int:project_id>/tasks/new/", views.item_create, {"kind": "tasks"}, name="task-create"),
    path(
        "<int:project_id>/tasks/<int:parent_id>/impacts/new/",
        views.item_create,
        {"kind": "impacts"},
        name="impact-create",
    ),
    path(
        "<int:project_id>/impacts/<int:parent_id>/indicators/new/",
        views.item_create,
        {"kind": "indicators"},
        name="indicator-create",
    ),
    path("<int:project_id>/<chainkind:kind>/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path(
        "<int:project_id>/<chainkind:kind>/<int:pk>/delete/", views.item_delete, name="item-delete"
    ),
    path("<int:project_id>/<chainkind:kind>/<int:pk>/move/", views.item_move, name="item-move"),
]
