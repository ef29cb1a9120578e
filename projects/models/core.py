"""Organisations, people and projects, and the task → impact → indicator chain.

Models hold fields, choices, constraints and cheap properties. Every write goes through
`projects.services`; every read of more than one query through `projects.selectors`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    code = models.CharField(
        max_length=20,
        blank=True,
        help_text="The code partners find it by, e.g. its NHS ODS code or UKPRN. Nobody is "
        "shown a list of organisations: a partner is named by its exact name or this code.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Upper("code"),
                condition=~models.Q(code=""),
                name="unique_organisation_code",
            )
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        ADMIN = "admin", "Organisation admin"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")
        ]

    def __str__(self):
        return f"{self.user} in {self.organisation} ({self.get_role_display()})"


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user):
        """Projects on which `user` holds a role, each annotated with `user_role`."""
        role = ProjectRole.objects.filter(project=models.OuterRef("pk"), user=user)
        return self.filter(roles__user=user).annotate(
            user_role=models.Subquery(role.values("role")[:1])
        )


class Project(models.Model):
    class Stage(models.TextChoices):
        SCOPING = "scoping", "Scoping"
        DESIGN = "design", "Design"
        IMPLEMENTATION = "implementation", "Implementation"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    purpose = models.TextField(
        blank=True, help_text="The issue to be resolved: why this project exists."
    )
    scope = models.TextField(blank=True, help_text="What is in and out of scope.")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SCOPING)
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_projects"
    )
    partner_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_projects"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Archived projects are hidden; their lead can restore them.",
    )
    figures_grace_days = models.PositiveSmallIntegerField(
        "grace period for figures (days)",
        default=7,
        validators=[MaxValueValidator(90)],
        help_text="How many days after a period ends its figure may still come before it is "
        "overdue.",
    )
    figures_escalate_after_days = models.PositiveSmallIntegerField(
        "tell the lead after (days overdue)",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text="When a figure has been overdue this many days, the project lead is told, once.",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class ProjectRole(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        CONTRIBUTOR = "contributor", "Contributor"
        GOVERNOR = "governor", "Governor"
        VIEWER = "viewer", "Viewer"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="unique_project_role")
        ]
        ordering = ["role", "user__username"]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} of {self.project}"


class ChainItem(models.Model):
    """What tasks, impacts, indicators and the planning rows (principles, scenarios, ideas,
    risks, dependencies) share: an order among siblings and a version number that refuses a
    save made from a stale copy (see services.chain_item_update)."""

    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class Task(ChainItem):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        BLOCKED = "blocked", "Blocked"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner = models.CharField(
        "owner (as first typed)",
        max_length=200,
        blank=True,
        help_text="Free text from before owners were project members; shown while no member "
        "is chosen.",
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_tasks",
        verbose_name="owner",
        help_text="Who is responsible: a member of the project.",
    )
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(ChainItem.Meta):
        pass

    def __str__(self):
        return self.title

    @property
    def owner_label(self) -> str:
        """The owner's name: the member chosen, else the free text typed before."""
        if self.owner_person_id:
            return self.owner_person.get_full_name() or self.owner_person.username
        return self.owner


class Impact(ChainItem):
    # `project` repeats task.project so that every row, and its history, is scoped by
    # project in one indexed filter; services set it from the task and never change it.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="impacts")
    statement = models.TextField(
        help_text="What will be different when this task is done — for whom, and how you will know."
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(ChainItem.Meta):
        pass

    def __str__(self):
        return self.statement

    @property
    def has_leading_indicator(self) -> bool:
        """Uses the prefetched indicators when the chain was loaded by selectors.project_chain."""
        return any(indicator.is_leading for indicator in self.indicators.all())


class Indicator(ChainItem):
    class Kind(models.TextChoices):
        LEADING = "leading", "Leading — are we getting there?"
        LAGGING = "lagging", "Lagging — did we get there?"

    class Direction(models.TextChoices):
        UP = "up", "Higher is better"
        DOWN = "down", "Lower is better"

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        TERMLY = "termly", "Termly"
        ANNUALLY = "annually", "Annually"
        AD_HOC = "ad_hoc", "When it happens"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    impact = models.ForeignKey(Impact, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True, help_text="Exactly what is counted or measured.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LEADING)
    unit = models.CharField(max_length=40, blank=True, help_text="For example %, £, days.")
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.UP)
    baseline_value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    target_value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where the data comes from.")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, blank=True)
    owner = models.CharField(
        "owner (as first typed)",
        max_length=200,
        blank=True,
        help_text="Free text from before owners were project members; shown while no member "
        "is chosen.",
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_indicators",
        verbose_name="owner",
        help_text="Who enters its figures: a member of the project. Totem reminds them when a "
        "figure is due.",
    )
    # Figures are expected from the period the indicator was added in, never from before.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    spc_baseline_end = models.DateField(
        "SPC limits fixed on points up to",
        null=True,
        blank=True,
        help_text="Blank: the first 12 points. Limits never move after this date unless you "
        "mark a change point.",
    )
    # Bumped whenever one of its values or change points is written (projects.stamps), so a
    # drawn part that shows them is keyed by this number instead of by every value.
    values_stamp = models.PositiveIntegerField(default=0, editable=False)
    figures_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who approves this indicator's figures besides the lead (named by the lead).",
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "values_stamp"])

    class Meta(ChainItem.Meta):
        pass

    def __str__(self):
        return self.name

    @property
    def owner_label(self) -> str:
        """The owner's name: the member chosen, else the free text typed before."""
        if self.owner_person_id:
            return self.owner_person.get_full_name() or self.owner_person.username
        return self.owner

    @property
    def is_leading(self):
        return self.kind == self.Kind.LEADING


class StarterTotem(models.Model):
    """A curated starting point for a new project's chain, edited by site staff in the admin."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    is_published = models.BooleanField(
        default=False, help_text="Only published starter totems are offered to project leads."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class StarterTask(models.Model):
    starter = models.ForeignKey(StarterTotem, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class StarterImpact(models.Model):
    task = models.ForeignKey(StarterTask, on_delete=models.CASCADE, related_name="impacts")
    position = models.PositiveIntegerField(default=0)
    statement = models.TextField()
    indicator_name = models.CharField(
        max_length=300, blank=True, help_text="Optional: a suggested indicator for this impact."
    )
    indicator_kind = models.CharField(
        max_length=10, choices=Indicator.Kind.choices, default=Indicator.Kind.LEADING
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.statement
