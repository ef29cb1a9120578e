"""The content of each kind of PDF: what it is made from (fingerprinted when asked for) and the
template context it is drawn with (built only when it is rendered)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from projects.models import Organisation, Project, ProjectRole

from .poster import poster_layout
from .record import ProjectRecord, fingerprint
from .sections import (
    PROJECT_PACK,
    Presenting,
    Section,
    load_decisions,
    load_risks,
    load_summary,
    present_summary,
)


@dataclass(frozen=True)
class PackMeta:
    """What a rendered pack says about itself."""

    kind: str
    version: int
    made_on: date
    previous: Any = None  # the previous ready pack of the same kind and owner, or None


@dataclass(frozen=True)
class Content:
    kind: str
    template: str
    fingerprint: str
    # (meta, shrink) -> the template context; `shrink` > 0 asks a one-page layout for smaller
    # type after a render came out on more than one page.
    context: Callable[..., dict]
    one_page: bool = False
    project_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SectionView:
    key: str
    title: str
    template: str
    new_page: bool
    data: Any
    view: Any


ROLES_ON_COVER = [
    (ProjectRole.Role.LEAD, "Project lead", "Project leads"),
    (ProjectRole.Role.GOVERNOR, "Governor", "Governors"),
]


def _cover(record: ProjectRecord) -> dict:
    project = record.project
    people = []
    for role, one, many in ROLES_ON_COVER:
        names = [name for name, label in record.people if label == role.label]
        if names:
            people.append((one if len(names) == 1 else many, names))
    return {
        "lead_organisation": project.lead_organisation.name,
        "partners": [org.name for org in record.partners],
        "stage": project.get_stage_display(),
        "people": people,
    }


def _present(section: Section, data, presenting: Presenting) -> SectionView:
    view = section.present(data, presenting) if section.present else None
    return SectionView(section.key, section.title, section.template, section.new_page, data, view)


def project_pack(project: Project) -> Content:
    record = ProjectRecord(project)
    loaded = {section.key: section.load(record) for section in PROJECT_PACK}
    cover = _cover(record)

    def context(meta: PackMeta, shrink: int = 0) -> dict:
        presenting = Presenting(record, meta.version, meta.made_on, meta.previous, loaded)
        return {
            "project": project,
            "cover": cover,
            "pack": meta,
            "sections": [
                _present(section, loaded[section.key], presenting)
                for section in PROJECT_PACK
                if loaded[section.key]
            ],
            "missing": [s.title.lower() for s in PROJECT_PACK if not loaded[s.key]],
        }

    data = {"project": project, "cover": cover, "sections": loaded}
    return Content("project", "packs/pdf/project_pack.html", fingerprint("project", data), context)


def poster(project: Project) -> Content:
    record = ProjectRecord(project)

    def context(meta: PackMeta, shrink: int = 0) -> dict:
        layout = poster_layout(record.tasks, paper="A3", shrink=shrink)
        return {"project": project, "layout": layout, "pack": meta}

    data = {"project": project, "tasks": record.tasks}
    return Content(
        "poster", "packs/pdf/poster.html", fingerprint("poster", data), context, one_page=True
    )


def portfolio_projects(organisation: Organisation, user):
    """The organisation's projects (led or partnered) that `user` may see, by title; every one
    of them when there is no user (a management command). Archived projects are left out."""
    projects = Project.objects.for_user(user) if user is not None else Project.objects.all()
    projects = projects.filter(archived_at__isnull=True)
    shared = Q(lead_organisation=organisation) | Q(partner_organisations=organisation)
    ids = projects.filter(shared).values("pk")
    return Project.objects.filter(pk__in=ids).select_related("lead_organisation").order_by("title")


def portfolio(organisation: Organisation, projects) -> Content:
    records = [ProjectRecord(project) for project in projects]
    loaded = [
        {
            "summary": load_summary(record),
            "decisions": load_decisions(record),
            "risks": (load_risks(record) or [])[:3],
        }
        for record in records
    ]

    def context(meta: PackMeta, shrink: int = 0) -> dict:
        rows = []
        for record, data in zip(records, loaded, strict=True):
            presenting = Presenting(record, meta.version, meta.made_on, None)
            view = present_summary(data["summary"], presenting)
            latest = data["decisions"]["past"][0] if data["decisions"]["past"] else None
            rows.append(
                {
                    "record": record,
                    "data": data,
                    "view": view,
                    "latest": latest,
                    "objective_tally": _objective_tally(view["objectives"]),
                }
            )
        return {"organisation": organisation, "rows": rows, "pack": meta}

    data = {"organisation": organisation.name, "projects": [projects, loaded]}
    return Content(
        "portfolio",
        "packs/pdf/portfolio.html",
        fingerprint("portfolio", data),
        context,
        project_ids=tuple(project.pk for project in projects),
    )


def _objective_tally(lines) -> list[tuple[str, str, int]]:
    counts: dict[tuple[str, str], int] = {}
    for line in lines:
        counts[(line.css, line.status)] = counts.get((line.css, line.status), 0) + 1
    return [(css, status, count) for (css, status), count in counts.items()]
