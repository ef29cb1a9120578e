"""Writes to the rest of the planning record: design principles, outcome scenarios and how
they score against each other, ideas, the risk register and dependencies; and restoring a
deleted row from its history.

The same rules as the chain: validate (`full_clean`), change, let django-simple-history record
who did it, in one transaction; a save made from a stale copy raises ConflictError.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone

from ..models import (
    ChangePoint,
    Comment,
    Dependency,
    DesignPrinciple,
    Idea,
    Impact,
    Indicator,
    Measurement,
    PrincipleScore,
    Project,
    ProjectVisit,
    Risk,
    Scenario,
    Task,
)
from ..selectors.planning import linkable_projects
from .chain import (
    ConflictError,
    chain_item_move,
    chain_item_update,
    claim_version,
    impact_create,
    task_create,
)

# Rows deleted together with their parent, and brought back when the parent is restored.
ROWS_DELETED_WITH = {
    DesignPrinciple: [(PrincipleScore, "principle")],
    Scenario: [(PrincipleScore, "scenario")],
    # The chain: deleting a task takes its impacts, their indicators, their values and every
    # comment on them; restoring the task from the history page brings all of it back.
    Task: [(Impact, "task"), (Comment, "task")],
    Impact: [(Indicator, "impact"), (Comment, "impact")],
    Indicator: [(Measurement, "indicator"), (ChangePoint, "indicator"), (Comment, "indicator")],
}


class ScoresConflict(ConflictError):
    """Someone changed some of the same cells of the matrix after this copy was read.

    `current` maps each conflicting (scenario id, principle id) to its score now ("" = none).
    """


def _append(item):
    """Save a new row at the end of its project's rows of that kind."""
    rows = type(item).objects.filter(project_id=item.project_id)
    item.position = (rows.aggregate(top=Max("position"))["top"] or 0) + 1
    item.full_clean()
    item.save()
    return item


# --- create, change, move, delete: the same for every kind --------------------------------


def principle_create(*, project: Project, **fields) -> DesignPrinciple:
    return _append(DesignPrinciple(project=project, **fields))


def scenario_create(*, project: Project, **fields) -> Scenario:
    return _append(Scenario(project=project, **fields))


def idea_create(*, project: Project, user, **fields) -> Idea:
    return _append(Idea(project=project, created_by=user, **fields))


def risk_create(*, project: Project, **fields) -> Risk:
    return _append(Risk(project=project, **fields))


def _check_dependency_link(project: Project, user, other_project: Project | None) -> None:
    """A dependency may only be linked to a project the user can see, and not to itself."""
    if other_project is None:
        return
    if other_project.pk == project.pk:
        raise ValidationError({"other_project": "A project cannot depend on itself."})
    if not linkable_projects(user).filter(pk=other_project.pk).exists():
        raise ValidationError({"other_project": "Choose a project you have a role on."})


def dependency_create(*, project: Project, user, **fields) -> Dependency:
    _check_dependency_link(project, user, fields.get("other_project"))
    return _append(Dependency(project=project, **fields))


@transaction.atomic
def record_update(*, item, version: int, **fields):
    """Change a principle, scenario, idea or risk saved from the copy at `version`."""
    return chain_item_update(item=item, version=version, **fields)


@transaction.atomic
def dependency_update(*, item: Dependency, version: int, user, **fields) -> Dependency:
    if "other_project" in fields and fields["other_project"] != item.other_project:
        _check_dependency_link(item.project, user, fields["other_project"])
    return chain_item_update(item=item, version=version, **fields)


def record_move(*, item, direction: str) -> None:
    """Swap a principle or scenario with its neighbour among the project's rows of its kind."""
    chain_item_move(item=item, direction=direction)


def _deleted_with(item) -> str:
    return f"deleted with {type(item)._meta.model_name} {item.pk}"


@transaction.atomic
def record_delete(*, item) -> int:
    """Delete a row (and the scores that hang off it); returns the history id to restore from."""
    model, pk = type(item), item.pk
    _delete_children(item)
    item.delete()
    return model.history.filter(id=pk, history_type="-").latest("history_date").history_id


def _delete_children(item) -> None:
    """Delete the rows that hang off `item`, deepest first, each tagged with its parent."""
    for child_model, field in ROWS_DELETED_WITH.get(type(item), []):
        for child in child_model.objects.filter(**{field: item}):
            _delete_children(child)
            child._change_reason = _deleted_with(item)  # read by django-simple-history
            child.delete()


# --- restore -------------------------------------------------------------------------------


def _drop_dangling_links(item) -> None:
    """Optional links to rows deleted since (a task, a user, another project) become empty."""
    for field in type(item)._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey) or not field.null:
            continue
        value = getattr(item, field.attname)
        if value is not None and not field.related_model._base_manager.filter(pk=value).exists():
            setattr(item, field.attname, None)


def _restore_one(record):
    item = record.instance
    _drop_dangling_links(item)
    if hasattr(item, "version"):
        item.version = record.version + 1  # a form opened before the deletion is now stale
    item.full_clean()
    item.save(force_insert=True)
    return item


@transaction.atomic
def record_restore(*, project: Project, model, history_id: int):
    """Bring back a deleted row of `project` exactly as it was when it was deleted.

    Works for any model with history and a `project` field. A row whose parent is gone (an
    impact of a deleted task) raises ValidationError: restore the parent first.
    """
    record = model.history.filter(
        project_id=project.pk, history_id=history_id, history_type="-"
    ).first()
    if record is None:
        raise model.DoesNotExist("No such deletion in this project's history.")
    if model.objects.filter(pk=record.id).exists():
        raise ValidationError("This has already been restored.")
    if model is Scenario and record.is_chosen:
        if Scenario.objects.filter(project=project, is_chosen=True).exists():
            # Another scenario has been chosen since: keep that decision.
            record.is_chosen, record.chosen_on, record.chosen_by = False, None, ""
    try:
        item = _restore_one(record)
    except ValidationError as error:
        links = {f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)}
        gone = [name for name in getattr(error, "error_dict", {}) if name in links]
        if gone:
            raise ValidationError(
                f"It belonged to a {gone[0].replace('_', ' ')} that no longer exists: "
                "restore that first."
            ) from error
        raise
    for child_model, field in ROWS_DELETED_WITH.get(model, []):
        _restore_deleted_with(item, child_model, field)
    return item


def _restore_deleted_with(item, child_model, field: str) -> None:
    """Restore the child rows that were deleted together with `item` (and only those)."""
    records = child_model.history.filter(
        **{f"{field}_id": item.pk},
        history_type="-",
        history_change_reason=_deleted_with(item),
    ).order_by("-history_date", "-history_id")
    seen = set()
    for record in records:
        if record.id in seen:
            continue  # an older deletion of a row that was restored and deleted again
        seen.add(record.id)
        if child_model.objects.filter(pk=record.id).exists():
            continue
        try:
            child = _restore_one(record)
        except ValidationError:
            continue  # its other end is gone, or the cell has been scored again since
        for grandchild_model, grandchild_field in ROWS_DELETED_WITH.get(child_model, []):
            _restore_deleted_with(child, grandchild_model, grandchild_field)


# --- scenarios: the choice and the matrix --------------------------------------------------


@transaction.atomic
def scenario_choose(
    *, scenario: Scenario, version: int, chosen_on: datetime.date, chosen_by: str
) -> Scenario:
    """Mark `scenario` as the project's chosen one; any earlier choice is withdrawn."""
    claim_version(scenario, version)
    earlier = Scenario.objects.select_for_update().filter(
        project_id=scenario.project_id, is_chosen=True
    )
    for other in earlier.exclude(pk=scenario.pk):
        claim_version(other, other.version)
        other.is_chosen, other.chosen_on, other.chosen_by = False, None, ""
        other.save()
    scenario.is_chosen, scenario.chosen_on, scenario.chosen_by = True, chosen_on, chosen_by
    scenario.full_clean()
    scenario.save()
    return scenario


@transaction.atomic
def scenario_unchoose(*, scenario: Scenario, version: int) -> Scenario:
    claim_version(scenario, version)
    scenario.is_chosen, scenario.chosen_on, scenario.chosen_by = False, None, ""
    scenario.save()
    return scenario


Cell = tuple[int, int]  # (scenario id, principle id)


@transaction.atomic
def principle_scores_set(*, project: Project, cells: dict[Cell, tuple[str, str]]) -> int:
    """Score scenarios against principles. `cells` maps (scenario id, principle id) to (the
    score the user saw, the score they chose); "" is no score. Only changed cells are written.

    If someone else changed a cell this user also changed, nothing is written and
    ScoresConflict says which cells and what they hold now. Returns how many cells changed.
    """
    scenario_ids = set(Scenario.objects.filter(project=project).values_list("pk", flat=True))
    principle_ids = set(
        DesignPrinciple.objects.filter(project=project).values_list("pk", flat=True)
    )
    changed = {
        cell: (seen, chosen)
        for cell, (seen, chosen) in cells.items()
        if seen != chosen and cell[0] in scenario_ids and cell[1] in principle_ids
    }
    existing = {
        (score.scenario_id, score.principle_id): score
        for score in PrincipleScore.objects.select_for_update().filter(
            scenario_id__in=scenario_ids
        )
    }

    def now(cell):
        return existing[cell].score if cell in existing else ""

    conflicts = {
        cell: now(cell)
        for cell, (seen, chosen) in changed.items()
        if now(cell) not in (seen, chosen)
    }
    if conflicts:
        raise ScoresConflict(conflicts)
    written = 0
    for cell, (_seen, chosen) in changed.items():
        if now(cell) == chosen:
            continue  # someone else made the same change
        written += 1
        if not chosen:
            existing[cell].delete()
            continue
        score = existing.get(cell) or PrincipleScore(
            project=project, scenario_id=cell[0], principle_id=cell[1]
        )
        score.score = chosen
        score.full_clean()
        score.save()
    return written


# --- ideas ---------------------------------------------------------------------------------


@transaction.atomic
def idea_make_task(*, idea: Idea, version: int, title: str, impact: str) -> Task:
    """Turn an idea into a task at the top of the trunk, with its intended impact, in one step."""
    claim_version(idea, version)
    if idea.task_id is not None:
        raise ValidationError("This idea is already a task.")
    task = task_create(project=idea.project, title=title, description=idea.note)
    impact_create(task=task, statement=impact)
    idea.task, idea.task_title, idea.intended_impact = task, title, impact
    idea.full_clean()
    idea.save()
    return task


# --- visits --------------------------------------------------------------------------------


def project_visit_record(*, project: Project, user) -> datetime.datetime | None:
    """Note that `user` is looking at `project` now; returns when they last looked before."""
    now = timezone.now()
    visit = ProjectVisit.objects.filter(project=project, user=user).first()
    if visit is None:
        try:
            with transaction.atomic():
                ProjectVisit.objects.create(project=project, user=user, seen_at=now)
        except IntegrityError:
            pass  # the same user opened the overview twice at once
        return None
    ProjectVisit.objects.filter(pk=visit.pk).update(seen_at=now)
    return visit.seen_at
