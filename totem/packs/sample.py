"""Sample projects with every part of the record filled in: for the PDF benchmark, for tests that
check a full pack, and for looking at a big pack without typing one in.

Deterministic (a seeded random number generator) and fast: rows that have no service yet are
created in bulk.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from projects import services
from projects.models import (
    BaselineEntry,
    Comment,
    DesignPrinciple,
    Measurement,
    Objective,
    Organisation,
    PrincipleScore,
    Project,
    Risk,
    Scenario,
)
from projects.services.spc_state import indicators_spc_refresh

VERBS = ["Agree", "Map", "Benchmark", "Consult on", "Design", "Test", "Pilot", "Procure", "Train"]
THINGS = [
    "the case for change with the three boards",
    "current payroll processes and their costs",
    "payroll accuracy against the national median",
    "the new operating model with payroll staff",
    "the shared service's governance",
    "the self-service portal with managers",
    "the transfer of staff under TUPE",
    "the single payroll system",
    "team leaders in the new processes",
]
IMPACTS = [
    "Boards are committed to one shared payroll service and have minuted it",
    "Everyone agrees where each trust starts from, measured the same way",
    "Staff are paid correctly first time, every month",
    "Payroll staff expect the change to make their work better",
    "Managers approve changes on time without chasing",
]


def sample_project(
    *,
    organisation: Organisation,
    lead,
    title: str = "Sample shared payroll service",
    tasks: int = 10,
    impacts_per_task: int = 1,
    indicators_per_impact: int = 2,
    points: int = 24,
    seed: int = 7,
) -> Project:
    rng = random.Random(seed)
    project = services.project_create(
        user=lead,
        title=title,
        purpose=(
            "Three trusts each run a small payroll team with its own system. Errors and the cost "
            "per payslip are above the national median, and turnover in the teams is high."
        ),
        scope="Payroll and pensions administration. Recruitment and HR advice are out of scope.",
        stage=Project.Stage.DESIGN,
        lead_organisation=organisation,
    )
    start = datetime.date(2024, 1, 1)
    measurements, indicators = [], []
    for t in range(tasks):
        task = services.task_create(
            project=project,
            title=f"{rng.choice(VERBS)} {rng.choice(THINGS)}",
            owner="Lena Okafor",
            due=start + datetime.timedelta(days=60 * (t + 1)),
        )
        for m in range(impacts_per_task):
            impact = services.impact_create(task=task, statement=IMPACTS[(t + m) % len(IMPACTS)])
            for n in range(indicators_per_impact):
                baseline = Decimal(rng.randint(20, 80))
                indicator = services.indicator_create(
                    impact=impact,
                    name=f"Share of payslips right first time, measure {t + 1}.{m + 1}.{n + 1}",
                    kind="leading" if n == 0 else "lagging",
                    unit="%",
                    direction="up",
                    baseline_value=baseline,
                    baseline_date=start,
                    target_value=baseline + 15,
                    target_date=datetime.date(2026, 3, 31),
                    frequency="monthly",
                    source="Payroll system reports",
                )
                indicators.append(indicator)
                level = float(baseline)
                for month in range(points):
                    level += rng.uniform(-2, 2.6)
                    measurements.append(
                        Measurement(
                            project=project,
                            indicator=indicator,
                            date=_month(start, month),
                            value=Decimal(f"{level:.1f}"),
                        )
                    )
    Measurement.objects.bulk_create(measurements)
    indicators_spc_refresh(indicator_ids=[indicator.pk for indicator in indicators])
    _planning(project, indicators, rng, lead)
    return project


def _month(start: datetime.date, months: int) -> datetime.date:
    year, month = divmod(start.month - 1 + months, 12)
    return datetime.date(start.year + year, month + 1, 1)


def _planning(project: Project, indicators, rng: random.Random, lead) -> None:
    Objective.objects.bulk_create(
        Objective(
            project=project,
            position=i,
            statement=f"Raise payslips right first time from {ind.baseline_value:.0f}% to "
            f"{ind.target_value:.0f}% by March 2026",
            indicator=ind,
            baseline_value=ind.baseline_value,
            baseline_date=ind.baseline_date,
            target_value=ind.target_value,
            deadline=ind.target_date,
        )
        for i, ind in enumerate(indicators[:3], start=1)
    )
    principles = DesignPrinciple.objects.bulk_create(
        DesignPrinciple(project=project, position=i, statement=text, rationale=why)
        for i, (text, why) in enumerate(
            [
                ("Staff keep their terms and conditions", "Agreed with the trade unions."),
                ("One payroll system for all three trusts", "Two systems double the cost."),
                ("Managers change pay details themselves", "Removes re-keying errors."),
            ],
            start=1,
        )
    )
    scenarios = Scenario.objects.bulk_create(
        Scenario(
            project=project,
            position=i,
            title=title,
            expected_outcomes="Lower cost per payslip; fewer corrections.",
            likelihood=likelihood,
            recommendation=recommendation,
        )
        for i, (title, likelihood, recommendation) in enumerate(
            [
                ("Lead employer hosts the service", 70, Scenario.Recommendation.PROCEED),
                ("Outsource to a commercial provider", 20, Scenario.Recommendation.DO_NOT_PROCEED),
                ("Keep three teams, share one system", 45, Scenario.Recommendation.MORE_WORK),
            ],
            start=1,
        )
    )
    scores = list(PrincipleScore.Score.values)
    PrincipleScore.objects.bulk_create(
        PrincipleScore(
            project=project, scenario=scenario, principle=principle, score=rng.choice(scores)
        )
        for scenario in scenarios
        for principle in principles
    )
    BaselineEntry.objects.bulk_create(
        BaselineEntry(
            project=project,
            position=i,
            function="Payroll",
            organisation=name,
            as_of=datetime.date(2024, 3, 31),
            budget=Decimal(budget),
            wte=Decimal(wte),
            volumes="About 4,000 payslips a month",
            performance="97.1% right first time",
            operating_model="In-house team on the trust's own system",
        )
        for i, (name, budget, wte) in enumerate(
            [("North Vale", "1240000", "28.4"), ("Riverside", "610000", "14.2")], start=1
        )
    )
    Risk.objects.bulk_create(
        Risk(project=project, position=i, title=title, likelihood=lk, impact=im, owner="SRO",
             mitigation="Early engagement and a joint communications plan.")
        for i, (title, lk, im) in enumerate(
            [("Staff leave before transfer", 4, 4), ("System migration slips", 3, 5),
             ("Unions do not agree the principles", 2, 4)],
            start=1,
        )
    )
    Comment.objects.bulk_create(
        Comment(project=project, author=lead, body=body)
        for body in ["Please show cost per payslip against the national median.",
                     "The staff survey results are encouraging."]
    )
