"""Rendered PDF packs and the decisions governors record on them.

A `Pack` is one rendered PDF, kept in the default storage (MEDIA_ROOT) and keyed by the
fingerprint of the content it was made from: asking again for unchanged content serves the
stored file; changed content makes the next version. A `Decision` points at the exact pack it
was made on and keeps that pack's SHA-256, so the PDF a board signed off stays downloadable
and checkable, byte for byte, whatever happens to the project afterwards.
"""

from django.conf import settings
from django.db import models

from assessments.models import Assessment
from projects.models import Organisation, Project


def pack_file_name(pack, filename: str) -> str:
    owner = f"project-{pack.project_id}" if pack.project_id else f"org-{pack.organisation_id}"
    kind = f"round-{pack.assessment_id}" if pack.assessment_id else pack.kind
    return f"packs/{owner}/{kind}-v{pack.version}-{pack.fingerprint[:12]}.pdf"


class Pack(models.Model):
    class Kind(models.TextChoices):
        PROJECT = "project", "Governors' pack"
        POSTER = "poster", "Poster (A3)"
        PORTFOLIO = "portfolio", "Portfolio pack"
        ROUND = "round", "Self-assessment report"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the renderer"
        RENDERING = "rendering", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    # A project's pack or poster has `project`; an organisation's portfolio has `organisation`.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="packs"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="packs"
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="packs",
        help_text="A self-assessment report: the organisation's round it reports on.",
    )
    # What the stored PDF shows, written at render time in the same save that makes the pack
    # ready, from exactly what was rendered (before that: what was asked for). Who may
    # download a pack is decided from these alone: see totem.review.access.
    project_ids = models.JSONField(
        default=list, blank=True, help_text="The projects it shows (all of them must be visible)."
    )
    assessment_ids = models.JSONField(
        default=list,
        blank=True,
        help_text="Self-assessment report: the rounds it shows (its own, previous, partners').",
    )
    version = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the content it shows.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=pack_file_name, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Which run of its background job is making it (1, then 2 when a worker died mid-render):
    # only that run may store the result (see totem.jobs).
    attempt = models.PositiveSmallIntegerField(default=0)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(project__isnull=False, organisation__isnull=True)
                | models.Q(project__isnull=True, organisation__isnull=False),
                name="pack_of_a_project_or_an_organisation",
            ),
            models.UniqueConstraint(
                fields=["kind", "project", "fingerprint"],
                condition=models.Q(project__isnull=False),
                name="one_project_pack_per_content",
            ),
            models.UniqueConstraint(
                fields=["kind", "project", "version"],
                condition=models.Q(project__isnull=False),
                name="one_project_pack_per_version",
            ),
            models.UniqueConstraint(
                fields=["kind", "organisation", "fingerprint"],
                condition=models.Q(organisation__isnull=False),
                name="one_portfolio_pack_per_content",
            ),
            models.UniqueConstraint(
                fields=["kind", "organisation", "version"],
                condition=models.Q(organisation__isnull=False, assessment__isnull=True),
                name="one_portfolio_pack_per_version",
            ),
            # A round's reports are numbered on their own.
            models.UniqueConstraint(
                fields=["kind", "assessment", "version"],
                condition=models.Q(assessment__isnull=False),
                name="one_round_report_per_version",
            ),
        ]

    def __str__(self):
        owner = self.project or self.assessment or self.organisation
        return f"{self.get_kind_display()} v{self.version} of {owner}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    @property
    def download_name(self) -> str:
        owner = self.project or self.assessment or self.organisation
        words = "".join(c if c.isalnum() else "-" for c in str(owner).lower()).strip("-")
        words = "-".join(part for part in words.split("-") if part)[:60] or "totem"
        return f"{words}-{self.kind}-v{self.version}.pdf"


class Decision(models.Model):
    """A governor's decision on one exact pack: the sign-off record."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
        NOT_APPROVED = "not_approved", "Not approved"
        DEFERRED = "deferred", "Deferred"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    conditions = models.TextField(
        blank=True, help_text="Required when approved with conditions; the reasons otherwise."
    )
    decided_on = models.DateField(help_text="The date of the meeting or the decision.")
    decided_by = models.CharField(
        max_length=300, blank=True, help_text="For example: Trust Board, or the SRO."
    )
    pack_sha256 = models.CharField(
        "SHA-256 of the pack", max_length=64, help_text="Copied from the pack when recorded."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="approved_with_conditions") | ~models.Q(conditions=""),
                name="conditions_written_for_a_conditional_approval",
            )
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} on {self.decided_on:%d %b %Y} ({self.pack})"

    @property
    def is_open(self) -> bool:
        """Deferred, or approved on conditions: something is still to come back to the board."""
        return self.outcome in (self.Outcome.DEFERRED, self.Outcome.APPROVED_WITH_CONDITIONS)


class Heartbeat(models.Model):
    """The last sign of life of one background process: a worker (`worker:<id>`), the clock,
    anything that runs on its own. Written with `totem.jobs.beat`; read by /health/ready and by
    the job reaper (a worker whose beat is older than JOB_LEASE_SECONDS is taken for dead)."""

    name = models.CharField(max_length=100, primary_key=True)
    beat_at = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class AccessibilityStatement(models.Model):
    """The organisation-specific parts of the site's accessibility statement, in the shape of
    the GOV.UK model statement for the Public Sector Bodies (Websites and Mobile Applications)
    (No. 2) Accessibility Regulations 2018. Site staff edit it in the admin; the page fills
    the rest. One row: `current()` makes it with sensible defaults the first time it is read.
    """

    class Compliance(models.TextChoices):
        FULL = "full", "fully compliant"
        PARTIAL = "partial", "partially compliant"
        NOT = "not", "not compliant"

    organisation = models.CharField(
        max_length=200, default="The organisation that runs this service",
        help_text="Who runs this copy of Totem and is responsible for this statement.",
    )
    service_name = models.CharField(max_length=120, default="Totem")
    contact_email = models.EmailField(blank=True, help_text="Where people report problems.")
    contact_phone = models.CharField(max_length=40, blank=True)
    response_days = models.PositiveSmallIntegerField(
        default=5, help_text="Working days within which you reply to a request."
    )
    compliance = models.CharField(
        max_length=10, choices=Compliance.choices, default=Compliance.PARTIAL,
        help_text="Against the Web Content Accessibility Guidelines version 2.2 AA standard.",
    )
    known_limitations = models.TextField(
        blank=True,
        default="Charts of indicators over time are drawn as pictures; their values are also "
        "given in a table below each chart.\nPDF packs are tagged, but complex tables in them "
        "may be hard to follow with a screen reader.",
        help_text="How accessible the service is: the parts people may find hard to use.",
    )
    non_compliance = models.TextField(
        blank=True,
        help_text="Content that does not meet WCAG 2.2 AA, and the criterion each fails.",
    )
    disproportionate_burden = models.TextField(blank=True)
    outside_scope = models.TextField(blank=True)
    improvements = models.TextField(
        blank=True, help_text="What you are doing to improve accessibility, with dates."
    )
    prepared_on = models.DateField(null=True, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    tested_on = models.DateField(null=True, blank=True)
    tested_by = models.CharField(
        max_length=200, blank=True,
        default="the development team, with automated checks (axe-core and the Nu HTML "
        "Checker) on every page at desktop and phone widths, and keyboard-only use",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "accessibility statement"
        verbose_name_plural = "accessibility statement"

    def __str__(self) -> str:
        return f"Accessibility statement for {self.service_name}"

    @classmethod
    def current(cls) -> "AccessibilityStatement":
        statement = cls.objects.order_by("pk").first()
        return statement if statement is not None else cls.objects.create()
