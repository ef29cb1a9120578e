"""What a project pack is made from, and the fingerprint that keys the stored PDF.

`ProjectRecord` loads each part of a project once, on first use, in a fixed number of queries
whatever the project's size. `fingerprint()` hashes a canonical form of exactly the data the
sections hand to their templates, so a pack is re-made when — and only when — something it
shows has changed (or its templates have).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property, lru_cache
from itertools import chain
from pathlib import Path

from django.conf import settings
from django.db import models

from projects.models import (
    BaselineEntry,
    ChangePoint,
    Comment,
    DesignPrinciple,
    Measurement,
    Objective,
    PrincipleScore,
    Project,
    ProjectRole,
    Risk,
    Scenario,
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
        for measurement in rows.only("indicator_id", "date", "value", "note"):
            by_indicator[measurement.indicator_id].append(measurement)
        return dict(by_indicator)

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


def canonical(value):
    """A JSON-able form of `value` that changes exactly when what a template could show does.

    Model rows give their concrete fields (less UNSEEN_FIELDS) and whatever was prefetched on
    them; objects fetched with select_related are not followed (load what a section shows
    into plain values instead, e.g. an author's name).
    """
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, models.Model):
        data = {"": value._meta.label_lower}
        for field in value._meta.concrete_fields:
            if field.name not in UNSEEN_FIELDS:
                data[field.attname] = canonical(getattr(value, field.attname))
        for name, items in sorted(getattr(value, "_prefetched_objects_cache", {}).items()):
            data[name] = [canonical(item) for item in items]
        return data
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, models.QuerySet)):
        return [canonical(item) for item in value]
    if isinstance(value, (date, datetime, Decimal)):
        return str(value)
    raise TypeError(f"A pack section returned a {type(value).__name__}, which cannot be hashed.")


def fingerprint(kind: str, data) -> str:
    """SHA-256 of the kind, the layout (templates and stylesheet) and the canonical data."""
    body = json.dumps([kind, layout_fingerprint(), canonical(data)], sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


LAYOUT_FILES = [
    ("templates/packs/pdf", "*.html"),
    ("templates/projects", "_poster*.html"),
    ("static/css", "pdf.css"),
    ("static/css", "totem.css"),
]


@lru_cache(maxsize=1)
def layout_fingerprint() -> str:
    """A hash of the PDF templates and stylesheets: a deploy that changes how packs look makes
    new versions instead of serving packs laid out the old way. Read once per process."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder, pattern in LAYOUT_FILES:
        for path in sorted((base / folder).rglob(pattern)):
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
