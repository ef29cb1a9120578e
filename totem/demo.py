"""Demo data for a newcomer's first look: never loaded in production (see load_demo)."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assessments.demo import load_assessment_demo
from projects import services
from projects.models import Indicator, Membership, Organisation, Project, ProjectRole
from projects.services import approval, measures
from projects.services import planning as planning_services

DEMO_PASSWORD_SUFFIX = "-demo-2026"
DEMO_USERS = [
    # username, first, last, organisation role, project role, who they are
    ("lead", "Lena", "Okafor", Membership.Role.MEMBER, ProjectRole.Role.LEAD, "Project lead"),
    ("governor", "Graham", "Price", Membership.Role.MEMBER, ProjectRole.Role.GOVERNOR, "Governor"),
    ("orgadmin", "Olivia", "Hart", Membership.Role.ADMIN, ProjectRole.Role.VIEWER, "Org admin"),
]
DEMO_PROJECT = "Shared payroll service for the North Vale trusts"

DEMO_CHAIN = [
    (
        "Confirm the issue to be resolved with the three trust boards",
        "Gained the commitment of all three boards to investigate a shared payroll service",
        [("Boards that have minuted the commitment to investigate", "leading", "boards", "up",
          0, 3)],
    ),
    (
        "Collaborate in benchmarking payroll cost and accuracy",
        "Defined the starting point against which progress will be measured",
        [("Payroll cost per payslip", "lagging", "£", "down", Decimal("4.80"), Decimal("3.60")),
         ("Functions with an agreed baseline", "leading", "functions", "up", 0, 3)],
    ),
    (
        "Produce outcome scenarios complete with the likelihood of proceeding on each one",
        "The readiness and commitment to proceed",
        [("Scenarios with a clear proceed / do not proceed statement", "leading", "%", "up",
          0, 100)],
    ),
    (
        "Secure the buy-in of payroll staff",
        "Payroll staff in all three trusts expect the shared service to make their work better",
        [("Staff who agree the change will improve their work (pulse survey)", "leading", "%",
          "up", 35, 70)],
    ),
    (
        "Produce an implementation plan",
        "Employees are paid correctly first time, every month",
        [("Payslips needing correction", "leading", "%", "down", Decimal("2.4"), Decimal("0.8")),
         ("Annual payroll error cost", "lagging", "£k", "down", 410, 150)],
    ),
]


def _user(username, first, last):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.nhs.uk"},
    )
    user.set_password(username + DEMO_PASSWORD_SUFFIX)
    user.save()
    return user


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create (or refresh) the demo organisations, users and project. Returns the logins."""
    # Codes in the shape of NHS ODS codes: partners are named by exact name or code.
    trust, _ = Organisation.objects.get_or_create(
        name="North Vale Hospitals NHS Trust", defaults={"short_name": "NVH", "code": "RNV"}
    )
    partners = [
        Organisation.objects.get_or_create(
            name=name, defaults={"short_name": short, "code": code}
        )[0]
        for name, short, code in [
            ("Riverside Community NHS Trust", "RCT", "RRC"),
            ("Eastmoor Mental Health NHS Trust", "EMH", "REM"),
        ]
    ]
    logins, users = [], {}
    for username, first, last, org_role, project_role, who in DEMO_USERS:
        user = _user(username, first, last)
        Membership.objects.update_or_create(
            user=user, organisation=trust, defaults={"role": org_role}
        )
        users[username] = (user, project_role)
        logins.append((username, username + DEMO_PASSWORD_SUFFIX, who))

    # Site staff read the development outbox ("Sent mail", /mail/) where every email lands.
    staff = _user("staff", "Sam", "Patel")
    if not (staff.is_staff and staff.is_superuser):
        staff.is_staff = staff.is_superuser = True
        staff.save(update_fields=["is_staff", "is_superuser"])
    logins.append(("staff", "staff" + DEMO_PASSWORD_SUFFIX, "Site staff"))

    lead = users["lead"][0]
    if not Project.objects.filter(title=DEMO_PROJECT, lead_organisation=trust).exists():
        project = services.project_create(
            user=lead,
            title=DEMO_PROJECT,
            purpose=(
                "Three trusts each run a small payroll team with its own system; errors and "
                "cost per payslip are above the national median and staff turnover is high."
            ),
            scope="Payroll and pensions administration. Recruitment and HR advice are out.",
            stage="design",
            lead_organisation=trust,
            partner_organisations=partners,
        )
        for title, statement, indicators in DEMO_CHAIN:
            task = services.task_create(
                project=project, title=title, owner="Lena Okafor", owner_person=lead
            )
            impact = services.impact_create(task=task, statement=statement)
            for name, kind, unit, direction, baseline, target in indicators:
                services.indicator_create(
                    impact=impact,
                    name=name,
                    kind=kind,
                    unit=unit,
                    direction=direction,
                    baseline_value=Decimal(baseline),
                    baseline_date=datetime.date(2026, 4, 1),
                    target_value=Decimal(target),
                    target_date=datetime.date(2027, 3, 31),
                    frequency="monthly",
                    source="Payroll system reports",
                    owner_person=lead,
                    # Figures are expected from the first demo month: with the demo's values
                    # stopping short of this month, the lead has figures due on "My work".
                    created_at=timezone.make_aware(datetime.datetime(2025, 5, 1)),
                )
        for username, (user, role) in users.items():
            if username != "lead":
                services.project_role_set(project=project, user=user, role=role)
    load_measures_demo(Project.objects.get(title=DEMO_PROJECT, lead_organisation=trust), lead)
    load_planning_demo(Project.objects.get(title=DEMO_PROJECT, lead_organisation=trust), lead)
    load_assessment_demo()
    return logins


# --- indicators over time: a year and a half of monthly figures ---------------------------------

DEMO_BASELINE_END = datetime.date(2026, 4, 1)  # the demo indicators' baseline date
# indicator name -> (first month, values, {month: note}, fix SPC limits on the baseline?)
DEMO_MEASUREMENTS = {
    "Boards that have minuted the commitment to investigate": (
        datetime.date(2026, 4, 1), [1, 1, 2, 2, 3, 3, 3], {}, False,
    ),
    "Payroll cost per payslip": (
        datetime.date(2025, 5, 1),
        ["4.86", "4.74", "4.91", "4.79", "4.83", "4.70", "4.88", "4.81", "4.76", "4.92", "4.78",
         "4.80", "4.71", "4.62", "4.55", "4.41", "4.36", "4.28"],
        {datetime.date(2026, 8, 1): "Shared team formed; overtime for month-end stopped"},
        True,
    ),
    "Functions with an agreed baseline": (
        datetime.date(2026, 4, 1), [0, 1, 1, 2, 2, 3, 3], {}, False,
    ),
    "Scenarios with a clear proceed / do not proceed statement": (
        datetime.date(2026, 6, 1), [0, 25, 50, 50, 75], {}, False,
    ),
    "Staff who agree the change will improve their work (pulse survey)": (
        datetime.date(2025, 5, 1),
        [34, 37, 33, 36, 35, 38, 32, 36, 34, 37, 35, 33, 38, 40, 43, 45, 47, 50],
        {datetime.date(2026, 6, 1): "Staff briefings started in all three trusts"},
        True,
    ),
    "Payslips needing correction": (
        datetime.date(2025, 5, 1),
        ["2.3", "2.6", "2.2", "2.5", "2.4", "2.7", "2.3", "2.5", "2.2", "2.6", "2.4", "2.5",
         "2.6", "2.9", "2.7", "3.1", "2.8", "3.0"],
        {datetime.date(2026, 8, 1): "Riverside migrated to the shared system: one-off corrections"},
        True,
    ),
    "Annual payroll error cost": (
        datetime.date(2026, 4, 1), [410, None, None, 405, None, None, 398], {}, False,
    ),
}
DEMO_OBJECTIVES = [
    ("Reduce payroll cost per payslip by 25% by March 2027", "Payroll cost per payslip",
     "4.80", "3.60"),
    ("Halve the payslips needing correction within the first year", "Payslips needing correction",
     "2.4", "1.2"),
    ("70% of payroll staff expect the shared service to make their work better by March 2027",
     "Staff who agree the change will improve their work (pulse survey)", "35", "70"),
]
DEMO_BASELINE = [
    # function, organisation, budget, WTE, volumes, performance, operating model
    ("Payroll", "North Vale Hospitals NHS Trust", 1_240_000, "28.4",
     "9,800 payslips a month; 620 starters and leavers a year",
     "2.6% of payslips corrected; 97% of staff paid on time",
     "In-house team on two sites; overtime claimed on paper"),
    ("Payroll", "Riverside Community NHS Trust", 610_000, "14.2",
     "4,300 payslips a month", "2.1% of payslips corrected",
     "In-house team; pensions administration outsourced"),
    ("Payroll", "Eastmoor Mental Health NHS Trust", 455_000, "10.8",
     "3,100 payslips a month", "2.5% of payslips corrected",
     "Bought from a neighbouring trust under a service-level agreement"),
]


def _month(first: datetime.date, offset: int) -> datetime.date:
    months = first.month - 1 + offset
    return datetime.date(first.year + months // 12, months % 12 + 1, 1)


def load_measures_demo(project: Project, lead) -> None:
    """Monthly figures, objectives and a baseline for the demo project, where it has none."""
    indicators = {
        indicator.name: indicator
        for indicator in Indicator.objects.filter(project=project).prefetch_related("measurements")
    }
    entries = []
    for name, (first, values, notes, fix_limits) in DEMO_MEASUREMENTS.items():
        indicator = indicators.get(name)
        if indicator is None or indicator.measurements.all():
            continue
        for offset, value in enumerate(values):
            when = _month(first, offset)
            if value is not None:
                entry = measures.MeasurementEntry(
                    indicator, when, Decimal(value), notes.get(when, "")
                )
                entries.append(entry)
        if fix_limits:
            measures.indicator_spc_update(
                indicator=indicator, version=indicator.version, spc_baseline_end=DEMO_BASELINE_END
            )
    measures.measurements_record(project=project, entries=entries, user=lead)
    # The lead has signed off every month but the latest: the pack says "N of M approved".
    months = sorted({entry.date.replace(day=1) for entry in entries})
    for period in months[:-1]:
        approval.figures_approve_period(project=project, user=lead, period=period)
    if not project.objectives.exists():
        for statement, name, baseline, target in DEMO_OBJECTIVES:
            measures.objective_create(
                project=project,
                statement=statement,
                indicator=indicators.get(name),
                baseline_value=Decimal(baseline),
                baseline_date=DEMO_BASELINE_END,
                target_value=Decimal(target),
                deadline=datetime.date(2027, 3, 31),
            )
    if not project.baseline.exists():
        for function, organisation, budget, wte, volumes, performance, model in DEMO_BASELINE:
            measures.baseline_entry_create(
                project=project,
                function=function,
                organisation=organisation,
                as_of=datetime.date(2026, 3, 31),
                budget=Decimal(budget),
                wte=Decimal(wte),
                volumes=volumes,
                performance=performance,
                operating_model=model,
                source="ESR payroll reports and the 2025/26 ledger",
            )


DEMO_PRINCIPLES = [
    (
        "Payroll queries are answered by self-service first; a named adviser takes the "
        "complex cases",
        "Most queries are about payslips and tax codes; advisers' time should go where it "
        "changes the outcome.",
    ),
    (
        "One payroll system and one set of processes across the three trusts",
        "Harmonising is where the savings and the accuracy come from; three systems cannot be "
        "benchmarked against each other.",
    ),
    (
        "Staff transfer on their current terms; no compulsory redundancies",
        "Agreed with staff side: the service needs the experienced payroll officers it has.",
    ),
]
DEMO_SCENARIOS = [
    # title, likelihood, recommendation, scores against the principles, reasons
    (
        "A shared service hosted by North Vale for all three trusts",
        75,
        "proceed",
        ["meets", "meets", "meets"],
        "Meets every principle; the boards have mandated it and staff side support it.",
    ),
    (
        "Outsource payroll to a commercial provider",
        20,
        "do_not_proceed",
        ["meets", "meets", "does_not"],
        "Staff would transfer out of the NHS; the savings depend on a five-year contract.",
    ),
    (
        "Keep three teams, move them onto one system",
        45,
        "more_work",
        ["partly", "meets", "meets"],
        "Cheaper to start, but the advice model stays three different things.",
    ),
]
DEMO_RISKS = [
    # kind, title, likelihood, impact, owner, mitigation
    ("risk", "Experienced payroll officers leave before the transfer", 4, 4, "Lena Okafor",
     "Early engagement; retention agreements for the five key officers."),
    ("constraint", "The current payroll contract at Riverside runs to March 2027", 5, 3,
     "Finance director, RCT", "Plan the Riverside migration as the last wave."),
    ("issue", "Eastmoor's pay data is not yet in the benchmarking return", 3, 2,
     "Graham Price", "Collect it by hand for the baseline."),
]


def load_planning_demo(project, lead) -> None:
    """Principles, scenarios and their scores, an idea, risks and a dependency (once)."""
    if project.principles.exists():
        return
    principles = [
        planning_services.principle_create(
            project=project,
            statement=statement,
            rationale=rationale,
            agreed_on=datetime.date(2026, 3, 12),
            agreed_by="North Vale joint programme board",
        )
        for statement, rationale in DEMO_PRINCIPLES
    ]
    cells = {}
    for title, likelihood, recommendation, scores, reasons in DEMO_SCENARIOS:
        scenario = planning_services.scenario_create(
            project=project,
            title=title,
            likelihood=likelihood,
            recommendation=recommendation,
            reasons=reasons,
        )
        for principle, score in zip(principles, scores, strict=True):
            cells[(scenario.pk, principle.pk)] = ("", score)
    planning_services.principle_scores_set(project=project, cells=cells)
    planning_services.scenario_choose(
        scenario=project.scenarios.first(),
        version=1,
        chosen_on=datetime.date(2026, 5, 14),
        chosen_by="North Vale joint programme board",
    )
    planning_services.idea_create(
        project=project,
        user=lead,
        note="Ask the Northern payroll consortium how they kept their staff through the move.",
        task_title="Visit a payroll service that has already been shared",
        intended_impact="Seen what good looks like, and what to avoid",
    )
    for kind, title, likelihood, impact, owner, mitigation in DEMO_RISKS:
        planning_services.risk_create(
            project=project,
            kind=kind,
            title=title,
            likelihood=likelihood,
            impact=impact,
            owner=owner,
            mitigation=mitigation,
        )
    planning_services.dependency_create(
        project=project,
        user=lead,
        description="The single HR and payroll system is procured before the first wave moves.",
        other_project_name="Regional ESR replacement programme",
        owner="Lena Okafor",
        status="at_risk",
    )
