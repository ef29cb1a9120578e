"""The inbox (one row a notification) and each person's email preference per kind."""

from django.conf import settings
from django.db import models

from projects.models import Indicator, Measurement, Project, ProjectRole

from .kinds import Delivery, Kind


class NotificationQuerySet(models.QuerySet):
    def visible(self):
        """Only what each recipient may still see: a notification about a project needs a role
        on it and the project not archived (nobody is told about a project they can no longer
        see)."""
        on_project = models.Exists(
            ProjectRole.objects.filter(
                project=models.OuterRef("project"), user=models.OuterRef("recipient")
            )
        )
        return self.filter(
            models.Q(project__isnull=True) | (on_project & models.Q(project__archived_at=None))
        )

    def visible_to(self, user):
        return self.filter(recipient=user).visible()

    def unresolved(self):
        """Without the figure reminders whose figure has since been entered."""
        entered = Measurement.objects.filter(
            indicator=models.OuterRef("indicator"), date__gte=models.OuterRef("period_start")
        )
        return self.exclude(models.Q(indicator__isnull=False) & models.Exists(entered))

    def unread(self):
        return self.filter(read_at=None)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A figure reminder is about one indicator's period; entering that figure resolves it.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    period_start = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, help_text="Where the thing is done: a path.")
    # What makes this notification this one: the same key is never inserted twice, so a sweep
    # run twice, or on two machines at once, cannot notify (or email) anyone twice.
    dedupe_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Email: sent once `email_after` has passed (at once, or the next digest); never if null.
    email_after = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Which sweep inserted the row, so that a sweep knows which of its inserts were new.
    sweep = models.CharField(max_length=32, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
            models.Index(
                fields=["email_after"],
                condition=models.Q(emailed_at=None, email_after__isnull=False),
                name="notification_email_pending",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}: {self.title}"


class Preference(models.Model):
    """How one person wants one kind of notification emailed. No row: the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()} — {self.get_delivery_display()}"
