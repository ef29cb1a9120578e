"""Writes for indicators over time: measurements, change points, objectives and the baseline.

Re-entering a value for a date replaces it; django-simple-history keeps the old one. Rows with a
version (objectives, baseline entries, the indicator's SPC settings) are saved through
`claim_version`, so a save made from a stale copy is refused with ConflictError.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .. import stamps
from ..models import BaselineEntry, ChangePoint, Indicator, Measurement, Objective, Project
from .chain import chain_item_update
from .spc_state import indicators_spc_refresh

# full_clean would look each foreign key up in the database, once per row; the services set
# them from rows they have already fetched through the project, so they are not re-checked.
MEASUREMENT_KEYS = ["project", "indicator", "recorded_by"]
CHANGED_FIELDS = ["value", "note", "evidence", "recorded_by", "recorded_at", "approval"]


@dataclass(frozen=True)
class MeasurementEntry:
    """One value to record: what the quick-entry form and an import hand to the service."""

    indicator: Indicator
    date: date
    value: Decimal
    note: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class RecordSummary:
    created: int
    replaced: int
    unchanged: int

    @property
    def saved(self) -> int:
        return self.created + self.replaced


def _same(measurement: Measurement, entry: MeasurementEntry) -> bool:
    return (measurement.value, measurement.note, measurement.evidence) == (
        entry.value,
        entry.note,
        entry.evidence,
    )


@transaction.atomic
def measurements_record(
    *, project: Project, entries: Iterable[MeasurementEntry], user
) -> RecordSummary:
    """Record every entry or none. A value for a date that has one replaces it (the old value
    stays in the history); an entry identical to what is stored changes nothing."""
    entries = list(entries)
    seen = set()
    for entry in entries:
        if entry.indicator.project_id != project.pk:
            raise ValidationError(f"“{entry.indicator}” is not an indicator of this project.")
        if (entry.indicator.pk, entry.date) in seen:
            raise ValidationError(
                f"Two values for “{entry.indicator}” on {entry.date:%d %b %Y}: keep one."
            )
        seen.add((entry.indicator.pk, entry.date))
    existing = {
        (m.indicator_id, m.date): m
        # Ordered by pk, not by the model's default ordering: that joins the indicator table,
        # and FOR UPDATE would lock the indicator row too, deadlocking parallel entries
        # against each other's foreign-key checks.
        for m in Measurement.objects.select_for_update()
        .filter(project=project, indicator_id__in={entry.indicator.pk for entry in entries})
        .order_by("pk")
    }
    now = timezone.now()
    created, replaced, unchanged = [], [], 0
    for entry in entries:
        measurement = existing.get((entry.indicator.pk, entry.date))
        if measurement is not None and _same(measurement, entry):
            unchanged += 1
            continue
        if measurement is None:
            measurement = Measurement(project=project, indicator=entry.indicator, date=entry.date)
            created.append(measurement)
        elif measurement.approval == Measurement.Approval.APPROVED:
            raise ValidationError(
                f"The value of “{entry.indicator}” for {entry.date:%d %b %Y} is approved and "
                "locked: re-open it with a reason before changing it. Nothing was saved."
            )
        else:
            replaced.append(measurement)
        # Recording a value submits it: a changed value waits for approval again.
        measurement.approval = Measurement.Approval.SUBMITTED
        measurement.value = entry.value
        measurement.note = entry.note
        measurement.evidence = entry.evidence
        measurement.recorded_by = user if user is not None and user.is_authenticated else None
        measurement.recorded_at = now
        measurement.full_clean(
            exclude=MEASUREMENT_KEYS, validate_unique=False, validate_constraints=False
        )
    history_user = {"default_user": user} if user is not None and user.is_authenticated else {}
    try:
        with transaction.atomic():
            if created:
                bulk_create_with_history(created, Measurement, **history_user)
            if replaced:
                bulk_update_with_history(replaced, Measurement, CHANGED_FIELDS, **history_user)
            stamps.values_changed(m.indicator_id for m in created + replaced)
    except IntegrityError as error:
        # Someone else recorded a value for one of these dates between our read and write.
        raise ValidationError(
            "Someone else recorded values for the same dates at the same moment, so nothing "
            "was saved. Reload the page to see their values, then try again."
        ) from error
    if created or replaced:
        indicators_spc_refresh(indicator_ids={m.indicator_id for m in created + replaced})
    return RecordSummary(created=len(created), replaced=len(replaced), unchanged=unchanged)


def measurement_record(
    *,
    indicator: Indicator,
    date: date,
    value: Decimal,
    note: str = "",
    evidence: str = "",
    user,
) -> RecordSummary:
    entry = MeasurementEntry(indicator, date, value, note, evidence)
    return measurements_record(project=indicator.project, entries=[entry], user=user)


@transaction.atomic
def measurement_delete(*, measurement: Measurement) -> None:
    measurement.delete()
    indicators_spc_refresh(indicator_ids=[measurement.indicator_id])


# --- SPC settings ------------------------------------------------------------------------------


def indicator_spc_update(*, indicator: Indicator, version: int, spc_baseline_end) -> Indicator:
    """Fix the SPC limits on the points up to `spc_baseline_end` (None: the first 12)."""
    # chain_item_update stores the indicator's new SPC state.
    return chain_item_update(item=indicator, version=version, spc_baseline_end=spc_baseline_end)


@transaction.atomic
def change_point_create(*, indicator: Indicator, date: date, reason: str) -> ChangePoint:
    if ChangePoint.objects.filter(indicator=indicator, date=date).exists():
        raise ValidationError({"date": "A change point is already marked on this date."})
    change_point = ChangePoint(
        project_id=indicator.project_id, indicator=indicator, date=date, reason=reason
    )
    change_point.full_clean()
    change_point.save()
    indicators_spc_refresh(indicator_ids=[indicator.pk])
    return change_point


@transaction.atomic
def change_point_delete(*, change_point: ChangePoint) -> None:
    change_point.delete()
    indicators_spc_refresh(indicator_ids=[change_point.indicator_id])


# --- objectives and the baseline ---------------------------------------------------------------


def _check_objective(project: Project, fields: dict) -> None:
    indicator = fields.get("indicator")
    if indicator is not None and indicator.project_id != project.pk:
        raise ValidationError({"indicator": "Choose an indicator of this project."})
    baseline_date, deadline = fields.get("baseline_date"), fields.get("deadline")
    if baseline_date and deadline and deadline < baseline_date:
        raise ValidationError({"deadline": "The deadline must be after the baseline date."})


def _create_positioned(row):
    """Save a new objective or baseline entry at the end of its project's list."""
    top = type(row).objects.filter(project_id=row.project_id).aggregate(top=Max("position"))
    row.position = (top["top"] or 0) + 1
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def objective_create(*, project: Project, **fields) -> Objective:
    _check_objective(project, fields)
    return _create_positioned(Objective(project=project, **fields))


@transaction.atomic
def objective_update(*, objective: Objective, version: int, **fields) -> Objective:
    _check_objective(objective.project, fields)
    return chain_item_update(item=objective, version=version, **fields)


@transaction.atomic
def baseline_entry_create(*, project: Project, **fields) -> BaselineEntry:
    return _create_positioned(BaselineEntry(project=project, **fields))


def baseline_entry_update(*, entry: BaselineEntry, version: int, **fields) -> BaselineEntry:
    return chain_item_update(item=entry, version=version, **fields)


@transaction.atomic
def record_delete(*, row: Objective | BaselineEntry) -> None:
    """Delete an objective or a baseline entry; the history keeps what it said."""
    row.delete()
