import datetime

import factory

from assessments import services
from assessments.models import (
    Answer,
    Assessment,
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    Descriptor,
    Domain,
    Framework,
    Level,
    Question,
    TemplateStatus,
)
from projects.models import Membership
from projects.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    UserFactory,
)


class ChecklistTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistTemplate

    slug = factory.Sequence(lambda n: f"checklist-{n}")
    name = factory.Sequence(lambda n: f"Checklist {n}")
    status = TemplateStatus.DRAFT


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    template = factory.SubFactory(ChecklistTemplateFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = ChecklistItem.Kind.MUST_HAVE
    text = factory.Sequence(lambda n: f"Must-have {n}")


def checklist_template(*, questions=1, must_haves=3, status=TemplateStatus.PUBLISHED):
    """A checklist template with `questions` questions then `must_haves` must-haves."""
    template = ChecklistTemplateFactory(status=status)
    for _ in range(questions):
        ChecklistItemFactory(template=template, kind=ChecklistItem.Kind.QUESTION)
    for _ in range(must_haves):
        ChecklistItemFactory(template=template, kind=ChecklistItem.Kind.MUST_HAVE)
    return template


class ChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checklist

    project = factory.SubFactory(ProjectFactory)
    template = factory.SubFactory(ChecklistTemplateFactory, status=TemplateStatus.PUBLISHED)
    title = "Gateway before design"


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    slug = factory.Sequence(lambda n: f"framework-{n}")
    name = factory.Sequence(lambda n: f"Framework {n}")
    status = TemplateStatus.DRAFT


def framework(*, levels=("Low", "Middle", "High"), domains=(("First", 2), ("Second", 1)),
              status=TemplateStatus.PUBLISHED, slug=None):
    """A complete framework: `domains` is (name, number of questions) in order; questions are
    numbered 1, 2, … through the whole framework, each with a descriptor per level."""
    made = FrameworkFactory(status=status, **({"slug": slug} if slug else {}))
    level_rows = [
        Level.objects.create(framework=made, position=position, name=name)
        for position, name in enumerate(levels, start=1)
    ]
    number = 0
    for position, (name, count) in enumerate(domains, start=1):
        domain = Domain.objects.create(framework=made, position=position, name=name)
        for _ in range(count):
            number += 1
            question = Question.objects.create(
                framework=made, domain=domain, number=number, text=f"Question {number}"
            )
            for level in level_rows:
                Descriptor.objects.create(
                    question=question, level=level, text=f"{question.number} at {level.name}"
                )
    return made


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A round with no answers; use `services.assessment_open` for one ready to score."""

    class Meta:
        model = Assessment

    organisation = factory.SubFactory(OrganisationFactory)
    framework = factory.SubFactory(FrameworkFactory, status=TemplateStatus.PUBLISHED)
    name = factory.Sequence(lambda n: f"Round {n}")
    assessed_on = datetime.date(2026, 3, 1)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    assessment = factory.SubFactory(AssessmentFactory)


# --- builders: the state a test needs, made through the services --------------------------


def member(organisation, role=Membership.Role.MEMBER):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def open_round(organisation, framework, *, name="Baseline", user=None, day=None):
    return services.assessment_open(
        organisation=organisation,
        framework=framework,
        name=name,
        assessed_on=day or datetime.date(2026, 3, 12),
        user=user,
    )


def score(assessment, levels_by_number: dict[int, str], *, user=None) -> int:
    """Record levels given by question number and level name, as members would."""
    levels = {level.name: level for level in assessment.framework.levels.all()}
    questions = {q.number: q for q in assessment.framework.questions.all()}
    answers = {
        questions[number].pk: services.AnswerInput(level=levels[name] if name else None)
        for number, name in levels_by_number.items()
    }
    return services.assessment_record_answers(assessment=assessment, answers=answers, user=user)


def submitted_round(organisation, framework, levels_by_number, **kwargs):
    assessment = open_round(organisation, framework, **kwargs)
    score(assessment, levels_by_number)
    return services.assessment_submit(assessment=assessment, user=None)
