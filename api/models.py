"""Personal access tokens, and the measurement batches pushed with them."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AccessToken(models.Model):
    """A personal access token: the secret is shown once and only its SHA-256 is kept."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        READ_WRITE = "read-write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(max_length=100, help_text="What it is for, e.g. “Power BI feed”.")
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.READ)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)  # to recognise it in the list
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class MeasurementBatch(models.Model):
    """A batch of values pushed through the API. The idempotency key is unique per project, so
    the same batch sent twice records once: the second request is answered from this row."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    idempotency_key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the rows: a reused key is caught
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token = models.ForeignKey(AccessToken, on_delete=models.SET_NULL, null=True, related_name="+")
    token_name = models.CharField(max_length=100, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    replaced = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "idempotency_key"], name="one_batch_per_idempotency_key"
            )
        ]

    def __str__(self):
        return f"{self.idempotency_key} ({self.rows} rows)"
