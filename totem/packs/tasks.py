"""The background task that makes a pack (django-tasks; `manage.py db_worker` runs it)."""

from django_tasks import task

from . import services


@task()
def render_pack(pack_id: int) -> None:
    services.pack_render(pack_id=pack_id)
