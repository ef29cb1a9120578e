"""Every email Totem sends goes through this module.

`email_queue` renders the message (a plain-text and an HTML part) and writes it to the outbox
in the caller's transaction; when that transaction commits, a background task sends it. A
message that cannot be sent stays queued with its error and is tried again with back-off
(`outbox_send_due`, run by the task itself and by `manage.py send_queued_mail`), so nothing is
lost while the mail server is down. Sending claims the row with a conditional UPDATE, so two
workers never send the same message.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import make_msgid
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone

from .models import OutboxMessage

log = logging.getLogger("totem.mail")

# A message whose sender died between claiming and finishing is offered again after this long.
STALE_CLAIM = timedelta(minutes=15)
BACKOFF_MAX = timedelta(hours=1)


def email_queue(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict,
    headers: dict[str, str] | None = None,
    dedupe_key: str | None = None,
    user=None,
) -> OutboxMessage | None:
    """Queue one email; None when `dedupe_key` was queued before (nothing is sent again).

    Renders `templates/<template>.txt` and `<template>.html` (which extends emails/base.html)
    with `context` plus `site_url`, the absolute base for links.
    """
    context = {"site_url": settings.SITE_URL.rstrip("/"), "subject": subject, **context}
    text = get_template(f"{template}.txt").template.render(Context(context, autoescape=False))
    html = get_template(f"{template}.html").render(context)
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or None
    try:
        with transaction.atomic():  # a savepoint: a duplicate key leaves the caller's work intact
            message = OutboxMessage.objects.create(
                to=to,
                subject=subject,
                body_text=text,
                body_html=html,
                headers=dict(headers or {}),
                message_id=make_msgid(domain=domain),
                dedupe_key=dedupe_key,
                template=template,
                user=user if getattr(user, "pk", None) else None,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        if dedupe_key and OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id: int, *, run_after=None) -> None:
    from .tasks import send_outbox_message  # the task module imports this one

    task = send_outbox_message
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the periodic `send_queued_mail` picks it up
        task = task.using(run_after=run_after)
    try:
        task.enqueue(message_id)
    except Exception:  # the row is safe in the outbox; send_queued_mail will send it
        log.exception("could not enqueue outbox message %s", message_id)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the first, second, third … failure; never more than an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def outbox_send(*, message_id: int, connection=None) -> str:
    """Send one queued, due message: "sent", "failed" (kept for later), or "" when it was not
    due, or another worker has it, or it went already."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now
    ).update(status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return ""
    message = OutboxMessage.objects.get(pk=message_id)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message.message_id, **message.headers},
        connection=connection or get_connection(),
    )
    email.attach_alternative(message.body_html, "text/html")
    try:
        email.send()
    except Exception as error:  # SMTP down, refused, timed out: keep it and try later
        retry_at = timezone.now() + backoff(message.attempts)
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.QUEUED,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=retry_at,
            claimed_at=None,
        )
        log.warning("email %s to %s not sent (attempt %s): %s", message.pk, message.to,
                    message.attempts, error)
        _enqueue(message.pk, run_after=retry_at)
        return "failed"
    sent = {"status": OutboxMessage.Status.SENT, "sent_at": timezone.now(), "last_error": ""}
    if not settings.MAIL_KEEP_SENT_BODIES:
        # A sent body may hold a single-use link; production keeps only who, what and when.
        sent |= {"body_text": "", "body_html": ""}
    OutboxMessage.objects.filter(pk=message.pk).update(**sent)
    return "sent"


def outbox_send_due(*, limit: int = 100) -> tuple[int, int]:
    """Send every due message (oldest first), over one SMTP connection. Returns (sent, failed)."""
    OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=timezone.now() - STALE_CLAIM
    ).update(status=OutboxMessage.Status.QUEUED, claimed_at=None)
    due = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    connection = get_connection()
    outcomes = [outbox_send(message_id=pk, connection=connection) for pk in list(due)]
    return outcomes.count("sent"), outcomes.count("failed")
