"""People: the email outbox, invitations and email-change confirmations.

Models hold fields, choices and constraints; writes go through `people.services` and
`people.mail`.
"""

from django.conf import settings
from django.db import models

from .sso_models import *  # noqa: F403 (single sign-on: people/sso_models.py)


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


class Invitation(models.Model):
    """An invitation by email to a project (with a project role) or to an organisation (with a
    membership role). Only the SHA-256 of its single-use token is stored."""

    email = models.EmailField(max_length=254)
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE,
        related_name="invitations",
    )
    organisation = models.ForeignKey(
        "projects.Organisation", null=True, blank=True, on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(max_length=20)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="invitation_to_project_or_organisation",
                condition=models.Q(project__isnull=False, organisation__isnull=True)
                | models.Q(project__isnull=True, organisation__isnull=False),
            )
        ]

    def __str__(self):
        return f"{self.email} to {self.project or self.organisation} as {self.role}"

    @property
    def target(self):
        return self.project or self.organisation

    def role_label(self) -> str:
        from projects.models import Membership, ProjectRole

        choices = ProjectRole.Role if self.project_id else Membership.Role
        return dict(choices.choices).get(self.role, self.role)


class InvitationSend(models.Model):
    """One invitation email sent (first send or resend): what the per-inviter limit counts."""

    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)


class EmailChange(models.Model):
    """A request to change an account's email, confirmed by a single-use link sent to the new
    address. Only the SHA-256 of the token is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_changes"
    )
    new_email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user} → {self.new_email}"
