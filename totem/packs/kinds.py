"""The content of each kind of PDF: what it is made from (fingerprinted when asked for) and the
template context it is drawn with (built only when it is rendered)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from assessments import selectors as assessment_selectors
from assessments.models import Answer, Assessment
from projects.models import Organisation, Project, ProjectRole

from .poster import poster_layout
from .record import (
    CHAIN_SOURCES,
    RECORD_SOURCES,
    ProjectRecord,
    Source,
    decision_source,
    fingerprint,
)
from .sections import (
    PROJECT_PACK,
    Presenting,
    Section,
    load_decisions,
    load_readiness,
    load_risks,
    load_summary,
    present_summary,
    previous_round,
    round_summary,
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
    # What the PDF shows, for deciding who may download it: every project (and, for a round
    # report, every round) in it. `services.pack_render` stores exactly these with the file.
    project_ids: tuple[int, ...] = ()
    assessment_ids: tuple[int, ...] = ()


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
    def context(meta: PackMeta, shrink: int = 0) -> dict:
        record = ProjectRecord(project)
        loaded = {section.key: section.load(record) for section in PROJECT_PACK}
        presenting = Presenting(record, meta.version, meta.made_on, meta.previous, loaded)
        return {
            "project": project,
            "cover": _cover(record),
            "pack": meta,
            "sections": [
                _present(section, loaded[section.key], presenting)
                for section in PROJECT_PACK
                if loaded[section.key]
            ],
            "missing": [s.title.lower() for s in PROJECT_PACK if not loaded[s.key]],
        }

    key = fingerprint("project", [project.pk], (*RECORD_SOURCES, decision_source()))
    return Content(
        "project", "packs/pdf/project_pack.html", key, context, project_ids=(project.pk,)
    )


def poster(project: Project) -> Content:
    def context(meta: PackMeta, shrink: int = 0) -> dict:
        layout = poster_layout(ProjectRecord(project).tasks, paper="A3", shrink=shrink)
        return {"project": project, "layout": layout, "pack": meta}

    key = fingerprint("poster", [project.pk], CHAIN_SOURCES)
    return Content(
        "poster", "packs/pdf/poster.html", key, context, one_page=True, project_ids=(project.pk,)
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
    projects = list(projects)

    def context(meta: PackMeta, shrink: int = 0) -> dict:
        rows = []
        for project in projects:
            record = ProjectRecord(project)
            data = {
                "summary": load_summary(record),
                "decisions": load_decisions(record),
                "risks": (load_risks(record) or [])[:3],
            }
            presenting = Presenting(
                record, meta.version, meta.made_on, None, {"readiness": load_readiness(record)}
            )
            view = present_summary(data["summary"], presenting)
            rows.append(
                {
                    "record": record,
                    "data": data,
                    "view": view,
                    "latest": data["decisions"]["past"][0] if data["decisions"]["past"] else None,
                    "objective_tally": _objective_tally(view["objectives"]),
                }
            )
        return {"organisation": organisation, "rows": rows, "pack": meta}

    ids = [project.pk for project in projects]
    key = fingerprint("portfolio", ids, (*RECORD_SOURCES, decision_source()), organisation.name)
    return Content(
        "portfolio", "packs/pdf/portfolio.html", key, context, project_ids=tuple(ids)
    )


def _objective_tally(lines) -> list[tuple[str, str, int]]:
    counts: dict[tuple[str, str], int] = {}
    for line in lines:
        counts[(line.css, line.status)] = counts.get((line.css, line.status), 0) + 1
    return [(css, status, count) for (css, status), count in counts.items()]


# --- a self-assessment round's report --------------------------------------------------------

ROUND_SOURCES = (
    Source(Assessment, "pk", ("organisation__name", "framework__name")),
    Source(Answer, "assessment"),
)


def partner_rounds(assessment) -> list:
    """The latest round of the same framework each partner has shared with the organisation."""
    shared = assessment_selectors.rounds_shared_with(assessment.organisation).filter(
        framework__slug=assessment.framework.slug
    )
    latest = {}
    for shared_round in shared.order_by("organisation__name", "-assessed_on", "-pk"):
        latest.setdefault(shared_round.organisation_id, shared_round)
    return list(latest.values())


def round_report(assessment) -> Content:
    organisation = assessment.organisation
    partners = partner_rounds(assessment)
    previous = previous_round(assessment)

    def context(meta: PackMeta, shrink: int = 0) -> dict:
        summary = round_summary(assessment)
        theirs = [assessment_selectors.round_results(r) for r in partners]
        by_number = [
            {a.question.number: a.level for d in results.domains for a in d.answers}
            for results in theirs
        ]
        levels = len(summary.results.levels)
        matrix = [
            {
                "answer": answer,
                "ours": _level_cell(answer.level, levels),
                "domain": domain.domain.name,
                "theirs": [
                    _level_cell(numbers.get(answer.question.number), levels)
                    for numbers in by_number
                ],
            }
            for domain in summary.results.domains
            for answer in domain.answers
        ]
        return {
            "organisation": organisation,
            "assessment": assessment,
            "summary": summary,
            "partners": theirs,
            "matrix": matrix,
            "levels": levels,
            "pack": meta,
        }

    ids = [assessment.pk, *(r.pk for r in partners), *([previous.pk] if previous else [])]
    key = fingerprint("round", ids, ROUND_SOURCES, organisation.name)
    return Content(
        "round", "packs/pdf/round_report.html", key, context, assessment_ids=tuple(ids)
    )


def _level_cell(level, levels: int) -> tuple[str, str]:
    """(css class, name) of a level: darker the higher on the scale, like the heat map."""
    if level is None:
        return ("lvl-0", "Not scored")
    return (f"lvl-{max(1, round(level.position / max(levels, 1) * 5))}", level.name)
