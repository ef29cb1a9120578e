from django.urls import path, register_converter

from .views import chain


class ChainKindConverter:
    regex = "tasks|impacts|indicators"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ChainKindConverter, "chainkind")

app_name = "projects"
urlpatterns = [
    path("new/", chain.project_create, name="project-create"),
    path("<int:project_id>/", chain.project_detail, name="project-detail"),
    path("<int:project_id>/edit/", chain.project_edit, name="project-edit"),
    path("<int:project_id>/chain/", chain.project_chain, name="project-chain"),
    path("<int:project_id>/poster/", chain.project_poster, name="project-poster"),
    path("<int:project_id>/history/", chain.project_history, name="project-history"),
    path("<int:project_id>/people/", chain.project_people, name="project-people"),
    path(
        "<int:project_id>/people/<int:role_id>/remove/",
        chain.project_role_remove,
        name="project-role-remove",
    ),
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
]
