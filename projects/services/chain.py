"""Every write to a project and its chain. Views and commands call these; nothing else saves.

Each function validates (`full_clean`), changes and lets django-simple-history record who
changed what, in one transaction.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ..models import (
    Impact,
    Indicator,
    Membership,
    Organisation,
    Project,
    ProjectRole,
    StarterTotem,
    Task,
)
from .spc_state import indicators_spc_refresh


class ConflictError(Exception):
    """Someone saved the row after this copy of it was read; `current` is their version."""

    def __init__(self, current):
        super().__init__(f"{current} was changed by someone else.")
        self.current = current


@dataclass(frozen=True)
class ChainLevel:
    """How one level of the chain hangs off its parent."""

    model: type
    parent_field: str | None  # None: a task hangs directly off the project


CHAIN_LEVELS = {
    Task: ChainLevel(Task, None),
    Impact: ChainLevel(Impact, "task"),
    Indicator: ChainLevel(Indicator, "impact"),
}


def _siblings(item):
    level = CHAIN_LEVELS.get(type(item))
    if level is None or level.parent_field is None:
        # Tasks, and the other rows that hang directly off the project (principles, …).
        return type(item).objects.filter(project_id=item.project_id)
    return level.model.objects.filter(**{level.parent_field: getattr(item, level.parent_field)})


def _next_position(item) -> int:
    return (_siblings(item).aggregate(top=Max("position"))["top"] or 0) + 1


def _save_new(item):
    item.position = _next_position(item)
    item.full_clean()
    item.save()
    return item


# --- projects -----------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    user,
    title: str,
    lead_organisation: Organisation,
    purpose: str = "",
    scope: str = "",
    stage: str = Project.Stage.SCOPING,
    partner_organisations=(),
    starter: StarterTotem | None = None,
) -> Project:
    if not Membership.objects.filter(user=user, organisation=lead_organisation).exists():
        raise ValidationError(
            {"lead_organisation": "You can only lead a project for an organisation you belong to."}
        )
    _check_partners(lead_organisation, partner_organisations)
    project = Project(
        title=title, purpose=purpose, scope=scope, stage=stage, lead_organisation=lead_organisation
    )
    project.full_clean()
    project.save()
    project.partner_organisations.set(partner_organisations)
    ProjectRole.objects.create(project=project, user=user, role=ProjectRole.Role.LEAD)
    if starter is not None:
        project_fill_from_starter(project=project, starter=starter)
    return project


@transaction.atomic
def project_fill_from_starter(*, project: Project, starter: StarterTotem) -> None:
    tasks = starter.tasks.prefetch_related("impacts")
    for starter_task in tasks:
        task = task_create(
            project=project, title=starter_task.title, description=starter_task.description
        )
        for starter_impact in starter_task.impacts.all():
            impact = impact_create(task=task, statement=starter_impact.statement)
            if starter_impact.indicator_name:
                indicator_create(
                    impact=impact,
                    name=starter_impact.indicator_name,
                    kind=starter_impact.indicator_kind,
                )


@transaction.atomic
def project_update(*, project: Project, version: int, partner_organisations=None, **fields):
    if partner_organisations is not None:
        _check_partners(project.lead_organisation, partner_organisations)
    claim_version(project, version)
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    if partner_organisations is not None:
        project.partner_organisations.set(partner_organisations)
    return project


def _check_partners(lead: Organisation, partners) -> None:
    if any(org.pk == lead.pk for org in partners):
        raise ValidationError(
            {"partner_organisations": f"{lead.name} leads the project, so it cannot also be "
             "one of its partners."}
        )


@transaction.atomic
def project_archive(*, project: Project) -> Project:
    """Take the project out of everyone's way; nothing is deleted and its lead can restore it."""
    project.archived_at = timezone.now()
    project.save(update_fields=["archived_at", "updated_at"])
    return project


@transaction.atomic
def project_restore(*, project: Project) -> Project:
    project.archived_at = None
    project.save(update_fields=["archived_at", "updated_at"])
    return project


# --- roles --------------------------------------------------------------------------------


def _ensure_a_lead_remains(project: Project, *, losing) -> None:
    leads = ProjectRole.objects.filter(project=project, role=ProjectRole.Role.LEAD)
    if not leads.exclude(pk=losing.pk).exists():
        raise ValidationError("A project needs at least one lead. Make someone else lead first.")


@transaction.atomic
def project_role_set(*, project: Project, user, role: str) -> ProjectRole:
    existing = ProjectRole.objects.filter(project=project, user=user).first()
    if existing is None:
        project_role = ProjectRole(project=project, user=user, role=role)
        project_role.full_clean(validate_constraints=False)
        project_role.save()
        return project_role
    if existing.role == ProjectRole.Role.LEAD and role != ProjectRole.Role.LEAD:
        _ensure_a_lead_remains(project, losing=existing)
    existing.role = role
    existing.full_clean()
    existing.save()
    return existing


@transaction.atomic
def project_role_remove(*, project_role: ProjectRole) -> None:
    if project_role.role == ProjectRole.Role.LEAD:
        _ensure_a_lead_remains(project_role.project, losing=project_role)
    project_role.delete()


# --- the chain ----------------------------------------------------------------------------


def task_create(*, project: Project, **fields) -> Task:
    return _save_new(Task(project=project, **fields))


def impact_create(*, task: Task, **fields) -> Impact:
    return _save_new(Impact(project_id=task.project_id, task=task, **fields))


def indicator_create(*, impact: Impact, **fields) -> Indicator:
    return _save_new(Indicator(project_id=impact.project_id, impact=impact, **fields))


def claim_version(item, version: int) -> None:
    """Bump the row's version if it is still `version`, else raise ConflictError.

    The conditional UPDATE is atomic on SQLite and PostgreSQL alike, so of two people who
    saved from the same copy exactly one wins and the other is told.
    """
    claimed = type(item).objects.filter(pk=item.pk, version=version).update(version=version + 1)
    if not claimed:
        current = type(item).objects.filter(pk=item.pk).first()
        if current is None:
            raise type(item).DoesNotExist(f"This {type(item).__name__.lower()} has been deleted.")
        raise ConflictError(current)
    item.version = version + 1


@transaction.atomic
def chain_item_update(*, item, version: int, **fields):
    """Change a task, impact or indicator saved from the copy at `version`."""
    claim_version(item, version)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    if isinstance(item, Indicator):  # direction, target or SPC baseline may have changed
        indicators_spc_refresh(indicator_ids=[item.pk])
    return item


@transaction.atomic
def chain_item_delete(*, item) -> int:
    """Delete a task, impact or indicator with all that hangs off it; returns the history id
    the history page restores it from (see planning.record_delete)."""
    from .planning import record_delete  # planning builds on this module

    return record_delete(item=item)


@transaction.atomic
def chain_item_move(*, item, direction: str) -> None:
    """Swap `item` with its neighbour: "up" is towards the first position."""
    siblings = list(_siblings(item).select_for_update().order_by("position", "pk"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position", "updated_at"])
