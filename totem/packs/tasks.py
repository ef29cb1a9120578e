"""The background task that makes a pack (django-tasks; `manage.py db_worker` runs it).

A worker that dies mid-render hands the job to another (`totem.jobs`): the pack records which
attempt is making it, and only that attempt stores the PDF."""

from django.dispatch import receiver
from django_tasks import task
from django_tasks.signals import task_finished

from ..models import Pack
from . import services


@task(takes_context=True)
def render_pack(context, pack_id: int) -> None:
    services.pack_render(pack_id=pack_id, attempt=max(context.attempt, 1))


@receiver(task_finished, dispatch_uid="totem-pack-job-finished")
def pack_job_given_up(sender, task_result, **kwargs):
    """A render whose workers all died (totem.jobs gave it up) fails, so its page says so."""
    if task_result.status != "FAILED" or task_result.task.func is not render_pack.func:
        return
    (pack_id,) = task_result.args
    Pack.objects.filter(pk=pack_id, status__in=[Pack.Status.QUEUED, Pack.Status.RENDERING]).update(
        status=Pack.Status.FAILED,
        error=f"The background worker stopped while making it, {task_result.attempts} times.",
    )
