"""A whole project as one JSON-ready dict: see the package's docstring for the format."""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict

from django.db import connection, transaction

from assessments.models import Checklist, ChecklistItem, ChecklistResponse
from projects.models import (
    ChangePoint,
    Comment,
    Dependency,
    DesignPrinciple,
    Idea,
    Impact,
    Indicator,
    Measurement,
    Objective,
    PrincipleScore,
    Project,
    ProjectRole,
    Scenario,
    Task,
)

from ..models import Decision
from . import schema as s
from .schema import TransferError


def project_export(project: Project) -> dict:
    """Everything in `project` that the file format holds, read from one snapshot of the
    database (so that an edit made meanwhile cannot leave a reference dangling)."""
    outer = connection.in_atomic_block
    with transaction.atomic():
        if not outer and connection.vendor == "postgresql":
            # SQLite reads one snapshot in a transaction anyway; PostgreSQL needs asking.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        fresh = Project.objects.select_related("lead_organisation").get(pk=project.pk)
        return _Exporter(fresh).document()


def _ordered(queryset, *order):
    """Rows in a fixed order that ends with the primary key: the import creates them in file
    order, so the same order comes out of the imported copy."""
    return list(queryset.order_by(*order, "pk"))


class _Exporter:
    def __init__(self, project: Project):
        self.project = project
        self.people = {}  # username -> user, every person the file mentions
        self.organisations = {project.lead_organisation.name: project.lead_organisation}
        self.task_index: dict[int, int] = {}
        self.impact_path: dict[int, list[int]] = {}
        self.indicator_path: dict[int, list[int]] = {}

    def of_project(self, model, *order, related=()):
        rows = model.objects.filter(project=self.project).select_related(*related)
        return _ordered(rows, *order)

    def listed(self, kind: s.Kind) -> list[dict]:
        """The project's rows of a kind that refers to nothing else, in their order."""
        return [s.values(row, kind) for row in self.of_project(kind.model, "position")]

    def person(self, user) -> str | None:
        if user is None:
            return None
        self.people[user.username] = user
        return user.username

    def document(self) -> dict:
        project = self.project
        partners = sorted(project.partner_organisations.all(), key=lambda org: org.name)
        self.organisations.update((org.name, org) for org in partners)
        head = {
            **s.values(project, s.PROJECT),
            "lead_organisation": project.lead_organisation.name,
            "partner_organisations": [org.name for org in partners],
        }
        roles = [
            {"user": self.person(role.user), **s.values(role, s.ROLE)}
            for role in self.of_project(ProjectRole, "user__username", related=["user"])
        ]
        body = {
            "project": head,
            "roles": roles,
            "tasks": self.tasks(),
            "objectives": self.objectives(),
            "baseline": self.listed(s.BASELINE),
            "principles": self.listed(s.PRINCIPLE),
            "scenarios": self.scenarios(),
            "ideas": self.ideas(),
            "risks": self.listed(s.RISK),
            "dependencies": self.dependencies(),
            "comments": self.comments(),
            **self.checklists(),
            **self.decisions(),
        }
        return {
            "format": s.FORMAT,
            "version": s.VERSION,
            "organisations": [
                s.values(self.organisations[name], s.ORGANISATION)
                for name in sorted(self.organisations)
            ],
            "people": [s.values(self.people[name], s.PERSON) for name in sorted(self.people)],
            **body,
        }

    # --- the chain: tasks > impacts > indicators > measurements and change points -----------

    def tasks(self) -> list[dict]:
        impacts = _children(self.of_project(Impact, "position"), "task_id")
        indicators = _children(self.of_project(Indicator, "position"), "impact_id")
        measurements = _children(
            self.of_project(Measurement, "date", related=["recorded_by"]), "indicator_id"
        )
        change_points = _children(self.of_project(ChangePoint, "date"), "indicator_id")
        tasks = []
        for t, task in enumerate(self.of_project(Task, "position")):
            self.task_index[task.pk] = t
            task_impacts = []
            for i, impact in enumerate(impacts[task.pk]):
                self.impact_path[impact.pk] = [t, i]
                impact_indicators = []
                for k, indicator in enumerate(indicators[impact.pk]):
                    self.indicator_path[indicator.pk] = [t, i, k]
                    impact_indicators.append({
                        **s.values(indicator, s.INDICATOR),
                        "measurements": [
                            {**s.values(row, s.MEASUREMENT),
                             "recorded_by": self.person(row.recorded_by)}
                            for row in measurements[indicator.pk]
                        ],
                        "change_points": [
                            s.values(row, s.CHANGE_POINT) for row in change_points[indicator.pk]
                        ],
                    })
                task_impacts.append({**s.values(impact, s.IMPACT), "indicators": impact_indicators})
            tasks.append({**s.values(task, s.TASK), "impacts": task_impacts})
        return tasks

    def ref(self, mapping: dict, pk: int | None, what: str, row):
        if pk is None:
            return None
        if pk not in mapping:
            raise TransferError(f"{row} refers to a {what} of another project.")
        return mapping[pk]

    # --- the rest of the planning record ------------------------------------------------------

    def objectives(self) -> list[dict]:
        return [
            {**s.values(row, s.OBJECTIVE),
             "indicator": self.ref(self.indicator_path, row.indicator_id, "indicator", row)}
            for row in self.of_project(Objective, "position")
        ]

    def scenarios(self) -> list[dict]:
        principles = {
            row.pk: n for n, row in enumerate(self.of_project(DesignPrinciple, "position"))
        }
        scores = _children(self.of_project(PrincipleScore), "scenario_id")
        return [
            {
                **s.values(scenario, s.SCENARIO),
                "scores": sorted(
                    (
                        {"principle": principles[score.principle_id], **s.values(score, s.SCORE)}
                        for score in scores[scenario.pk]
                    ),
                    key=lambda cell: cell["principle"],
                ),
            }
            for scenario in self.of_project(Scenario, "position")
        ]

    def ideas(self) -> list[dict]:
        return [
            {**s.values(row, s.IDEA),
             "created_by": self.person(row.created_by),
             "task": self.ref(self.task_index, row.task_id, "task", row)}
            for row in self.of_project(Idea, "position", related=["created_by"])
        ]

    def dependencies(self) -> list[dict]:
        """A link to another project of this installation cannot travel with the file: it is
        written as that project's title, the way a dependency outside Totem is kept."""
        rows = []
        for row in self.of_project(Dependency, "position", related=["other_project"]):
            values = s.values(row, s.DEPENDENCY)
            if row.other_project is not None and not row.other_project_name:
                values["other_project_name"] = row.other_project.title
            rows.append(values)
        return rows

    def comments(self) -> list[dict]:
        return [
            {
                **s.values(row, s.COMMENT),
                "author": self.person(row.author),
                "task": self.ref(self.task_index, row.task_id, "task", row),
                "impact": self.ref(self.impact_path, row.impact_id, "impact", row),
                "indicator": self.ref(self.indicator_path, row.indicator_id, "indicator", row),
            }
            for row in self.of_project(Comment, "created_at", related=["author"])
        ]

    # --- readiness checklists, with the template versions they were made from ---------------

    def checklists(self) -> dict:
        checklists = self.of_project(Checklist, "created_at", related=["template", "created_by"])
        templates = sorted(
            {checklist.template for checklist in checklists},
            key=lambda template: (template.slug, template.version),
        )
        items = _children(
            _ordered(ChecklistItem.objects.filter(template__in=templates), "position"),
            "template_id",
        )
        item_index = {
            item.pk: n for template in templates for n, item in enumerate(items[template.pk])
        }
        responses = _children(
            ChecklistResponse.objects.filter(checklist__project=self.project), "checklist_id"
        )
        template_index = {template.pk: n for n, template in enumerate(templates)}
        return {
            "checklist_templates": [
                {**s.values(template, s.TEMPLATE),
                 "items": [s.values(item, s.ITEM) for item in items[template.pk]]}
                for template in templates
            ],
            "checklists": [
                {
                    **s.values(checklist, s.CHECKLIST),
                    "template": template_index[checklist.template_id],
                    "created_by": self.person(checklist.created_by),
                    "responses": sorted(
                        (
                            {"item": item_index[response.item_id], **s.values(response, s.RESPONSE)}
                            for response in responses[checklist.pk]
                        ),
                        key=lambda response: response["item"],
                    ),
                }
                for checklist in checklists
            ],
        }

    # --- decisions, with the exact PDF each was made on --------------------------------------

    def decisions(self) -> dict:
        decisions = self.of_project(
            Decision, "decided_on", "recorded_at", related=["pack__requested_by", "recorded_by"]
        )
        packs = sorted({d.pack for d in decisions}, key=lambda pack: (pack.kind, pack.version))
        pack_index = {pack.pk: n for n, pack in enumerate(packs)}
        return {
            "packs": [
                {**s.values(pack, s.PACK),
                 "requested_by": self.person(pack.requested_by),
                 "pdf": base64.b64encode(_stored_pdf(pack)).decode("ascii")}
                for pack in packs
            ],
            "decisions": [
                {**s.values(decision, s.DECISION),
                 "pack": pack_index[decision.pack_id],
                 "recorded_by": self.person(decision.recorded_by)}
                for decision in decisions
            ],
        }


def _stored_pdf(pack) -> bytes:
    """The pack's PDF as stored, refused if it no longer matches its checksum: a file that
    claims to carry what the board signed off must carry exactly that."""
    try:
        with pack.file.open("rb") as stored:
            data = stored.read()
    except (OSError, ValueError) as error:
        raise TransferError(f"The stored PDF of {pack} cannot be read: {error}") from None
    if hashlib.sha256(data).hexdigest() != pack.sha256:
        raise TransferError(
            f"The stored PDF of {pack} no longer matches the checksum recorded when it was "
            "made; it cannot be exported as the PDF the decision was made on."
        )
    return data


def _children(rows, parent: str) -> defaultdict[int, list]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[getattr(row, parent)].append(row)
    return grouped
