"""The rest of the planning record: principles, scenarios, ideas, risks, dependencies,
comments and who saw the project when."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from .core import ChainItem, Impact, Indicator, Project, Task


class DesignPrinciple(ChainItem):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="principles")
    statement = models.TextField()
    rationale = models.TextField(blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    agreed_by = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(ChainItem.Meta):
        pass

    def __str__(self):
        return self.statement


class Scenario(ChainItem):
    class Recommendation(models.TextChoices):
        PROCEED = "proceed", "Proceed"
        DO_NOT_PROCEED = "do_not_proceed", "Do not proceed"
        MORE_WORK = "more_work", "Needs more work"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scenarios")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    expected_outcomes = models.TextField(blank=True)
    likelihood = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Likelihood of proceeding, 0–100%.",
    )
    recommendation = models.CharField(
        max_length=20, choices=Recommendation.choices, default=Recommendation.MORE_WORK
    )
    reasons = models.TextField(blank=True)
    is_chosen = models.BooleanField(default=False)
    chosen_on = models.DateField(null=True, blank=True)
    chosen_by = models.CharField(max_length=300, blank=True, help_text="Who decided.")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(ChainItem.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(is_chosen=True),
                name="one_chosen_scenario_per_project",
            ),
            models.CheckConstraint(
                condition=models.Q(likelihood__lte=100), name="likelihood_at_most_100"
            ),
        ]

    def __str__(self):
        return self.title


class PrincipleScore(models.Model):
    """How well a scenario meets a design principle: the principles are used to choose."""

    class Score(models.TextChoices):
        MEETS = "meets", "Meets"
        PARTLY = "partly", "Partly"
        DOES_NOT = "does_not", "Does not meet"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="scores")
    principle = models.ForeignKey(DesignPrinciple, on_delete=models.CASCADE, related_name="scores")
    score = models.CharField(max_length=10, choices=Score.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "principle"], name="one_score_per_scenario_principle"
            )
        ]

    def __str__(self):
        return f"{self.scenario} × {self.principle}: {self.get_score_display()}"


class Idea(ChainItem):
    """The fact sheet's "SS Ideas" page: notes, and alternative tasks with their impact."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ideas")
    note = models.TextField(blank=True)
    task_title = models.CharField("alternative task", max_length=300, blank=True)
    intended_impact = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The task this idea became.",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(ChainItem.Meta):
        pass

    def __str__(self):
        return self.task_title or self.note[:80]


class Risk(ChainItem):
    """The register of risks, constraints and issues."""

    class Kind(models.TextChoices):
        RISK = "risk", "Risk"
        CONSTRAINT = "constraint", "Constraint"
        ISSUE = "issue", "Issue"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MITIGATED = "mitigated", "Mitigated"
        CLOSED = "closed", "Closed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.RISK)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    likelihood = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (rare) to 5 (almost certain).",
    )
    impact = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (negligible) to 5 (severe).",
    )
    owner = models.CharField(max_length=200, blank=True)
    mitigation = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(ChainItem.Meta):
        pass

    def __str__(self):
        return self.title

    @property
    def rating(self) -> int:
        return self.likelihood * self.impact


class Dependency(ChainItem):
    """A dependency on another project: linked when that project is in Totem too."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        AT_RISK = "at_risk", "At risk"
        MET = "met", "Met"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dependencies")
    description = models.TextField()
    other_project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="dependents"
    )
    other_project_name = models.CharField(
        max_length=300, blank=True, help_text="When the other project is not in Totem."
    )
    owner = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(ChainItem.Meta):
        verbose_name_plural = "dependencies"

    def __str__(self):
        return self.description[:80]


class Comment(models.Model):
    """A comment on the project or on one task, impact or indicator of it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    impact = models.ForeignKey(
        Impact, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(task__isnull=True, impact__isnull=True)
                    | models.Q(task__isnull=True, indicator__isnull=True)
                    | models.Q(impact__isnull=True, indicator__isnull=True)
                ),
                name="comment_on_at_most_one_item",
            )
        ]

    def __str__(self):
        return self.body[:80]


class ProjectVisit(models.Model):
    """When a user last looked at a project's overview: "what changed since your last visit"."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_visit_row_per_user")
        ]
