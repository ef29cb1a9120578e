"""Background tasks of the people app (django-tasks; `manage.py db_worker` runs them)."""

from django_tasks import task

from . import mail


@task()
def send_outbox_message(message_id: int) -> None:
    """Send one outbox message; on failure it stays queued and this task is queued again later."""
    mail.outbox_send(message_id=message_id)
