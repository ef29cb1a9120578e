"""What a project file holds for each kind of row, and how a value is written to it and read
back. Export and import both read `Kind`s from here, so the two cannot drift apart."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import models

from assessments.models import Checklist, ChecklistItem, ChecklistResponse, ChecklistTemplate
from projects import text as text_rules
from projects.models import (
    BaselineEntry,
    ChangePoint,
    Comment,
    Dependency,
    DesignPrinciple,
    Idea,
    Impact,
    Indicator,
    Measurement,
    Objective,
    Organisation,
    PrincipleScore,
    Project,
    ProjectRole,
    Risk,
    Scenario,
    Task,
)

from ..models import Decision, Pack

FORMAT = "totem-project"
VERSION = 1


class TransferError(ValueError):
    """A file that cannot be imported (or a project that cannot be exported), with a message
    that says what is wrong and where, for the person running the command."""


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    fields: tuple[str, ...]  # copied as they are: text, numbers, dates, decimals as text
    stamps: tuple[str, ...] = ()  # auto_now(_add) timestamps, written after the row is saved
    plural: str = ""  # for the import summary; empty: not counted there


ORGANISATION = Kind(Organisation, ("name", "short_name"))
PERSON = Kind(get_user_model(), ("username", "first_name", "last_name", "email"))
PROJECT = Kind(
    Project,
    (
        "title", "purpose", "scope", "stage", "archived_at", "figures_grace_days",
        "figures_escalate_after_days",
    ),
    ("created_at", "updated_at"),
)
ROLE = Kind(ProjectRole, ("role",), plural="roles")
TASK = Kind(
    Task,
    ("position", "title", "description", "owner", "due", "status"),
    ("updated_at",),
    "tasks",
)
IMPACT = Kind(Impact, ("position", "statement"), ("updated_at",), "impacts")
INDICATOR = Kind(
    Indicator,
    (
        "position", "name", "definition", "kind", "unit", "direction", "baseline_value",
        "baseline_date", "target_value", "target_date", "source", "frequency", "owner",
        "spc_baseline_end",
    ),
    ("updated_at", "created_at"),
    "indicators",
)
MEASUREMENT = Kind(
    Measurement, ("date", "value", "note", "evidence"), ("recorded_at",), "measurements"
)
CHANGE_POINT = Kind(ChangePoint, ("date", "reason"), plural="change points")
OBJECTIVE = Kind(
    Objective,
    ("position", "statement", "baseline_value", "baseline_date", "target_value", "deadline"),
    ("updated_at",),
    "objectives",
)
BASELINE = Kind(
    BaselineEntry,
    (
        "position", "function", "organisation", "as_of", "budget", "wte", "volumes",
        "performance", "operating_model", "source",
    ),
    ("updated_at",),
    "baseline entries",
)
PRINCIPLE = Kind(
    DesignPrinciple,
    ("position", "statement", "rationale", "agreed_on", "agreed_by"),
    ("updated_at",),
    "design principles",
)
SCENARIO = Kind(
    Scenario,
    (
        "position", "title", "description", "expected_outcomes", "likelihood", "recommendation",
        "reasons", "is_chosen", "chosen_on", "chosen_by",
    ),
    ("updated_at",),
    "scenarios",
)
SCORE = Kind(PrincipleScore, ("score",), plural="principle scores")
IDEA = Kind(
    Idea, ("position", "note", "task_title", "intended_impact"), ("updated_at",), "ideas"
)
RISK = Kind(
    Risk,
    ("position", "kind", "title", "description", "likelihood", "impact", "owner", "mitigation",
     "status"),
    ("updated_at",),
    "risks",
)
DEPENDENCY = Kind(
    Dependency,
    ("position", "description", "other_project_name", "owner", "status"),
    ("updated_at",),
    "dependencies",
)
COMMENT = Kind(Comment, ("body",), ("created_at",), "comments")
TEMPLATE = Kind(ChecklistTemplate, ("slug", "version", "name", "description"))
ITEM = Kind(ChecklistItem, ("position", "kind", "text", "guidance"))
CHECKLIST = Kind(Checklist, ("title",), ("created_at",), "checklists")
RESPONSE = Kind(ChecklistResponse, ("answer", "evidence", "owner", "due"), ("updated_at",))
PACK = Kind(
    Pack,
    ("kind", "version", "fingerprint", "sha256", "size", "pages", "render_seconds",
     "started_at", "rendered_at"),
    ("created_at",),
    "packs",
)
DECISION = Kind(
    Decision,
    ("outcome", "conditions", "decided_on", "decided_by", "pack_sha256"),
    ("recorded_at",),
    "decisions",
)

# Every other field of every kind, named on purpose: a test fails when a model gains a field
# that is in none of these, so that nothing new is left out of the file unnoticed. Besides
# "id", the project (implied) and "version" (started again at 1, except a pack's), they are
# references to other rows of the file, values the import sets, or what is not carried (the
# package's docstring says why).
ELSEWHERE = {
    ORGANISATION: ("code",),  # how partners find it here: each installation sets its own
    PERSON: (
        "password", "is_active",  # a new account: inactive, no usable password
        "last_login", "is_superuser", "is_staff", "date_joined",  # this installation's own
    ),
    PROJECT: ("lead_organisation",),
    ROLE: ("user",),
    # An owner chosen from the members travels as the text in `owner` only: the people of
    # another installation are not the same accounts.
    TASK: ("owner_person",),
    IMPACT: ("task",),
    # values_stamp is this site's cache. Sign-off is this installation's: a moved project's
    # figures arrive provisional, to be approved by its people (and the approver, a person, is
    # not the same account there).
    INDICATOR: ("impact", "values_stamp", "owner_person", "figures_approver"),
    MEASUREMENT: (
        "indicator", "recorded_by", "approval", "approval_reason", "approved_by", "approved_at"
    ),
    CHANGE_POINT: ("indicator",),
    OBJECTIVE: ("indicator",),
    BASELINE: (),
    PRINCIPLE: (),
    SCENARIO: (),
    SCORE: ("scenario", "principle"),
    IDEA: ("created_by", "task"),
    RISK: (),
    DEPENDENCY: ("other_project",),  # carried as its title, in other_project_name
    COMMENT: ("task", "impact", "indicator", "author"),
    TEMPLATE: ("status", "published_at", "created_at"),  # this installation's own
    ITEM: ("template",),
    CHECKLIST: ("template", "created_by"),
    RESPONSE: ("checklist", "item"),
    PACK: (
        "requested_by", "file",  # the file as "pdf"
        "status", "error",  # only ready packs travel
        "organisation", "assessment", "project_ids",  # a portfolio's or round's, never carried
        "assessment_ids",  # (a project pack's project_ids is the imported project: set there)
        "attempt",  # which run of this installation's worker made it
    ),
    DECISION: ("pack", "recorded_by"),
}
ALWAYS_ELSEWHERE = ("id", "project", "version")

# What the import summary counts, in the order it says them.
COUNTED = (
    ROLE, TASK, IMPACT, INDICATOR, MEASUREMENT, CHANGE_POINT, OBJECTIVE, BASELINE, PRINCIPLE,
    SCENARIO, SCORE, IDEA, RISK, DEPENDENCY, COMMENT, CHECKLIST, PACK, DECISION,
)


# --- values ---------------------------------------------------------------------------------


def to_json(value):
    """A field's value as the file holds it: dates and times in ISO 8601 (times in UTC),
    decimals as text so that no digit is lost to a float."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def values(obj, kind: Kind) -> dict:
    return {name: to_json(getattr(obj, name)) for name in kind.fields + kind.stamps}


def from_json(field: models.Field, value, where: str):
    """The Python value of `field` from the file, or a TransferError naming `where`.

    Types are checked here; lengths, choices and ranges are left to the model's full_clean."""
    if value is None:
        if not field.null:  # full_clean lets an empty value through where blank=True
            raise TransferError(f"{where} should be {_expected(field)}, not null.")
        return None
    try:
        if isinstance(field, models.DateTimeField):  # before DateField: it is one
            parsed = datetime.datetime.fromisoformat(_typed(value, str))
            if parsed.tzinfo is None:
                raise ValueError("no time zone")
            return parsed
        if isinstance(field, models.DateField):
            return datetime.date.fromisoformat(_typed(value, str))
        if isinstance(field, models.DecimalField):
            return Decimal(str(_typed(value, str | int)))
        if isinstance(field, models.BooleanField):
            return _typed(value, bool)
        if isinstance(field, models.IntegerField):
            return _typed(value, int)
        if isinstance(field, models.FloatField):
            return float(_typed(value, int | float))
        text = _typed(value, str)
    except (TypeError, ValueError, InvalidOperation):
        raise TransferError(
            f"{where} should be {_expected(field)}, not {json.dumps(value)[:60]}."
        ) from None
    if (refused := text_rules.problem(text)) is not None:
        raise TransferError(f"{where}: {refused}")
    return text


def _typed(value, types):
    """`value` if it is of `types` (and not a JSON true or false standing for a number)."""
    if not isinstance(value, types) or (isinstance(value, bool) and types is not bool):
        raise TypeError
    return value


def _expected(field: models.Field) -> str:
    if isinstance(field, models.DateTimeField):
        return "a date and time with its time zone (ISO 8601)"
    if isinstance(field, models.DateField):
        return "a date (YYYY-MM-DD)"
    if isinstance(field, models.DecimalField):
        return "a number written as text"
    if isinstance(field, models.BooleanField):
        return "true or false"
    if isinstance(field, models.IntegerField | models.FloatField):
        return "a number"
    return "text"
