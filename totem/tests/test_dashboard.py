"""The portfolio dashboard: what each reader sees, its filters and exports, its fixed number of
queries, and one status for an objective on every page that shows it."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import ChecklistTemplate
from assessments.services import checklist_start
from projects import rollup, spc, trajectory
from projects.models import Objective, ProjectRole, SpcState
from projects.selectors import project_chain
from projects.selectors.measures import impact_state, indicator_analysis, objectives_with_status
from projects.services.measures import MeasurementEntry, measurements_record, objective_create
from projects.tests.factories import (
    ImpactFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    TaskFactory,
    UserFactory,
)
from totem.models import Decision
from totem.packs.record import ProjectRecord
from totem.packs.sections import _objective_line
from totem.review import portfolio
from totem.tests.factories import ready_pack

Role = ProjectRole.Role


def month(index: int) -> date:
    return date(2025 + index // 12, index % 12 + 1, 1)


def record(indicator, values, user=None):
    entries = [MeasurementEntry(indicator, month(i), Decimal(str(v))) for i, v in enumerate(values)]
    measurements_record(project=indicator.project, entries=entries, user=user)


def indicator_in(project, **fields):
    impact = ImpactFactory(task=TaskFactory(project=project))
    return IndicatorFactory(impact=impact, **fields)


# A series rising half a unit a month from 50: a trend (special cause of improvement), limits
# from its own first 12 points at 52.75 +- 2.66 x 0.5, so a target of 100 will consistently be
# missed; yet the trend line, read in 2035, passes 100, so the trajectory alone says on track.
RISING = [50 + i / 2 for i in range(12)]


def contradicting_objective(project):
    """The case that contradicted itself: on track by the trend line, off target by the chart."""
    indicator = indicator_in(project, name="Payslips right", direction="up", target_value=100)
    record(indicator, RISING)
    objective = objective_create(
        project=project,
        statement="Get payslips right first time",
        indicator=indicator,
        baseline_value=Decimal(49),
        baseline_date=date(2024, 12, 1),
        target_value=Decimal(100),
        deadline=date(2035, 1, 1),
    )
    return indicator, objective


@pytest.fixture
def governor(project):
    user = UserFactory(username="governor")
    MembershipFactory(user=user, organisation=project.lead_organisation)
    ProjectRoleFactory(project=project, user=user, role=Role.GOVERNOR)
    return user


# --- one status everywhere ----------------------------------------------------------------------


def test_the_trend_line_and_the_chart_give_one_status_everywhere(client, project, governor):
    indicator, objective = contradicting_objective(project)
    today = timezone.localdate()

    # The parts on their own disagree: this is the case a board saw twice.
    analysis = indicator_analysis(project_chain(project)[-1].impacts.all()[0].indicators.all()[0])
    assert analysis.assurance == spc.ASSURANCE_FAILING
    assert analysis.variation == spc.VARIATION_IMPROVEMENT
    (status,) = objectives_with_status(project, today=today)
    assert status.trajectory.status == trajectory.ON_TRACK

    # One answer: off track, decided by the chart's assurance, with the sentence that says so.
    assert status.status == trajectory.OFF_TRACK
    assert status.verdict.decided_by == trajectory.DECIDED_BY_ASSURANCE
    assert "consistently miss the target" in status.reconciled

    client.force_login(governor)
    page = client.get(reverse("projects:objective-list", args=[project.pk])).text
    assert "status-off-track" in page and "Off track" in page
    assert "although the trend line alone reads on track" in page
    assert trajectory.STATUS_RULE[:60] in page

    line = _objective_line(objective, ProjectRecord(project), today)
    assert line.status == "Off track"

    (row,) = portfolio.portfolio_summaries(governor, today=today)
    assert row.status == portfolio.OFF_TRACK and row.off_track == 1 and row.on_track == 0
    assert row.concerns == 1

    # The poster colours the indicator, its impact and task as a concern, not as happening.
    stored = SpcState.objects.get(indicator=indicator)
    assert stored.state == rollup.CONCERN
    impact = project_chain(project)[-1].impacts.all()[0]
    assert impact_state(impact).code == rollup.CONCERN
    poster = client.get(reverse("projects:project-poster", args=[project.pk]) + "?colour=status")
    assert 'class="poster-task-state poster-state-concern">Concern<' in poster.text

    dashboard = client.get(reverse("review:portfolio")).text
    assert "status-off-track" in dashboard


def test_an_improving_indicator_beside_an_objective_at_risk_is_explained(project, governor):
    # Hit and miss (the target lies within the limits), improving, and the trend line short of
    # the target: the trajectory decides, and one sentence says why the icon looks better.
    indicator = indicator_in(project, direction="up", target_value=Decimal("56"))
    values = [50, 52, 50, 52, 50, 52, 50, 52, 50, 52, 50, 52, 53, 54, 55, 56, 56.5, 57]
    record(indicator, values[:12] + [55, 55.5, 56, 56.5, 57, 57.5])
    objective_create(
        project=project,
        statement="More payslips right",
        indicator=indicator,
        baseline_value=Decimal(50),
        baseline_date=date(2024, 12, 1),
        target_value=Decimal(70),
        deadline=date(2026, 12, 31),
    )
    (status,) = objectives_with_status(project, today=date(2026, 7, 1))
    assert SpcState.objects.get(indicator=indicator).assurance == spc.ASSURANCE_HIT_AND_MISS
    assert SpcState.objects.get(indicator=indicator).variation == spc.VARIATION_IMPROVEMENT
    assert status.verdict.decided_by == trajectory.DECIDED_BY_TRAJECTORY
    assert status.status in (trajectory.AT_RISK, trajectory.OFF_TRACK)
    assert status.reconciled.startswith("The indicator is improving")


@pytest.mark.parametrize(
    ("trend", "assurance", "variation", "status", "by"),
    [
        ("on-track", spc.ASSURANCE_FAILING, spc.VARIATION_IMPROVEMENT, "off-track", "assurance"),
        ("off-track", spc.ASSURANCE_PASSING, spc.VARIATION_COMMON, "on-track", "assurance"),
        ("at-risk", spc.ASSURANCE_HIT_AND_MISS, spc.VARIATION_COMMON, "at-risk", "trajectory"),
        ("on-track", spc.NOT_ENOUGH_DATA, spc.NOT_ENOUGH_DATA, "on-track", "trajectory"),
        ("missed", spc.ASSURANCE_PASSING, spc.VARIATION_COMMON, "missed", "deadline"),
        ("no-data", spc.ASSURANCE_FAILING, spc.VARIATION_COMMON, "no-data", "deadline"),
    ],
)  # fmt: skip
def test_decide_status(trend, assurance, variation, status, by):
    verdict = trajectory.decide_status(trend, assurance=assurance, variation=variation)
    assert (verdict.status, verdict.decided_by) == (status, by)


# --- what each reader sees ---------------------------------------------------------------------


def test_each_reader_sees_only_their_projects(client, project, governor):
    contradicting_objective(project)
    other = ProjectFactory(title="Another trust's secret project")
    ProjectRoleFactory(project=other, role=Role.LEAD)
    partnered = ProjectFactory(title="Shared payroll")
    partnered.partner_organisations.add(project.lead_organisation)
    ProjectRoleFactory(project=partnered, user=governor, role=Role.VIEWER)

    client.force_login(governor)
    page = client.get(reverse("review:portfolio")).text
    assert project.title in page and "Shared payroll" in page
    assert "secret project" not in page

    org_page = client.get(reverse("review:org-dashboard", args=[project.lead_organisation.pk]))
    assert project.title in org_page.text and "Shared payroll" in org_page.text
    assert reverse("review:portfolio-current", args=[project.lead_organisation.pk]) in org_page.text

    # Not a member of the other trust: its dashboard does not exist for this governor.
    theirs = reverse("review:org-dashboard", args=[other.lead_organisation.pk])
    assert client.get(theirs).status_code == 404


def test_an_archived_project_is_left_out(client, project, governor):
    project.archived_at = timezone.now()
    project.save()
    client.force_login(governor)
    page = client.get(reverse("review:portfolio")).text
    assert project.title not in page
    assert "You hold no role on a project yet." in page


def test_columns_of_a_row(client, project, governor):
    indicator, _ = contradicting_objective(project)
    lead = UserFactory()
    ProjectRoleFactory(project=project, user=lead, role=Role.LEAD)
    pack = ready_pack(project=project)
    Decision.objects.create(
        project=project, pack=pack, outcome=Decision.Outcome.DEFERRED,
        conditions="Come back with costs", decided_on=date(2026, 11, 1), pack_sha256=pack.sha256,
    )  # fmt: skip
    (row,) = portfolio.portfolio_summaries(governor, today=date(2026, 12, 4))
    assert row.role == Role.GOVERNOR
    assert row.variation[spc.VARIATION_IMPROVEMENT] == 1
    assert row.assurance[spc.ASSURANCE_FAILING] == 1
    assert row.last_pack == pack and row.last_decision.outcome == Decision.Outcome.DEFERRED
    assert len(row.decisions_waiting) == 1 and "Deferred" in row.decisions_waiting[0]
    assert row.outcome_focus is not None
    assert row.needs_attention
    assert "1 objective off track" in row.attention_reasons


def test_overdue_figures_use_the_due_dates(project, governor):
    late = indicator_in(project, frequency="monthly")
    record(late, [1, 2, 3])  # the latest for March 2025: long overdue by December 2026
    indicator_in(project, frequency="ad_hoc")
    (row,) = portfolio.portfolio_summaries(governor, today=date(2026, 12, 4))
    assert row.overdue == 1
    assert "1 figure overdue" in row.attention_reasons


def test_filters_and_needs_attention(client, project, governor):
    contradicting_objective(project)
    calm = ProjectFactory(title="A calm project", lead_organisation=project.lead_organisation)
    calm.stage = "design"
    calm.save()
    ProjectRoleFactory(project=calm, user=governor, role=Role.GOVERNOR)
    client.force_login(governor)
    url = reverse("review:portfolio")

    page = client.get(url, {"attention": "on"}).text
    assert project.title in page and "A calm project" not in page
    page = client.get(url, {"stage": "design"}).text
    assert project.title not in page and "A calm project" in page
    page = client.get(url, {"status": "off-track"}).text
    assert project.title in page and "A calm project" not in page
    # Unknown values are ignored, not a 500.
    odd = {"stage": "nonsense", "sort": "x", "organisation": "y"}
    assert client.get(url, odd).status_code == 200
    ordered = client.get(url, {"sort": "title", "descending": "on"}).text
    assert ordered.index(project.title) < ordered.index("A calm project")


# --- exports -----------------------------------------------------------------------------------


def test_csv_and_xlsx_exports_follow_the_filters(client, project, governor):
    contradicting_objective(project)
    calm = ProjectFactory(title="=HYPERLINK(1)", lead_organisation=project.lead_organisation)
    ProjectRoleFactory(project=calm, user=governor, role=Role.GOVERNOR)
    client.force_login(governor)

    response = client.get(reverse("review:portfolio-export", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Project", "Lead organisation", "Stage", "Your role", "Status"]
    by_title = {row[0]: row for row in rows[1:]}
    assert set(by_title) == {project.title, "'=HYPERLINK(1)"}  # no formula reaches Excel
    header = rows[0]
    mine = by_title[project.title]
    assert mine[header.index("Status")] == "Off track"
    assert mine[header.index("Objectives off track")] == "1"
    assert mine[header.index("Variation: Special cause: improvement")] == "1"
    assert mine[header.index("Link")].endswith(f"/projects/{project.pk}/")

    response = client.get(reverse("review:portfolio-export", args=["xlsx"]), {"attention": "on"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Project"
    assert [row[0] for row in values[1:]] == [project.title]

    assert client.get(reverse("review:portfolio-export", args=["pdf"])).status_code == 404


# --- a fixed number of queries -----------------------------------------------------------------


def _portfolio_of(size: int, user):
    organisation = OrganisationFactory()
    MembershipFactory(user=user, organisation=organisation)
    template = ChecklistTemplate.objects.filter(status="published").first()
    for n in range(size):
        project = ProjectFactory(title=f"Project {n:03}", lead_organisation=organisation)
        ProjectRoleFactory(project=project, user=user, role=Role.GOVERNOR)
        indicator = indicator_in(project, frequency="monthly", target_value=5)
        if n % 3 == 0:
            record(indicator, [1, 2, 3, 4, 5, 6])
        Objective.objects.create(
            project=project, statement="Up", indicator=indicator, baseline_value=0,
            baseline_date=date(2024, 1, 1), target_value=5, deadline=date(2027, 1, 1),
        )  # fmt: skip
        if n % 5 == 0:
            checklist_start(project=project, template=template, title="Gateway", user=None)
        if n % 2 == 0:
            pack = ready_pack(project=project)
            Decision.objects.create(
                project=project, pack=pack, outcome="approved", decided_on=date(2026, 1, 1),
                pack_sha256=pack.sha256,
            )  # fmt: skip
    return organisation


def _queries_for_dashboard(client, user, organisation) -> tuple[int, int]:
    client.force_login(user)
    counts = []
    urls = [reverse("review:portfolio"), reverse("review:org-dashboard", args=[organisation.pk])]
    for url in urls:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return tuple(counts)


@pytest.mark.django_db
def test_the_dashboard_reads_in_a_fixed_number_of_queries(client, media_root):
    small_user, big_user = UserFactory(username="small"), UserFactory(username="big")
    small = _queries_for_dashboard(client, small_user, _portfolio_of(3, small_user))
    big = _queries_for_dashboard(client, big_user, _portfolio_of(300, big_user))
    assert small == big
    # And fewer when every outcome-focus score is in the cache already.
    client.get(reverse("review:portfolio"))
    with CaptureQueriesContext(connection) as warm:
        client.get(reverse("review:portfolio"))
    assert len(warm) <= big[0] - 5
