"""Indicators over time: measurements, SPC settings, objectives and the baseline."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from .core import Indicator, Project


class Measurement(models.Model):
    """One value of an indicator for one date (or the period that date stands for).

    A value is provisional until approved: recording it submits it; the lead, or the approver
    the lead names for the indicator, approves it or returns it with a reason. An approved
    value is locked until someone re-opens it with a reason (services.approval); the history
    keeps every step."""

    class Approval(models.TextChoices):
        SUBMITTED = "submitted", "Provisional: waiting for approval"
        RETURNED = "returned", "Returned"
        APPROVED = "approved", "Approved"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField(help_text="The date, or the first day of the period, measured.")
    value = models.DecimalField(max_digits=18, decimal_places=4)
    note = models.TextField(blank=True, help_text="Shown as an annotation on the chart.")
    evidence = models.CharField(
        max_length=500, blank=True, help_text="A link to, or a description of, the evidence."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now=True)
    approval = models.CharField(
        max_length=10, choices=Approval.choices, default=Approval.SUBMITTED
    )
    approval_reason = models.CharField(
        max_length=500, blank=True, help_text="Why it was returned or re-opened."
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["recorded_at"])

    class Meta:
        ordering = ["indicator", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date"], name="one_measurement_per_indicator_per_date"
            )
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} on {self.date:%d %b %Y}"

    @property
    def is_approved(self) -> bool:
        return self.approval == self.Approval.APPROVED


class ChangePoint(models.Model):
    """A date from which an indicator's SPC limits are re-based: marked by a person, never
    found automatically (NHS England, Making Data Count)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="change_points")
    date = models.DateField()
    reason = models.CharField(max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "date"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date"], name="one_change_point_per_date")
        ]

    def __str__(self):
        return f"Change on {self.date:%d %b %Y}: {self.reason}"


class Objective(models.Model):
    """A measurable objective: "reduce legal costs by 20% within the first year"."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveIntegerField(default=0)
    statement = models.TextField()
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives",
        help_text="The indicator that measures progress towards this objective.",
    )
    baseline_value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    target_value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.statement


class BaselineEntry(models.Model):
    """Where a function starts from (seed: "creating a robust baseline")."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="baseline")
    position = models.PositiveIntegerField(default=0)
    function = models.CharField(max_length=200, help_text="For example Payroll, or Legal.")
    organisation = models.CharField(max_length=200, blank=True)
    as_of = models.DateField(null=True, blank=True)
    budget = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Annual budget in £.",
    )
    wte = models.DecimalField(
        "WTE",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Whole-time equivalent staff.",
    )
    volumes = models.TextField(blank=True, help_text="Transactions, cases, payslips…")
    performance = models.TextField(blank=True, help_text="Quality and timeliness today.")
    operating_model = models.TextField(blank=True, help_text="How the function works today.")
    source = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "baseline entries"

    def __str__(self):
        return f"{self.function} ({self.organisation})" if self.organisation else self.function


class SpcState(models.Model):
    """An indicator's SPC verdicts as `selectors.indicator_analysis` last worked them out,
    stored when its values, change points, baseline or target change (services.spc_state), so
    the portfolio dashboard reads icons for thousands of indicators without analysing any."""

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, primary_key=True, related_name="spc_state"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    variation = models.CharField(max_length=30)  # spc.VARIATION_* or spc.NOT_ENOUGH_DATA
    variation_side = models.CharField(max_length=4, blank=True)  # spc.HIGH / spc.LOW / ""
    assurance = models.CharField(max_length=30)  # spc.ASSURANCE_* or spc.NOT_ENOUGH_DATA
    state = models.CharField(max_length=20)  # rollup.IMPROVING / CONCERN / NO_SIGNAL / NO_DATA
    points = models.PositiveIntegerField(default=0)
    mean = models.FloatField(null=True, blank=True)  # the latest period's, None: no limits
    upper = models.FloatField(null=True, blank=True)
    lower = models.FloatField(null=True, blank=True)
    latest_date = models.DateField(null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.indicator_id}: {self.variation}, {self.assurance}"
