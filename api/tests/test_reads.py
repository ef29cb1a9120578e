"""What an analyst reads: the tidy feed, indicators with SPC state, objectives, readiness and
self-assessment rounds; the same figures as the pages, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import build_chain
from projects import imports
from projects.models import Indicator, Measurement, Objective
from projects.selectors.measures import indicator_analysis, indicator_for_page
from projects.tests.factories import (
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

SHIFT = [10, 11, 10, 12, 11, 10, 11, 12, 10, 11, 11, 10, 15, 16, 15, 17, 16, 15, 16, 17]


def record(indicator, values, *, start=datetime.date(2024, 1, 1), user=None, note=""):
    for month, value in enumerate(values):
        year, index = divmod(start.month - 1 + month, 12)
        Measurement.objects.create(
            project_id=indicator.project_id,
            indicator=indicator,
            date=datetime.date(start.year + year, index + 1, 1),
            value=Decimal(value),
            recorded_by=user,
            note=note,
        )


def pull(client, url, **params):
    """Every row of a paged endpoint, following `next` as Power BI's query does."""
    rows, response = [], client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        page = response.json()
        rows.extend(page["results"])
        if not page["next"]:
            return rows
        response = client.get(page["next"])


def test_the_tidy_feed_rebuilds_the_spreadsheet_export_exactly(
    client, project, chain, lead, api_as
):
    """Script-style, as an analyst would: pull the feed page by page with a token, put its
    columns back in the export's order, and compare with the CSV the page downloads."""
    _, impact, indicator = chain
    lead.first_name, lead.last_name = "Ada", "Lovelace"
    lead.save()
    indicator.unit, indicator.baseline_value, indicator.target_value = "%", 12, Decimal("17.5")
    indicator.baseline_date, indicator.target_date = datetime.date(2023, 12, 1), None
    indicator.save()
    record(indicator, SHIFT, user=lead, note="=SUM(A1) after the new rota")
    other = IndicatorFactory(impact=impact, name="Payslips, corrected", kind="lagging", unit="£")
    record(other, ["1234.5", "0.0001", "-3"], start=datetime.date(2025, 11, 1))

    rows = pull(api_as(lead), f"/api/v1/projects/{project.pk}/tidy/", page_size=7)

    assert len(rows) == len(SHIFT) + 3
    rebuilt = [
        [row["period" if column == "date" else column] for column in imports.EXPORT_COLUMNS]
        for row in rows
    ]
    for cells in rebuilt:  # JSON numbers and ISO dates back to what the export writes
        for index, column in enumerate(imports.EXPORT_COLUMNS):
            if column in ("baseline", "target", "value") and cells[index] is not None:
                cells[index] = Decimal(str(cells[index]))
            elif column.endswith("date") and cells[index]:
                cells[index] = datetime.date.fromisoformat(cells[index])
    client.force_login(lead)
    export = client.get(reverse("projects:measurement-export", args=[project.pk, "csv"]))
    assert imports.csv_bytes(imports.EXPORT_COLUMNS, rebuilt) == export.content
    # …and each row carries its period's SPC signal and the indicator's icons.
    last = [row for row in rows if row["indicator_id"] == indicator.pk][-1]
    assert last["signal"] == "improvement" and "shift" in last["rules"]
    assert last["variation_icon"] == "special-cause-improvement"
    assert last["variation_side"] == "high"
    analysis = indicator_analysis(indicator_for_page(project, indicator.pk))
    assert last["assurance_icon"] == analysis.assurance == "consistently-failing"


def test_indicators_carry_the_same_spc_state_as_the_indicator_page(project, chain, lead, api_as):
    _, _, indicator = chain
    record(indicator, SHIFT)
    rows = pull(api_as(lead), f"/api/v1/projects/{project.pk}/indicators/")
    [data] = rows
    page = indicator_analysis(indicator_for_page(project, indicator.pk))
    assert data["spc"]["variation"] == page.variation == "special-cause-improvement"
    assert data["spc"]["assurance"] == page.assurance
    assert data["spc"]["state"] == page.state.code
    assert [v["signal"] for v in data["values"]] == [p.classification for p in page.spc.points]
    assert [v["value"] for v in data["values"]] == [float(v) for v in SHIFT]
    period = data["spc"]["periods"][0]
    limits = page.spc.segments[0].limits
    assert (period["mean"], period["upper_limit"]) == (limits.mean, limits.upper)
    assert data["task"]["title"] == indicator.impact.task.title


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_indicators_and_tidy_feed_take_a_fixed_number_of_queries(project, lead, api_as):
    client = api_as(lead)
    client.get("/api/v1/projects/")  # the token's first use records it; later ones do not
    build_chain(project, tasks=1, indicators_per_impact=1)
    for indicator in Indicator.objects.filter(project=project):
        record(indicator, SHIFT[:3])
    urls = [
        f"/api/v1/projects/{project.pk}/{path}/?page_size=1000"
        for path in ("indicators", "tidy", "chain")
    ]
    small = [_queries(client, url) for url in urls]
    build_chain(project, tasks=5, indicators_per_impact=3)
    for indicator in Indicator.objects.filter(project=project, measurements__isnull=True):
        record(indicator, SHIFT)
    assert [_queries(client, url) for url in urls] == small


def test_updated_since_returns_only_what_changed(project, chain, lead, api_as):
    _, impact, indicator = chain
    quiet = IndicatorFactory(impact=impact, name="Quiet")
    record(indicator, SHIFT[:3])
    record(quiet, SHIFT[:3])
    past = timezone.now() - datetime.timedelta(days=2)
    Measurement.objects.update(recorded_at=past)
    Indicator.objects.update(updated_at=past)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    client = api_as(lead)
    base = f"/api/v1/projects/{project.pk}"
    assert pull(client, f"{base}/indicators/", updated_since=since) == []
    assert pull(client, f"{base}/tidy/", updated_since=since) == []
    Measurement.objects.filter(indicator=indicator, date=datetime.date(2024, 2, 1)).update(
        value=99, recorded_at=timezone.now()
    )
    [changed] = pull(client, f"{base}/indicators/", updated_since=since)
    assert changed["id"] == indicator.pk and 99.0 in [v["value"] for v in changed["values"]]
    [row] = pull(client, f"{base}/tidy/", updated_since=since)
    assert (row["indicator_id"], row["period"], row["value"]) == (indicator.pk, "2024-02-01", 99)
    quiet.target_value = 5
    quiet.save()  # a new target changes every row of the indicator
    assert len(pull(client, f"{base}/tidy/", updated_since=since)) == 4


def test_objectives_with_their_status(project, chain, lead, api_as):
    _, _, indicator = chain
    record(indicator, SHIFT[:6], start=datetime.date(2026, 1, 1))
    Objective.objects.create(
        project=project,
        statement="Raise completion to 20 by December",
        indicator=indicator,
        baseline_value=10,
        baseline_date=datetime.date(2025, 12, 1),
        target_value=20,
        deadline=datetime.date(2026, 12, 1),
    )
    Objective.objects.create(project=project, statement="Cut legal costs by 20%")
    judged, unjudged = api_as(lead).get(f"/api/v1/projects/{project.pk}/objectives/").json()
    assert judged["status"] not in ("", "no-data") and judged["progress_percent"] is not None
    assert unjudged["status"] == "no-data"
    assert "the indicator that measures it" in unjudged["missing"]


def test_readiness_verdicts(project, lead, api_as):
    from assessments import services
    from assessments.models import ChecklistTemplate

    template = ChecklistTemplate.objects.filter(status="published").first()
    services.checklist_start(project=project, template=template, title="Gateway 1", user=lead)
    [checklist] = api_as(lead).get(f"/api/v1/projects/{project.pk}/readiness/").json()
    assert checklist["title"] == "Gateway 1"
    assert checklist["verdict"] == "Not ready to proceed" and checklist["ready"] is False
    assert checklist["gaps"] and checklist["gaps"][0]["must_have"] is True


@pytest.fixture
def rounds(project):
    """A round of the project's organisation; a partner's submitted round shared with it; and
    a stranger's round shared with nobody."""
    from assessments import services
    from assessments.models import Assessment, Framework

    framework = Framework.objects.filter(status="published").first()

    def open_round(organisation, name):
        return services.assessment_open(
            organisation=organisation,
            framework=framework,
            name=name,
            assessed_on=datetime.date(2026, 3, 1),
            user=None,
        )

    own = open_round(project.lead_organisation, "Our baseline")
    partner = open_round(OrganisationFactory(name="Partner college"), "Partner baseline")
    level = framework.levels.order_by("position").first()
    partner.answers.update(level=level)
    Assessment.objects.filter(pk=partner.pk).update(status=Assessment.Status.SUBMITTED)
    partner.refresh_from_db()
    services.assessment_share_set(
        assessment=partner, partners=[project.lead_organisation], user=None
    )
    stranger = open_round(OrganisationFactory(name="Elsewhere"), "Private")
    return own, partner, stranger


def test_rounds_of_the_readers_organisations_and_those_shared_with_them(rounds, lead, api_as):
    own, partner, stranger = rounds
    client = api_as(lead)
    listed = pull(client, "/api/v1/assessments/")
    assert {r["id"] for r in listed} == {own.pk, partner.pk}
    results = client.get(f"/api/v1/assessments/{partner.pk}/").json()
    assert results["organisation"]["name"] == "Partner college"
    assert results["scored"] == sum(results["totals"]) > 0 and results["unscored"] == 0
    assert results["domains"][0]["answers"][0]["level"] == results["levels"][0]
    assert client.get(f"/api/v1/assessments/{stranger.pk}/").status_code == 404
    outsider = api_as(MembershipFactory(user=UserFactory()).user)
    assert outsider.get(f"/api/v1/assessments/{own.pk}/").status_code == 404
