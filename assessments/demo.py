"""Demo self-assessment rounds and a readiness checklist for a newcomer's first look.

Called at the end of `totem.demo.load_demo` (development only), after the demo trust, its
partners, users and project exist. Idempotent: what already exists is left as it is.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from projects.models import Organisation, Project

from . import defaults, services
from .models import Assessment, ChecklistTemplate, Framework, TemplateStatus

# The levels of a trust's published NHS IMPACT self-assessment (seed 004), by question number:
# 16 questions at Starting and 6 at Developing.
SEED_004_LEVELS = {
    1: "Starting", 2: "Starting", 3: "Starting", 4: "Starting",
    5: "Starting", 6: "Starting", 7: "Developing", 8: "Developing",
    9: "Starting", 10: "Developing", 11: "Developing", 12: "Starting", 13: "Starting",
    14: "Starting", 15: "Starting", 16: "Starting", 17: "Starting", 18: "Starting",
    19: "Developing", 20: "Developing", 21: "Starting", 22: "Starting",
}

# Where the demo trust has moved since (an open re-measure, partly scored).
REMEASURE_LEVELS = {
    1: "Developing", 2: "Developing", 3: "Starting", 4: "Starting", 5: "Developing",
    7: "Embedding", 8: "Developing", 9: "Developing", 10: "Starting", 14: "Developing",
}

# A partner scored a little differently.
PARTNER_LEVELS = {
    number: ("Developing" if number % 3 == 0 else "Starting") for number in range(1, 23)
} | {11: "Embedding", 19: "Embedding"}

DEMO_TRUST = "North Vale Hospitals NHS Trust"
DEMO_PARTNER = "Riverside Community NHS Trust"
DEMO_PROJECT = "Shared payroll service for the North Vale trusts"

# (item position, answer, evidence, owner, due) for the demo project's readiness checklist.
DEMO_ANSWERS = [
    (1, "yes", "Board minute 2026/041 agrees to investigate a shared payroll service.", "", None),
    (2, "partly", "Joint committee proposed; terms of reference in draft.", "Lena Okafor",
     datetime.date(2026, 12, 15)),
    (3, "partly", "PMO in post; functional leads not yet released.", "Graham Price",
     datetime.date(2026, 12, 1)),
    (11, "yes", "Minuted by all three boards.", "", None),
    (12, "yes", "Scope statement v1.2 agreed 3 Nov.", "", None),
    (13, "no", "SRO named for North Vale only.", "Graham Price", datetime.date(2026, 11, 30)),
    (14, "yes", "Case for change presented to the boards.", "", None),
    (15, "yes", "Delivery models mapped for all three trusts.", "", None),
    (16, "partly", "Terms of reference drafted, not yet agreed.", "Lena Okafor",
     datetime.date(2026, 12, 15)),
    (17, "yes", "Plan to March 2027 with owners.", "", None),
    (18, "yes", "Sites list consolidated.", "", None),
    (19, "yes", "HR leads briefed on the agreements.", "", None),
    (20, "no", "", "Lena Okafor", datetime.date(2027, 1, 10)),
]


def _answers(framework, levels_by_number):
    levels = {level.name: level for level in framework.levels.all()}
    questions = {question.number: question for question in framework.questions.all()}
    return {
        questions[number].pk: services.AnswerInput(
            level=levels[name], evidence=f"Workshop notes, question {number}."
        )
        for number, name in levels_by_number.items()
    }


def _round(organisation, framework, name, day, levels_by_number, user, *, submit: bool):
    existing = Assessment.objects.filter(organisation=organisation, name=name).first()
    if existing is not None:
        return existing
    assessment = services.assessment_open(
        organisation=organisation, framework=framework, name=name, assessed_on=day, user=user
    )
    services.assessment_record_answers(
        assessment=assessment, answers=_answers(framework, levels_by_number), user=user
    )
    if submit:
        assessment = services.assessment_submit(assessment=assessment, user=user)
    return assessment


@transaction.atomic
def load_assessment_demo() -> None:
    framework = Framework.objects.filter(
        slug=defaults.FRAMEWORK_SLUG, status=TemplateStatus.PUBLISHED
    ).first()
    trust = Organisation.objects.filter(name=DEMO_TRUST).first()
    partner = Organisation.objects.filter(name=DEMO_PARTNER).first()
    if framework is None or trust is None or partner is None:
        return
    users = get_user_model().objects
    admin, lead = users.filter(username="orgadmin").first(), users.filter(username="lead").first()

    baseline = _round(trust, framework, "Baseline, spring 2026", datetime.date(2026, 3, 12),
                      SEED_004_LEVELS, admin, submit=True)
    _round(trust, framework, "Re-measure, autumn 2026", datetime.date(2026, 10, 20),
           REMEASURE_LEVELS, admin, submit=False)
    theirs = _round(partner, framework, "Riverside baseline 2026", datetime.date(2026, 4, 2),
                    PARTNER_LEVELS, None, submit=True)
    services.assessment_share_set(assessment=theirs, partners=[trust], user=None)
    services.assessment_share_set(assessment=baseline, partners=[partner], user=admin)

    project = Project.objects.filter(title=DEMO_PROJECT, lead_organisation=trust).first()
    template = ChecklistTemplate.objects.filter(
        slug=defaults.READINESS_SLUG, status=TemplateStatus.PUBLISHED
    ).first()
    if project is None or template is None or project.checklists.exists():
        return
    checklist = services.checklist_start(
        project=project, template=template, title="Gateway before the design stage", user=lead
    )
    responses = {r.item.position: r for r in checklist.responses.select_related("item")}
    services.checklist_record_answers(
        checklist=checklist,
        answers={
            responses[position].pk: services.ResponseInput(answer, evidence, owner, due)
            for position, answer, evidence, owner, due in DEMO_ANSWERS
        },
        user=lead,
    )

