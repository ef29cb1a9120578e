"""Reads that take more than one query, each in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from projects.models import Organisation, Project

from .models import (
    Answer,
    Assessment,
    AssessmentShare,
    Checklist,
    ChecklistResponse,
    ChecklistTemplate,
    Framework,
    Level,
    Question,
    TemplateStatus,
)

# --- readiness ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadinessSummary:
    checklist: Checklist
    responses: list[ChecklistResponse]
    must_haves_met: int
    must_haves_applicable: int
    must_haves_not_applicable: int
    questions_answered: int
    questions_total: int
    gaps: list[ChecklistResponse]  # open must-haves first, then open questions, in order

    @property
    def ready(self) -> bool:
        """Ready to proceed only when every must-have that applies is met."""
        return self.must_haves_met == self.must_haves_applicable

    @property
    def verdict(self) -> str:
        return "Ready to proceed" if self.ready else "Not ready to proceed"

    @property
    def open_must_haves(self) -> int:
        return self.must_haves_applicable - self.must_haves_met


def _responses(checklist_ids) -> list[ChecklistResponse]:
    return list(
        ChecklistResponse.objects.filter(checklist_id__in=checklist_ids)
        .select_related("item")
        .order_by("item__position", "item__pk")
    )


def summarise(checklist: Checklist, responses: list[ChecklistResponse]) -> ReadinessSummary:
    """The summary of `checklist` from its responses (loaded with their items); no queries."""
    must_haves = [r for r in responses if r.item.is_must_have]
    questions = [r for r in responses if not r.item.is_must_have]
    not_applicable = [r for r in must_haves if r.answer == ChecklistResponse.Answer.NOT_APPLICABLE]
    return ReadinessSummary(
        checklist=checklist,
        responses=responses,
        must_haves_met=sum(1 for r in must_haves if r.is_met),
        must_haves_applicable=len(must_haves) - len(not_applicable),
        must_haves_not_applicable=len(not_applicable),
        questions_answered=sum(1 for r in questions if r.answer),
        questions_total=len(questions),
        gaps=[r for r in must_haves if r.is_open] + [r for r in questions if r.is_open],
    )


def checklist_summary(checklist: Checklist) -> ReadinessSummary:
    """One query."""
    return summarise(checklist, _responses([checklist.pk]))


def readiness_summary(project: Project) -> ReadinessSummary | None:
    """The summary of the project's latest checklist, or None before the first. Two queries.

    For the project overview and the governors' pack: render it with
    `{% include "assessments/_readiness_summary.html" with readiness=… project=… %}`.
    """
    latest = (
        Checklist.objects.filter(project=project)
        .select_related("template")
        .order_by("-created_at", "-pk")
        .first()
    )
    return None if latest is None else checklist_summary(latest)


def project_checklists(project: Project) -> list[ReadinessSummary]:
    """Every checklist of the project, newest first, each summarised. Two queries."""
    checklists = list(
        Checklist.objects.filter(project=project)
        .select_related("template", "created_by")
        .order_by("-created_at", "-pk")
    )
    by_checklist: dict[int, list] = {c.pk: [] for c in checklists}
    for response in _responses(by_checklist):
        by_checklist[response.checklist_id].append(response)
    return [summarise(c, by_checklist[c.pk]) for c in checklists]


def published_checklist_templates():
    return ChecklistTemplate.objects.filter(status=TemplateStatus.PUBLISHED).order_by("name")


# --- self-assessment rounds ---------------------------------------------------------------


def round_answers(assessment: Assessment) -> list[Answer]:
    """The round's answers in question order, with question, domain and level. One query."""
    return list(
        assessment.answers.select_related("question__domain", "level").order_by(
            "question__number"
        )
    )


@dataclass(frozen=True)
class DomainResult:
    domain: object
    answers: list[Answer]
    counts: list[int]  # per level, lowest first
    unscored: int

    @property
    def total(self) -> int:
        return len(self.answers)


@dataclass(frozen=True)
class RoundResults:
    assessment: Assessment
    levels: list[Level]
    domains: list[DomainResult]
    totals: list[int] = field(default_factory=list)  # per level, over every domain

    @property
    def scored(self) -> int:
        return sum(self.totals)

    @property
    def questions(self) -> int:
        return sum(domain.total for domain in self.domains)

    @property
    def unscored(self) -> int:
        return self.questions - self.scored

    @property
    def level_totals(self) -> list[tuple[Level, int]]:
        return list(zip(self.levels, self.totals, strict=True))


def round_results(assessment: Assessment) -> RoundResults:
    """Counts per level per domain and each question's level. Three queries."""
    levels = list(assessment.framework.levels.order_by("position"))
    index = {level.pk: i for i, level in enumerate(levels)}
    answers = round_answers(assessment)
    domains = list(assessment.framework.domains.order_by("position", "pk"))
    results = []
    for domain in domains:
        domain_answers = [a for a in answers if a.question.domain_id == domain.pk]
        counts = [0] * len(levels)
        for answer in domain_answers:
            if answer.level_id:
                counts[index[answer.level_id]] += 1
        results.append(
            DomainResult(
                domain=domain,
                answers=domain_answers,
                counts=counts,
                unscored=sum(1 for a in domain_answers if a.level_id is None),
            )
        )
    totals = [sum(result.counts[i] for result in results) for i in range(len(levels))]
    return RoundResults(assessment=assessment, levels=levels, domains=results, totals=totals)


def level_options(levels, descriptors) -> list[tuple[Level, str]]:
    """(level, what the question looks like at that level) for every level, lowest first."""
    text = {descriptor.level_id: descriptor.text for descriptor in descriptors}
    return [(level, text.get(level.pk, "")) for level in levels]


def scoring_page(assessment: Assessment, domain) -> list[tuple[Question, Answer, list]]:
    """The questions of one domain, each with its answer and `level_options`. Four queries."""
    levels = list(assessment.framework.levels.order_by("position"))
    questions = Question.objects.filter(domain=domain).order_by("number")
    answers = {
        answer.question_id: answer
        for answer in assessment.answers.filter(question__domain=domain).select_related("level")
    }
    return [
        (question, answers[question.pk], level_options(levels, question.descriptors.all()))
        for question in questions.prefetch_related("descriptors")
        if question.pk in answers
    ]


def domain_progress(assessment: Assessment) -> list[tuple[object, int, int]]:
    """(domain, scored, total) for each domain of the round's framework. Two queries."""
    answers = list(assessment.answers.values_list("question__domain_id", "level_id"))
    return [
        (
            domain,
            sum(1 for domain_id, level_id in answers if domain_id == domain.pk and level_id),
            sum(1 for domain_id, _ in answers if domain_id == domain.pk),
        )
        for domain in assessment.framework.domains.order_by("position", "pk")
    ]


def organisation_rounds(organisation: Organisation):
    """The organisation's own rounds, newest first, with `scored` and `total` counts."""
    return (
        Assessment.objects.filter(organisation=organisation)
        .select_related("framework")
        .annotate(
            total=Count("answers", distinct=True),
            scored=Count("answers", filter=Q(answers__level__isnull=False), distinct=True),
            share_count=Count("shares", distinct=True),
        )
        .order_by("-assessed_on", "-pk")
    )


def rounds_shared_with(organisation: Organisation):
    """Submitted rounds that other organisations have shared with `organisation`."""
    return (
        Assessment.objects.filter(
            shares__partner=organisation, status=Assessment.Status.SUBMITTED
        )
        .exclude(organisation=organisation)
        .select_related("organisation", "framework")
        .order_by("organisation__name", "-assessed_on")
    )


def visible_rounds(organisation: Organisation):
    """Every round `organisation` may read: its own, and submitted ones shared with it."""
    shared = Q(shares__partner=organisation, status=Assessment.Status.SUBMITTED)
    return (
        Assessment.objects.filter(Q(organisation=organisation) | shared)
        .select_related("organisation", "framework")
        .distinct()
        .order_by("organisation__name", "-assessed_on", "-pk")
    )


def round_shares(assessment: Assessment):
    return AssessmentShare.objects.filter(assessment=assessment).select_related("partner")


def published_frameworks():
    return Framework.objects.filter(status=TemplateStatus.PUBLISHED).order_by("name")


# --- comparing two rounds -----------------------------------------------------------------


@dataclass(frozen=True)
class QuestionChange:
    number: int
    text: str
    domain: str
    first: Level | None
    second: Level | None

    @property
    def change(self) -> str:
        """"up", "down", "same", or "unscored" when either round has no level for it."""
        if self.first is None or self.second is None:
            return "unscored"
        if self.second.position > self.first.position:
            return "up"
        if self.second.position < self.first.position:
            return "down"
        return "same"

    @property
    def steps(self) -> int:
        if self.change == "unscored":
            return 0
        return self.second.position - self.first.position


@dataclass(frozen=True)
class Comparison:
    first: RoundResults
    second: RoundResults
    questions: list[QuestionChange]
    only_in_one: list[int]  # question numbers that one version of the framework lacks

    @property
    def same_organisation(self) -> bool:
        """Progress over time (moved up, down) rather than a partner's view (higher, lower)."""
        return self.first.assessment.organisation_id == self.second.assessment.organisation_id

    def _with(self, change: str) -> list[QuestionChange]:
        return [q for q in self.questions if q.change == change]

    @property
    def up(self) -> list[QuestionChange]:
        return self._with("up")

    @property
    def down(self) -> list[QuestionChange]:
        return self._with("down")

    @property
    def same(self) -> list[QuestionChange]:
        return self._with("same")

    @property
    def unscored(self) -> list[QuestionChange]:
        return self._with("unscored")


class NotComparable(ValueError):
    pass


def rounds_compare(first: Assessment, second: Assessment) -> Comparison:
    """Question by question, how `second` differs from `first`. Six queries.

    Rounds of different versions of one framework are matched by question number, and
    levels by their place on the scale, since a new version may reword either.
    """
    if first.framework.slug != second.framework.slug:
        raise NotComparable(
            f"“{first.name}” uses {first.framework.name} and “{second.name}” uses "
            f"{second.framework.name}: only rounds of the same framework can be compared."
        )
    first_results, second_results = round_results(first), round_results(second)

    def by_number(results):
        return {a.question.number: a for d in results.domains for a in d.answers}

    before, after = by_number(first_results), by_number(second_results)
    questions = [
        QuestionChange(
            number=number,
            text=after[number].question.text,
            domain=after[number].question.domain.name,
            first=before[number].level,
            second=after[number].level,
        )
        for number in sorted(before.keys() & after.keys())
    ]
    return Comparison(
        first=first_results,
        second=second_results,
        questions=questions,
        only_in_one=sorted(before.keys() ^ after.keys()),
    )
