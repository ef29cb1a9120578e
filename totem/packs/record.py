"""What a project pack is made from, and the fingerprint that keys the stored PDF.

`ProjectRecord` loads each part of a project once, on first use, in a fixed number of queries
whatever the project's size; the sections draw from it when a pack is rendered.
`fingerprint()` hashes the stored rows the pack is drawn from (the `Source`s), so a pack is
re-made when — and only when — one of them, or the layout, has changed.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from itertools import chain
from pathlib import Path

from django.conf import settings

from assessments.models import Answer, Assessment, Checklist, ChecklistResponse
from projects.models import (
    BaselineEntry,
    ChangePoint,
    Comment,
    DesignPrinciple,
    Impact,
    Indicator,
    Measurement,
    Objective,
    PrincipleScore,
    Project,
    ProjectRole,
    Risk,
    Scenario,
    SpcState,
    Task,
)
from projects.selectors import project_chain

# Bookkeeping that changes on a save without changing anything a reader sees; never a
# user's password hash or last sign-in, should a user row ever reach a fingerprint.
UNSEEN_FIELDS = frozenset({"updated_at", "recorded_at", "version", "password", "last_login"})


class ProjectRecord:
    """The parts of one project a pack shows, each loaded once, on first use."""

    def __init__(self, project: Project):
        self.project = project

    @cached_property
    def tasks(self):
        return project_chain(self.project)

    @cached_property
    def impacts(self):
        return list(chain.from_iterable(task.impacts.all() for task in self.tasks))

    @cached_property
    def indicators(self):
        return list(chain.from_iterable(impact.indicators.all() for impact in self.impacts))

    @cached_property
    def measurements(self) -> dict[int, list[Measurement]]:
        """Indicator id -> its measurements in date order."""
        by_indicator = defaultdict(list)
        rows = Measurement.objects.filter(project=self.project).order_by("indicator_id", "date")
        for measurement in rows.only("indicator_id", "date", "value", "note", "approval"):
            by_indicator[measurement.indicator_id].append(measurement)
        return dict(by_indicator)

    @cached_property
    def provisional_dates(self) -> dict[int, set[date]]:
        """Indicator id -> the dates of its figures not approved yet (drawn hollow)."""
        return {
            pk: {m.date for m in rows if m.approval != Measurement.Approval.APPROVED}
            for pk, rows in self.measurements.items()
        }

    @cached_property
    def figures_approved(self) -> tuple[int, int]:
        """(approved, all) figures of the project: "N of M figures approved"."""
        rows = [m for series in self.measurements.values() for m in series]
        return sum(m.approval == Measurement.Approval.APPROVED for m in rows), len(rows)

    @cached_property
    def spc_states(self) -> dict[int, tuple[str, str]]:
        """Indicator id -> its stored SPC (variation, assurance): what objectives are judged by."""
        rows = SpcState.objects.filter(project=self.project)
        return {pk: (v, a) for pk, v, a in rows.values_list("indicator", "variation", "assurance")}

    @cached_property
    def change_points(self) -> dict[int, list[date]]:
        by_indicator = defaultdict(list)
        for point in ChangePoint.objects.filter(project=self.project).order_by("date"):
            by_indicator[point.indicator_id].append(point.date)
        return dict(by_indicator)

    @cached_property
    def partners(self):
        return list(self.project.partner_organisations.all())

    @cached_property
    def people(self) -> list[tuple[str, str]]:
        """(name, role) of everyone with a role, leads first."""
        roles = ProjectRole.objects.filter(project=self.project).select_related("user")
        order = {role: index for index, role in enumerate(ProjectRole.Role.values)}
        rows = sorted(roles, key=lambda r: (order[r.role], r.user.get_full_name().lower()))
        return [(r.user.get_full_name() or r.user.username, r.get_role_display()) for r in rows]

    @cached_property
    def objectives(self):
        return list(Objective.objects.filter(project=self.project).order_by("position", "pk"))

    @cached_property
    def principles(self):
        return list(DesignPrinciple.objects.filter(project=self.project))

    @cached_property
    def scenarios(self):
        return list(Scenario.objects.filter(project=self.project))

    @cached_property
    def principle_scores(self) -> dict[tuple[int, int], str]:
        """(scenario id, principle id) -> score label."""
        scores = PrincipleScore.objects.filter(project=self.project)
        return {(s.scenario_id, s.principle_id): s.get_score_display() for s in scores}

    @cached_property
    def baseline(self):
        return list(BaselineEntry.objects.filter(project=self.project))

    @cached_property
    def risks(self):
        return list(Risk.objects.filter(project=self.project))

    @cached_property
    def comments(self):
        return list(
            Comment.objects.filter(project=self.project)
            .select_related("author", "task", "impact", "indicator")
            .order_by("created_at", "pk")
        )

    @cached_property
    def decisions(self):
        from totem.models import Decision

        rows = Decision.objects.filter(project=self.project).select_related("pack", "recorded_by")
        return list(rows)


# --- the fingerprint ----------------------------------------------------------------------
#
# A pack is keyed by the rows it is drawn from, read straight from the database as tuples: a
# handful of queries whatever the size of the project (or of a portfolio of sixty), with no
# model built and nothing rendered, so that asking for an unchanged pack costs milliseconds.
# Any change to one of those rows — an edit, a row added or deleted — makes a new version.


@dataclass(frozen=True)
class Source:
    """Rows a pack is drawn from: `model` rows whose `scope` is one of the projects, with the
    names of related rows the pack prints (`names`), as the database holds them."""

    model: type
    scope: str = "project"
    names: tuple[str, ...] = ()
    where: tuple[tuple[str, object], ...] = ()  # further filters, e.g. submitted rounds only

    def rows(self, ids) -> list[tuple]:
        columns = [
            field.attname
            for field in self.model._meta.concrete_fields
            if field.name not in UNSEEN_FIELDS
        ]
        rows = self.model.objects.filter(**{f"{self.scope}__in": ids}, **dict(self.where))
        return list(rows.order_by("pk").values_list(*columns, *self.names))


PEOPLE = ("first_name", "last_name", "username")
SUBMITTED = (("status", "submitted"),)
CHAIN_SOURCES = (
    Source(Project, "pk", ("lead_organisation__name",)),
    Source(Task),
    Source(Impact),
    Source(Indicator),
)
# Everything the governors' pack and the portfolio show. A section that reads another table
# adds it here.
RECORD_SOURCES = (
    *CHAIN_SOURCES,
    Source(Project.partner_organisations.through, names=("organisation__name",)),
    Source(ProjectRole, names=tuple(f"user__{name}" for name in PEOPLE)),
    Source(Measurement),
    Source(ChangePoint),
    Source(Objective),
    Source(DesignPrinciple),
    Source(Scenario),
    Source(PrincipleScore),
    Source(BaselineEntry),
    Source(Risk),
    Source(Comment, names=tuple(f"author__{name}" for name in PEOPLE)),
    # Readiness checklists, and the submitted self-assessment rounds about the project or of
    # its lead organisation (assessments).
    Source(Checklist, names=("template__name",)),
    Source(ChecklistResponse, "checklist__project", ("item__text",)),
    *(
        source
        for scope in ("projects", "organisation__led_projects")
        for source in (
            Source(Assessment, scope, ("organisation__name",), SUBMITTED),
            Source(Answer, f"assessment__{scope}", (), (("assessment__status", "submitted"),)),
        )
    ),
)


def decision_source() -> Source:
    from totem.models import Decision  # totem.models imports projects, never the reverse

    return Source(Decision, names=tuple(f"recorded_by__{name}" for name in PEOPLE))


def fingerprint(kind: str, ids, sources, *extra) -> str:
    """SHA-256 of the kind, the layout (templates, stylesheets, section code), `extra` and
    every row of `sources` that belongs to `ids` (projects' ids; a round report's rounds')."""
    digest = hashlib.sha256(repr((kind, layout_fingerprint(), extra)).encode())
    ids = sorted(ids)
    for source in sources:
        digest.update(source.model._meta.label_lower.encode())
        digest.update(repr(source.rows(ids)).encode())
    return digest.hexdigest()


LAYOUT_FILES = [
    ("templates/packs/pdf", "*.html"),
    ("templates/projects", "_poster*.html"),
    ("static/css", "pdf.css"),
    ("static/css", "totem.css"),
    ("totem/packs", "*.py"),
]


@lru_cache(maxsize=1)
def layout_fingerprint() -> str:
    """A hash of the PDF templates, stylesheets and section code: a deploy that changes what
    packs show makes new versions instead of serving the old ones. Read once per process."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder, pattern in LAYOUT_FILES:
        for path in sorted((base / folder).rglob(pattern)):
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
