"""Every write to templates, readiness checklists and self-assessment rounds.

Views, the admin and the management commands call these; nothing else saves. Each function
validates (`full_clean`), changes and lets django-simple-history record who changed what, in
one transaction. A published template version is immutable: every function that would change
one refuses with a ValidationError, whoever calls it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from projects.models import Organisation, Project

from . import spreadsheets
from .models import (
    Answer,
    Assessment,
    AssessmentEvent,
    AssessmentShare,
    Checklist,
    ChecklistItem,
    ChecklistResponse,
    ChecklistTemplate,
    Descriptor,
    Domain,
    Framework,
    Level,
    Question,
    TemplateStatus,
    VersionedTemplate,
)

# --- templates ----------------------------------------------------------------------------


def template_ensure_draft(template: VersionedTemplate) -> None:
    """Refuse any change to a published or retired version: what was answered stays true."""
    if template.pk and type(template).objects.get(pk=template.pk).status != TemplateStatus.DRAFT:
        raise ValidationError(
            f"{template} is {template.get_status_display().lower()} and can no longer change. "
            "Make a new version to edit it."
        )


def template_uses(template: VersionedTemplate):
    """The checklists or rounds made from this exact version."""
    if isinstance(template, ChecklistTemplate):
        return Checklist.objects.filter(template=template)
    return Assessment.objects.filter(framework=template)


def template_problems(template: VersionedTemplate) -> list[str]:
    """What stops a draft from being published; empty when it is complete."""
    if isinstance(template, ChecklistTemplate):
        return [] if template.items.exists() else ["It has no items."]
    problems = []
    levels = list(template.levels.all())
    if len(levels) < 2:
        problems.append("It needs at least two levels.")
    if not template.questions.exists():
        problems.append("It has no questions.")
    if template.domains.filter(questions=None).exists():
        problems.append("Some domains have no questions.")
    incomplete = [
        str(question.number)
        for question in template.questions.prefetch_related("descriptors")
        if len(question.descriptors.all()) != len(levels)
    ]
    if incomplete:
        problems.append(
            "Questions without a descriptor for every level: " + ", ".join(incomplete) + "."
        )
    return problems


@transaction.atomic
def template_publish(*, template: VersionedTemplate) -> VersionedTemplate:
    """Publish a complete draft; the version published before it is retired."""
    template_ensure_draft(template)
    problems = template_problems(template)
    if problems:
        raise ValidationError([f"{template} cannot be published yet."] + problems)
    model = type(template)
    for earlier in model.objects.filter(slug=template.slug, status=TemplateStatus.PUBLISHED):
        earlier.status = TemplateStatus.RETIRED
        earlier.save(update_fields=["status"])
    template.status = TemplateStatus.PUBLISHED
    template.published_at = timezone.now()
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def template_retire(*, template: VersionedTemplate) -> VersionedTemplate:
    """Stop offering a published version; what was made from it keeps pointing at it."""
    if template.status != TemplateStatus.PUBLISHED:
        raise ValidationError(f"Only a published version can be retired; {template} is not.")
    template.status = TemplateStatus.RETIRED
    template.save(update_fields=["status"])
    return template


@transaction.atomic
def template_new_version(*, template: VersionedTemplate) -> VersionedTemplate:
    """Copy `template` and everything in it into a new draft version of the same family."""
    model = type(template)
    family = model.objects.select_for_update().filter(slug=template.slug)
    draft = family.filter(status=TemplateStatus.DRAFT).first()
    if draft is not None:
        raise ValidationError(f"{draft} is already a draft of this template: edit that one.")
    copy = model(
        slug=template.slug,
        version=family.aggregate(top=Max("version"))["top"] + 1,
        name=template.name,
        description=template.description,
    )
    copy.full_clean()
    copy.save()
    if isinstance(template, ChecklistTemplate):
        _copy_checklist_items(template, copy)
    else:
        _copy_framework_content(template, copy)
    return copy


def _copy_checklist_items(source: ChecklistTemplate, target: ChecklistTemplate) -> None:
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            template=target, position=item.position, kind=item.kind, text=item.text,
            guidance=item.guidance,
        )
        for item in source.items.all()
    )


def _copy_framework_content(source: Framework, target: Framework) -> None:
    levels = {
        level.pk: Level.objects.create(
            framework=target, position=level.position, name=level.name,
            description=level.description,
        )
        for level in source.levels.all()
    }
    domains = {
        domain.pk: Domain.objects.create(
            framework=target, position=domain.position, name=domain.name,
            description=domain.description,
        )
        for domain in source.domains.all()
    }
    for question in source.questions.prefetch_related("descriptors"):
        copy = Question.objects.create(
            framework=target, domain=domains[question.domain_id], number=question.number,
            text=question.text, guidance=question.guidance,
        )
        Descriptor.objects.bulk_create(
            Descriptor(question=copy, level=levels[descriptor.level_id], text=descriptor.text)
            for descriptor in question.descriptors.all()
        )


@transaction.atomic
def template_delete(*, template: VersionedTemplate) -> None:
    """Delete a version nobody has used; a version in use is kept, with the reason why."""
    uses = template_uses(template).count()
    if uses:
        what = "checklist" if isinstance(template, ChecklistTemplate) else "self-assessment round"
        raise ValidationError(
            f"{template} cannot be deleted: {uses} {what}{'s' if uses != 1 else ''} "
            f"{'were' if uses != 1 else 'was'} made from it and must keep showing what was "
            "asked. Retire it instead so that nobody starts a new one from it."
        )
    template.delete()


# --- readiness checklists -----------------------------------------------------------------


@dataclass(frozen=True)
class ResponseInput:
    answer: str = ""
    evidence: str = ""
    owner: str = ""
    due: date | None = None


@transaction.atomic
def checklist_start(
    *, project: Project, template: ChecklistTemplate, title: str, user
) -> Checklist:
    if template.status != TemplateStatus.PUBLISHED:
        raise ValidationError({"template": "Start from a published checklist template."})
    checklist = Checklist(project=project, template=template, title=title, created_by=user)
    checklist.full_clean()
    checklist.save()
    bulk_create_with_history(
        [ChecklistResponse(checklist=checklist, item=item) for item in template.items.all()],
        ChecklistResponse,
        default_user=user,
    )
    return checklist


@transaction.atomic
def checklist_record_answers(
    *, checklist: Checklist, answers: Mapping[int, ResponseInput], user=None
) -> int:
    """Save the answers keyed by response id; returns how many responses changed.

    Only responses whose values differ are saved, so the history shows real changes and two
    people answering different items of one checklist do not overwrite each other.
    """
    responses = checklist.responses.select_related("item").filter(pk__in=answers)
    errors, changed = {}, []
    for response in responses:
        given = answers[response.pk]
        fields = {"answer": given.answer, "evidence": given.evidence.strip(),
                  "owner": given.owner.strip(), "due": given.due}
        if all(getattr(response, name) == value for name, value in fields.items()):
            continue
        for name, value in fields.items():
            setattr(response, name, value)
        try:
            response.full_clean()
            _check_must_have_exemption(response)
        except ValidationError as error:
            errors[response.pk] = error
            continue
        changed.append(response)
    if errors:
        raise ChecklistAnswersInvalid(errors)
    for response in changed:
        response._history_user = user
        response.save()
    return len(changed)


def _check_must_have_exemption(response: ChecklistResponse) -> None:
    if (
        response.item.is_must_have
        and response.answer == ChecklistResponse.Answer.NOT_APPLICABLE
        and not response.evidence
    ):
        raise ValidationError(
            {"evidence": "Say why this must-have does not apply: it is left out of the verdict."}
        )


class ChecklistAnswersInvalid(ValidationError):
    """Some answers did not validate; `by_response` maps response id to its error."""

    def __init__(self, by_response: dict[int, ValidationError]):
        super().__init__("Some answers need correcting; nothing was saved.")
        self.by_response = by_response


# --- self-assessment rounds ---------------------------------------------------------------


@dataclass(frozen=True)
class AnswerInput:
    level: Level | None = None
    evidence: str = ""
    next_actions: str = ""


def _event(assessment: Assessment, kind: str, user, note: str = "") -> None:
    AssessmentEvent.objects.create(assessment=assessment, kind=kind, user=user, note=note)


def _ensure_open(assessment: Assessment) -> None:
    if not assessment.is_open:
        raise ValidationError(
            "This round has been submitted, so its scores are locked. An organisation admin "
            "can re-open it."
        )


@transaction.atomic
def assessment_open(
    *,
    organisation: Organisation,
    framework: Framework,
    name: str,
    assessed_on: date,
    user,
    projects: Iterable[Project] = (),
) -> Assessment:
    if framework.status != TemplateStatus.PUBLISHED:
        raise ValidationError({"framework": "Use a published framework."})
    projects = list(projects)
    involved = Project.objects.filter(
        Q(lead_organisation=organisation) | Q(partner_organisations=organisation)
    )
    if any(not involved.filter(pk=project.pk).exists() for project in projects):
        raise ValidationError(
            {"projects": "Pick only projects that this organisation leads or is a partner in."}
        )
    assessment = Assessment(
        organisation=organisation, framework=framework, name=name, assessed_on=assessed_on,
        created_by=user,
    )
    assessment.full_clean()
    assessment.save()
    assessment.projects.set(projects)
    bulk_create_with_history(
        [Answer(assessment=assessment, question=q) for q in framework.questions.all()],
        Answer,
        default_user=user,
    )
    _event(assessment, AssessmentEvent.Kind.OPENED, user)
    return assessment


@transaction.atomic
def assessment_record_answers(
    *, assessment: Assessment, answers: Mapping[int, AnswerInput], user=None
) -> int:
    """Save scores keyed by question id; returns how many answers changed."""
    _ensure_open(Assessment.objects.select_for_update().get(pk=assessment.pk))
    rows = assessment.answers.select_related("question", "level").filter(question_id__in=answers)
    changed, rescored = [], []
    for answer in rows:
        given = answers[answer.question_id]
        fields = {"level": given.level, "evidence": given.evidence.strip(),
                  "next_actions": given.next_actions.strip()}
        if all(getattr(answer, name) == value for name, value in fields.items()):
            continue
        if answer.level != given.level:
            rescored.append((answer.question.number, answer.level, given.level))
        for name, value in fields.items():
            setattr(answer, name, value)
        answer.full_clean()
        changed.append(answer)
    for answer in changed:
        answer._history_user = user
        answer.save()
    # Every change of a score in the round's log (who, when, from, to): a stray click that
    # changes a level shows there.
    AssessmentEvent.objects.bulk_create(
        AssessmentEvent(
            assessment=assessment, kind=AssessmentEvent.Kind.SCORED, user=user,
            note=f"Question {number}: {_level_name(old)} → {_level_name(new)}",
        )
        for number, old, new in sorted(rescored, key=lambda change: change[0])
    )
    return len(changed)


def _level_name(level) -> str:
    return level.name if level is not None else "not scored"


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _ensure_open(assessment)
    unscored = list(
        assessment.answers.filter(level=None).values_list("question__number", flat=True)
    )
    if unscored:
        numbers = ", ".join(str(number) for number in unscored)
        raise ValidationError(
            f"Score every question before submitting: {len(unscored)} still to do ({numbers})."
        )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment._history_user = user
    assessment.save()
    _event(assessment, AssessmentEvent.Kind.SUBMITTED, user)
    return assessment


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, user, reason: str) -> Assessment:
    """Unlock a submitted round for re-scoring, recording who did it and why."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_open:
        raise ValidationError("This round is already open.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the round is being re-opened."})
    assessment.status = Assessment.Status.OPEN
    assessment.submitted_at = None
    assessment._history_user = user
    assessment.save()
    _event(assessment, AssessmentEvent.Kind.REOPENED, user, reason.strip())
    return assessment


@transaction.atomic
def assessment_share_set(
    *, assessment: Assessment, partners: Iterable[Organisation], user
) -> tuple[list, list]:
    """Share the round with exactly `partners`; returns (added, removed) organisations."""
    if assessment.is_open and partners:
        raise ValidationError("Submit the round before sharing it.")
    wanted = {org.pk: org for org in partners}
    if assessment.organisation_id in wanted:
        raise ValidationError({"partners": "A round is always visible to its own organisation."})
    current = {share.partner_id: share for share in assessment.shares.select_related("partner")}
    added = [org for pk, org in wanted.items() if pk not in current]
    removed = [share.partner for pk, share in current.items() if pk not in wanted]
    for org in added:
        share = AssessmentShare(assessment=assessment, partner=org, shared_by=user)
        share.full_clean()
        share.save()
    assessment.shares.filter(partner__in=removed).delete()
    if added or removed:
        note = "; ".join(
            part for part in (
                "shared with " + ", ".join(str(org) for org in added) if added else "",
                "no longer shared with " + ", ".join(str(org) for org in removed)
                if removed else "",
            ) if part
        )
        _event(assessment, AssessmentEvent.Kind.SHARED, user, note[:1].upper() + note[1:])
    return added, removed


@transaction.atomic
def assessment_import(*, assessment: Assessment, upload, filename: str = "", user=None) -> int:
    """Read a filled-in spreadsheet into an open round; all of it, or nothing.

    Raises `spreadsheets.SpreadsheetError` with one message per bad row.
    """
    _ensure_open(assessment)
    rows = spreadsheets.read_answers(upload, assessment.framework, filename=filename)
    questions = {q.number: q for q in assessment.framework.questions.all()}
    answers = {
        questions[row.number].pk: AnswerInput(
            level=row.level, evidence=row.evidence, next_actions=row.next_actions
        )
        for row in rows
    }
    changed = assessment_record_answers(assessment=assessment, answers=answers, user=user)
    _event(
        assessment, AssessmentEvent.Kind.IMPORTED, user,
        f"{len(rows)} rows from {filename or 'a spreadsheet'}; {changed} answers changed.",
    )
    return changed
