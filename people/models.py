"""People: the email outbox, invitations and email-change confirmations.

Models hold fields, choices and constraints; writes go through `people.services` and
`people.mail`.
"""

from django.conf import settings
from django.db import models


class OutboxMessage(models.Model):
    """One email, written in the transaction of the change that caused it and sent by the worker.

    A row is claimed for sending by a conditional UPDATE (queued -> sending), so two workers
    never send it twice; a failed attempt puts it back to queued with its error and the time of
    the next try.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField()
    headers = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=200, help_text="The same on every attempt.")
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    template = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The recipient's account, when they have one.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.subject} → {self.to} ({self.get_status_display()})"
