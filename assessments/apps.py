from django.apps import AppConfig


def readiness_panel(project, user, tasks) -> dict:
    """The readiness verdict on the project overview (projects' overview panel registry)."""
    from .selectors import readiness_summary

    return {
        "template": "assessments/_readiness_panel.html",
        "readiness": readiness_summary(project),
    }


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "Checklists and self-assessments"

    def ready(self):
        from projects.views.planning import register_overview_panel

        register_overview_panel("readiness", readiness_panel)
