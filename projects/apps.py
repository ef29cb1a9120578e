from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects and impact totems"

    def ready(self):
        from . import stamps  # noqa: F401  (keeps Indicator.values_stamp on every value written)
        from .views.coach import overview_panel
        from .views.planning import register_overview_panel

        register_overview_panel("outcome_focus", overview_panel)
