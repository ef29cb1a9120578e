"""The templates Totem ships with, installed as published version 1 by a data migration.

- The readiness checklist of "Lessons learned: setting up for success" (NHS Improvement, 2018):
  its ten readiness questions and ten recommended must-haves, in the seed's words, with
  guidance written for Totem.
- A maturity framework on the five NHS IMPACT components and the 22 questions of a trust's
  published self-assessment, in that document's numbering. The scale and the descriptors are
  Totem's own words; site staff can revise them in a new version.

`install()` takes the model classes so that the migration can pass its historical models.
"""

READINESS_SLUG = "readiness-mobilisation"
READINESS_NAME = "Readiness checklist for mobilisation"
READINESS_DESCRIPTION = (
    "How ready and aligned are the organisations for the start of a change programme? Ten "
    "questions to discuss and ten must-haves to have in place before the next stage."
)

READINESS_QUESTIONS = [
    (
        "What direction has been articulated by the executive board?",
        "Point to the board paper or minute. A direction that exists only in conversation is "
        "not yet a direction.",
    ),
    (
        "Who will take decisions?",
        "Name the body that decides and what it may decide on behalf of each organisation, for "
        "example under a memorandum of understanding.",
    ),
    (
        "How will the programme be resourced to ensure it has the right level of capabilities?",
        "For a design phase of 8 to 10 weeks, pathfinders needed about a day a week from the "
        "SRO, a full-time project manager and functional leads for up to two days a week.",
    ),
    (
        "What sourcing arrangements are in place?",
        "List the contracts and in-house services for each function, with their end dates.",
    ),
    (
        "Have all functions confirmed which services, processes and systems will be in scope "
        "for the next phase?",
        "A function that has not confirmed its scope is a gap, even if others have.",
    ),
    (
        "Is there a consolidated view on current STP location data?",
        "One list of sites and where each service is delivered from, agreed by every partner.",
    ),
    (
        "Is there a clear understanding of existing constraints and risks from local and "
        "national agreements?",
        "Think of labour agreements, contracts and national terms that limit what can change.",
    ),
    (
        "Is there a clear plan and are there any dependencies with parallel projects?",
        "Note each parallel project and what it needs from this one, or gives to it.",
    ),
    (
        "What are the activities and timelines for the next stage?",
        "Dates and owners, not intentions.",
    ),
    (
        "How engaged are the key stakeholders with the programme?",
        "Say who has been engaged and how you know: attendance, decisions taken, feedback.",
    ),
]

READINESS_MUST_HAVES = [
    ("Mandate from executive board", "A minuted decision to proceed to the next stage."),
    ("Scope agreed", "Every partner has agreed what is in and out of scope."),
    (
        "SROs appointed and resources secured for next stage",
        "Named senior responsible owners, and people released for the time the stage needs.",
    ),
    (
        "Case for change – benefit opportunity",
        "Why change, and what benefit is expected, in terms the boards accept.",
    ),
    (
        "Current sourcing set-up – delivery models per function",
        "How each function is delivered today: in-house, shared, outsourced.",
    ),
    ("Governance agreed", "Who decides what, and how disagreements are resolved."),
    ("Plan and timelines for next stage", "A plan with owners and dates."),
    ("STPs location data", "Where services are delivered from, consolidated across partners."),
    (
        "Understanding of local and national labour agreements",
        "What the agreements allow and require, and when consultation would be needed.",
    ),
    (
        "List of existing parallel projects",
        "Other projects that touch the same functions, people or systems.",
    ),
]

# Version 2 of the readiness checklist (migration 0003): the seed's "STP" (sustainability and
# transformation partnership) was replaced in 2022 by integrated care systems (ICSs), each with
# an integrated care board (ICB). Same questions, same meaning, current words. Version 1 stays
# as it was published: the checklists answered on it keep their wording.
READINESS_ICS_WORDING = {
    "Is there a consolidated view on current STP location data?": (
        "Is there a consolidated view of current location data across the integrated care "
        "system (ICS)?",
        "One list of sites and where each service is delivered from, agreed by every partner "
        "in the ICS.",
    ),
    "STPs location data": (
        "ICS location data",
        "Where services are delivered from, consolidated across the partners in the integrated "
        "care system and shared with the integrated care board (ICB).",
    ),
}


def install_readiness_ics_version(ChecklistTemplate, ChecklistItem, *, published_at):
    """Version 2 of the shipped readiness checklist: version 1 in current NHS words, published,
    with version 1 retired (its checklists keep pointing at it, unchanged)."""
    first = ChecklistTemplate.objects.filter(slug=READINESS_SLUG, version=1).first()
    if first is None or ChecklistTemplate.objects.filter(slug=READINESS_SLUG, version=2).exists():
        return ChecklistTemplate.objects.filter(slug=READINESS_SLUG, version=2).first()
    # At most one published version of a family: retire the first before publishing this.
    ChecklistTemplate.objects.filter(pk=first.pk, status="published").update(status="retired")
    second = ChecklistTemplate.objects.create(
        slug=READINESS_SLUG,
        version=2,
        name=first.name,
        description=first.description,
        status="published",
        published_at=published_at,
    )
    items = []
    for item in ChecklistItem.objects.filter(template=first).order_by("position", "pk"):
        text, guidance = READINESS_ICS_WORDING.get(item.text, (item.text, item.guidance))
        items.append(
            ChecklistItem(
                template=second, position=item.position, kind=item.kind, text=text,
                guidance=guidance,
            )
        )
    ChecklistItem.objects.bulk_create(items)
    return second


FRAMEWORK_SLUG = "nhs-impact"
FRAMEWORK_NAME = "NHS IMPACT improvement maturity"
FRAMEWORK_DESCRIPTION = (
    "The five components of NHS IMPACT (Improving Patient Care Together) and 22 questions, each "
    "scored on a five-level scale from Starting to Leading. Re-score later to show progress."
)

LEVELS = [
    ("Starting", "Intentions are stated; little is in place yet."),
    ("Developing", "In place in some parts of the organisation, not yet consistently."),
    ("Embedding", "In place across most of the organisation and becoming routine."),
    ("Spreading", "How the whole organisation works, and shared with partners."),
    ("Leading", "Sustained over time; others learn from us."),
]

# (component, [(number, question, [descriptor at each level, Starting first])])
DOMAINS = [
    (
        "Building a shared purpose and vision",
        [
            (1, "Board and executives setting the shared purpose and vision", [
                "A few senior people talk about a vision, but it is not written down or linked "
                "to a plan.",
                "The board has drafted a purpose and vision; some staff know it and plans are "
                "starting to refer to it.",
                "One agreed purpose and vision heads the strategic plan, and most staff can "
                "describe it.",
                "The vision is used to make and explain decisions at every level, and partners "
                "recognise it.",
                "The board renews the vision with staff, users and partners, and it visibly "
                "steers every major choice.",
            ]),
            (2, "Improvement work aligned to organisational priorities", [
                "Improvement projects are chosen locally, with no link to organisational "
                "priorities.",
                "Priorities are set but not yet broken down into goals that teams can work on.",
                "Most improvement work can be traced to a priority, and goals cascade to teams.",
                "Teams choose improvement work from goals they own, and progress rolls up to "
                "board priorities.",
                "Priorities, goals and improvement work form one line of sight from board to "
                "front line, reviewed routinely.",
            ]),
            (3, "Co-design and collaborate – celebrate and share successes", [
                "Working out what improvement means here has begun, mostly among senior leaders.",
                "Some teams co-design changes with colleagues; successes are shared now and then, "
                "informally.",
                "Co-design is the normal way to start a change, and successes are shared through "
                "regular channels.",
                "Teams across the organisation and its partners design together and learn from "
                "each other's successes.",
                "Collaboration and celebration are built into how work is planned; others ask "
                "to learn from us.",
            ]),
            (4, "Lived experience driving this work (patients, staff, communities)", [
                "There is a stated wish to involve people with lived experience, not yet worked "
                "through.",
                "People with lived experience are involved in some projects, usually once the "
                "design is set.",
                "Lived-experience partners help shape most improvement work from the start.",
                "Lived-experience partners help set priorities and judge results across the "
                "organisation.",
                "People using services, carers, staff and communities share decisions about "
                "what to improve and how.",
            ]),
        ],
    ),
    (
        "Investing in people and culture",
        [
            (5, "Pay attention to the culture of improvement", [
                "The board says it wants an improvement culture, but what that means is not "
                "worked out.",
                "The board and executives have described the culture they want and begun to "
                "measure it.",
                "Culture is measured regularly and leaders act on what they find.",
                "Teams across the organisation look after their own improvement culture, with "
                "support.",
                "The culture of improvement survives changes of leadership and is visible to "
                "outsiders.",
            ]),
            (6, "What matters to staff, people using services and carers", [
                "What matters to people is learned mostly from formal surveys and rarely leads "
                "to improvement.",
                "Some teams ask people directly what matters and act on it; the link to "
                "improvement is patchy.",
                "Listening is routine in most teams and regularly leads to improvement work.",
                "What matters to people shapes organisation-wide priorities, and they hear what "
                "changed as a result.",
                "Staff, people using services and carers steer what is improved, and the loop "
                "is closed every time.",
            ]),
            (7, "Enabling staff through a coaching style of leadership", [
                "Coaching is rare; leaders mostly direct and solve problems for their teams.",
                "A coaching style is endorsed and some leaders use it, but it is not built into "
                "training.",
                "Leadership training teaches coaching, and most leaders use it to help staff "
                "solve problems.",
                "Coaching is how leaders at every level support improvement, and staff expect it.",
                "Coaching is part of how leaders are selected, developed and appraised, and it "
                "lasts.",
            ]),
            (8, "Enabling staff to make improvements", [
                "Staff rarely feel able to change how they work without permission from above.",
                "Some trained or supported teams make improvements; learning stays where it "
                "happened.",
                "Most teams have the time, skills and permission to improve their work and "
                "share what they learn.",
                "Staff everywhere improve their own work routinely, and learning spreads "
                "between teams.",
                "Improving the work is part of everyone's job, with systems that spread "
                "learning quickly.",
            ]),
        ],
    ),
    (
        "Developing leadership behaviours",
        [
            (9, "Leadership and management development strategy", [
                "Leaders and managers are not trained in a shared improvement approach.",
                "A development plan exists and some leaders have been trained in the chosen "
                "approach.",
                "Most leaders and managers are trained, and expected to use and role-model the "
                "approach.",
                "Development is continuous for leaders at every level, the board included.",
                "The strategy is evaluated, refreshed and shared with partners as an example.",
            ]),
            (10, "Leadership and management values and behaviours", [
                "Leadership values and behaviours have not been agreed yet.",
                "Values and behaviours are agreed across the organisation but not yet lived "
                "consistently.",
                "Most leaders show the agreed behaviours and are held to them in appraisal.",
                "The behaviours are visible at every level, and staff can challenge when they "
                "are missing.",
                "The behaviours last over time and are used to recruit and develop leaders.",
            ]),
            (11, "Leadership and management acting in partnership", [
                "Leaders mostly work within their own service or department.",
                "Most leaders work with fellow leaders and managers on shared problems.",
                "Leaders routinely work across departments and with partners on shared "
                "improvement work.",
                "Partnership across the system is the normal way leaders tackle problems.",
                "Leaders build and sustain partnerships that others in the system rely on.",
            ]),
            (12, "Board development to empower collective improvement leadership", [
                "The board discusses improvement now and then, not as a regular item.",
                "Improvement is a regular board item, and some board development on it has "
                "taken place.",
                "The board has a development programme on improvement and uses improvement "
                "methods in its own work.",
                "The board leads improvement collectively and coaches senior leaders to do the "
                "same.",
                "The board is a recognised example of collective improvement leadership.",
            ]),
            (13, "'Go and see' visits", [
                "Some senior leaders visit where the work happens from time to time, not "
                "routinely.",
                "Visits are planned for some leaders, but what they learn is not followed up "
                "consistently.",
                "Regular visits are routine for senior leaders and lead to agreed follow-up.",
                "Leaders at every level go and see, listen and help remove obstacles, as a habit.",
                "Going to see is a lasting routine whose learning visibly changes decisions.",
            ]),
        ],
    ),
    (
        "Building improvement capability and capacity",
        [
            (14, "Improvement capacity and capability building strategy", [
                "Improvement training is ad hoc and limited to a small central team, with some "
                "outside help.",
                "There is a plan for building improvement skills, and training has begun beyond "
                "the central team.",
                "A structured training offer reaches staff at every level, matched to their "
                "role.",
                "Enough people are trained to support improvement everywhere, and this is "
                "tracked.",
                "Capability sustains itself, and the organisation trains its partners too.",
            ]),
            (15, "Clear improvement methodology training and support", [
                "No single improvement method has been chosen; learning rarely travels beyond "
                "the team.",
                "One method has been chosen and is taught to some staff; gains are shared a "
                "little.",
                "The chosen method is used in most improvement work, with support available.",
                "Everyone uses a common method and language, and gains are shared across the "
                "organisation.",
                "The method is adapted from experience and shared with partners.",
            ]),
            (16, "Improvements measured with data and feedback", [
                "There is no agreed way to track progress on goals; improvement is not measured "
                "across the organisation.",
                "Some improvement work uses data over time and feedback, but not consistently.",
                "Most improvement work is measured with data over time and feedback, and the "
                "results are reviewed.",
                "Measures of improvement feed routine performance reports at every level.",
                "Data and feedback drive decisions from front line to board, and measurement "
                "keeps getting better.",
            ]),
            (17, "Co-production", [
                "Improvement, audit and transformation teams work separately, without "
                "lived-experience partners.",
                "Those teams have begun to work together, and some projects include "
                "lived-experience partners.",
                "Improvement teams work as one and co-produce most projects with "
                "lived-experience partners.",
                "Co-production with staff, users and partners is the normal way to improve.",
                "Co-production lasts and shapes the organisation's strategy.",
            ]),
            (18, "Staff attend daily huddles", [
                "Huddles are limited to traditional shift handovers.",
                "Some teams hold huddles that look at performance and problems as well as "
                "handover.",
                "Most teams hold short, regular huddles that surface problems and track "
                "improvement.",
                "Huddles are linked, so a problem a team cannot solve is escalated and answered "
                "quickly.",
                "Linked huddles are a lasting routine from the front line to the executive.",
            ]),
        ],
    ),
    (
        "Embedding improvement into management systems and processes",
        [
            (19, "Aligned goals", [
                "Each department sets its goals on its own, with no link to others.",
                "Goals are cascaded from the top; improvement planning is not shared across "
                "departments.",
                "Goals are agreed across departments, and upstream and downstream teams plan "
                "together.",
                "Goals are aligned from board to team and with partners, and reviewed together.",
                "Aligned goals are revisited routinely, and the approach survives change.",
            ]),
            (20, "Planning and understanding status", [
                "Senior managers see little of the progress against goals.",
                "The board has reasonable sight of progress; there is no set way to prioritise "
                "and resource improvement work.",
                "A defined process prioritises improvement work and allocates resources to it.",
                "Everyone can see the status of goals and improvement work, and uses it to "
                "decide what next.",
                "Planning, status and resourcing work as one system that is itself improved.",
            ]),
            (21, "Responding to local, system and national priorities", [
                "Responses to changing needs are reactive and uncoordinated: firefighting.",
                "Some areas have a consistent way to respond to new priorities and problems.",
                "A consistent management approach handles changing priorities across most of "
                "the organisation.",
                "The organisation responds to local, system and national priorities together "
                "with its partners.",
                "The organisation anticipates changing priorities and adapts its plans before "
                "problems arise.",
            ]),
            (22, "Integrating improvement into everything we do", [
                "Improvement is seen as separate from daily delivery and from performance "
                "management.",
                "Some services use improvement methods in daily work; performance management is "
                "still separate.",
                "Improvement and performance management share goals, measures and routines in "
                "most services.",
                "Improvement is simply how work is done across the organisation.",
                "Improvement is part of everything, sustained over time and shared with the "
                "system.",
            ]),
        ],
    ),
]


def install_readiness(ChecklistTemplate, ChecklistItem, *, published_at):
    template = ChecklistTemplate.objects.create(
        slug=READINESS_SLUG,
        version=1,
        name=READINESS_NAME,
        description=READINESS_DESCRIPTION,
        status="published",
        published_at=published_at,
    )
    items = [("question", text, guidance) for text, guidance in READINESS_QUESTIONS]
    items += [("must_have", text, guidance) for text, guidance in READINESS_MUST_HAVES]
    ChecklistItem.objects.bulk_create(
        ChecklistItem(template=template, position=position, kind=kind, text=text, guidance=guide)
        for position, (kind, text, guide) in enumerate(items, start=1)
    )
    return template


def install_framework(Framework, Level, Domain, Question, Descriptor, *, published_at):
    framework = Framework.objects.create(
        slug=FRAMEWORK_SLUG,
        version=1,
        name=FRAMEWORK_NAME,
        description=FRAMEWORK_DESCRIPTION,
        status="published",
        published_at=published_at,
    )
    levels = [
        Level.objects.create(framework=framework, position=position, name=name, description=text)
        for position, (name, text) in enumerate(LEVELS, start=1)
    ]
    for position, (domain_name, questions) in enumerate(DOMAINS, start=1):
        domain = Domain.objects.create(framework=framework, position=position, name=domain_name)
        for number, text, descriptors in questions:
            question = Question.objects.create(
                framework=framework, domain=domain, number=number, text=text
            )
            Descriptor.objects.bulk_create(
                Descriptor(question=question, level=level, text=descriptor)
                for level, descriptor in zip(levels, descriptors, strict=True)
            )
    return framework


def ensure_installed():
    """The shipped versions, installing them again where they are missing: (readiness checklist,
    framework). For tests that run after a transactional test has flushed the database, which
    removes what data migrations installed."""
    from django.utils import timezone

    from .models import (
        ChecklistItem,
        ChecklistTemplate,
        Descriptor,
        Domain,
        Framework,
        Level,
        Question,
    )

    now = timezone.now()
    if not ChecklistTemplate.objects.filter(slug=READINESS_SLUG, version=1).exists():
        install_readiness(ChecklistTemplate, ChecklistItem, published_at=now)
    readiness = install_readiness_ics_version(ChecklistTemplate, ChecklistItem, published_at=now)
    framework = Framework.objects.filter(slug=FRAMEWORK_SLUG, version=1).first()
    return (
        readiness,
        framework or install_framework(
            Framework, Level, Domain, Question, Descriptor, published_at=now
        ),
    )
