"""Readiness checklists and maturity self-assessments, and the templates they are made from.

Templates (`ChecklistTemplate`, `Framework`) are curated by site staff in the Django admin and
versioned: a draft can change, a published or retired version cannot, and every checklist or
self-assessment round points at the exact version it was made from. Every write goes through
`assessments.services`; reads of more than one query through `assessments.selectors`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from projects.models import Organisation, Project


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class VersionedTemplate(models.Model):
    """What checklist templates and frameworks share: a family (`slug`) of numbered versions,
    at most one of them published at a time. Status changes only through the services."""

    slug = models.SlugField(
        max_length=80,
        help_text="Names the template across all its versions; a new version keeps it.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Shown to users when they pick it.")
    status = models.CharField(
        max_length=10, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT,
        editable=False,
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "version"], name="%(app_label)s_%(class)s_unique_version"
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(status="published"),
                name="%(app_label)s_%(class)s_one_published",
                violation_error_message="Another version of this template is published.",
            ),
        ]

    def __str__(self):
        return f"{self.name} (version {self.version})"

    @property
    def is_draft(self) -> bool:
        return self.status == TemplateStatus.DRAFT


# --- readiness checklists -----------------------------------------------------------------


class ChecklistTemplate(VersionedTemplate):
    history = HistoricalRecords()

    class Meta(VersionedTemplate.Meta):
        verbose_name = "readiness checklist template"


class ChecklistItem(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", "Readiness question"
        MUST_HAVE = "must_have", "Must-have"

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.QUESTION)
    text = models.CharField(max_length=300)
    guidance = models.TextField(blank=True, help_text="Helps the person answering; optional.")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "checklist item"

    def __str__(self):
        return self.text

    @property
    def is_must_have(self) -> bool:
        return self.kind == self.Kind.MUST_HAVE


class Checklist(models.Model):
    """One run of a readiness checklist for a project, e.g. the gateway before a stage."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="checklists")
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="checklists"
    )
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "readiness checklist"

    def __str__(self):
        return self.title


class ChecklistResponse(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"
        NOT_APPLICABLE = "na", "Not applicable"

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="responses")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    evidence = models.TextField(blank=True, help_text="Evidence or a note.")
    owner = models.CharField(max_length=200, blank=True, help_text="Who will close the gap.")
    due = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["item__position", "item__pk"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "item"], name="unique_checklist_item")
        ]

    def __str__(self):
        return f"{self.item}: {self.get_answer_display() or 'not answered'}"

    @property
    def is_met(self) -> bool:
        return self.answer == self.Answer.YES

    @property
    def is_open(self) -> bool:
        """A gap: not answered yet, or answered no or partly."""
        return self.answer not in (self.Answer.YES, self.Answer.NOT_APPLICABLE)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due is not None and self.due < timezone.localdate()


# --- maturity frameworks and self-assessment rounds ---------------------------------------


class Framework(VersionedTemplate):
    history = HistoricalRecords()

    class Meta(VersionedTemplate.Meta):
        verbose_name = "maturity framework"


class Level(models.Model):
    """One step of a framework's ordered scale; `position` 1 is the lowest."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=60)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "position"], name="unique_level_position"),
            models.UniqueConstraint(fields=["framework", "name"], name="unique_level_name"),
        ]

    def __str__(self):
        return self.name


class Domain(models.Model):
    """A component of the framework, e.g. "Investing in people and culture"."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "domain (component)"
        verbose_name_plural = "domains (components)"

    def __str__(self):
        return self.name


class Question(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="questions")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField(
        help_text="Numbered through the whole framework, as the source document numbers it."
    )
    text = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="unique_question_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"

    def clean(self):
        if self.domain_id and self.framework_id and self.domain.framework_id != self.framework_id:
            raise ValidationError({"domain": "Pick a domain of this framework."})


class Descriptor(models.Model):
    """What a question looks like at one level, in words an assessor can recognise."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="descriptors")
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["level__position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "level"], name="unique_descriptor_level")
        ]

    def __str__(self):
        return f"{self.question.number} at {self.level}"

    def clean(self):
        if self.level_id and self.question_id:
            if self.level.framework_id != self.question.framework_id:
                raise ValidationError({"level": "Pick a level of this question's framework."})


class Assessment(models.Model):
    """A self-assessment round: an organisation scores every question of one framework version."""

    class Status(models.TextChoices):
        OPEN = "open", "Open for scoring"
        SUBMITTED = "submitted", "Submitted"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assessments"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    name = models.CharField(max_length=200)
    assessed_on = models.DateField(help_text="The date of the assessment (or its workshop).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    projects = models.ManyToManyField(
        Project, blank=True, related_name="assessments",
        help_text="Optional: the projects or partnership this round concerns.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = "self-assessment round"

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence = models.TextField(blank=True)
    next_actions = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["question__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="unique_answer")
        ]

    def __str__(self):
        return f"{self.question.number}: {self.level or 'not scored'}"

    def clean(self):
        if self.level_id and self.level.framework_id != self.question.framework_id:
            raise ValidationError({"level": "Pick a level of this round's framework."})


class AssessmentEvent(models.Model):
    """The round's own log of what happened to it and why (a re-opening carries its reason)."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Opened"
        IMPORTED = "imported", "Scores imported"
        SUBMITTED = "submitted", "Submitted"
        REOPENED = "reopened", "Re-opened"
        SHARED = "shared", "Sharing changed"
        SCORED = "scored", "Score changed"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%d %b %Y}"


class AssessmentShare(models.Model):
    """`partner` may see `assessment` (while it is submitted). Sharing is one-way."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="shares")
    partner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "partner"], name="unique_share")
        ]

    def __str__(self):
        return f"{self.assessment} shared with {self.partner}"

    def clean(self):
        if self.partner_id and self.partner_id == self.assessment.organisation_id:
            raise ValidationError({"partner": "A round is always visible to its own organisation."})
