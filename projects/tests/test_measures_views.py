"""Recording values, quick entry, the chart page, SPC settings, objectives, the baseline and the
status colours on the poster, through the pages a user sees."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import build_chain
from projects import spc, trajectory
from projects.models import BaselineEntry, ChangePoint, Indicator, Measurement, Objective
from projects.tests.factories import ImpactFactory, IndicatorFactory, ProjectFactory

ZIGZAG = [12, 10] * 6  # mean 11, limits 5.68 .. 16.32 (see test_spc.py)


def month(index: int) -> date:
    return date(2025 + index // 12, index % 12 + 1, 1)


def record(indicator, values, *, first=0, notes=None):
    for index, value in enumerate(values, start=first):
        Measurement.objects.create(
            project_id=indicator.project_id,
            indicator=indicator,
            date=month(index),
            value=value,
            note=(notes or {}).get(index, ""),
        )


def url(name, *args):
    return reverse(f"projects:{name}", args=args)


@pytest.fixture
def indicator(chain):
    indicator = chain[2]
    indicator.unit = "%"
    indicator.target_value = Decimal("20")
    indicator.frequency = "monthly"
    indicator.save()
    return indicator


# --- recording a value --------------------------------------------------------------------------


def test_a_lead_records_a_value(lead_client, lead, project, indicator):
    response = lead_client.post(
        url("measurement-record", project.pk, indicator.pk),
        {"date": "2026-04-01", "value": "12.5", "note": "First month", "evidence": "ESR report"},
    )
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert (measurement.date, measurement.value) == (date(2026, 4, 1), Decimal("12.5"))
    assert (measurement.note, measurement.evidence) == ("First month", "ESR report")
    assert measurement.recorded_by == lead
    assert measurement.project == project
    page = lead_client.get(response["Location"]).text
    assert "Recorded a value for 1 Apr 2026." in page
    assert "12.5%" in page


def test_re_entering_a_date_replaces_the_value_and_keeps_the_old_in_history(
    lead_client, project, indicator
):
    target = url("measurement-record", project.pk, indicator.pk)
    lead_client.post(target, {"date": "2026-04-01", "value": "12.5"})
    response = lead_client.post(target, {"date": "2026-04-01", "value": "11"}, follow=True)
    assert "Replaced the value for 1 Apr 2026." in response.text
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal("11")]
    history = Measurement.history.order_by("history_date")
    assert [(h.history_type, h.value) for h in history] == [("+", Decimal("12.5")), ("~", 11)]
    assert "<del>12.5%</del> → <ins>11%</ins>" in response.text


def test_the_form_for_a_recorded_date_is_filled_in(lead_client, project, indicator):
    record(indicator, [7], first=15)
    response = lead_client.get(
        url("measurement-record", project.pk, indicator.pk) + "?date=2026-04-01"
    )
    form = response.context["measurement_form"]
    assert form.initial["date"] == date(2026, 4, 1)
    assert form.instance.value == 7


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date": "2026-04-01", "value": "lots"}, "value", "Enter a number."),
        ({"date": "someday", "value": "3"}, "date", "Enter a valid date."),
        ({"date": "2026-04-01", "value": ""}, "value", "This field is required."),
        ({"date": "2026-04-01", "value": "1e30"}, "value", "no more than 18 digits"),
    ],
)
def test_a_bad_value_is_shown_beside_its_field(
    lead_client, project, indicator, data, field, message
):
    response = lead_client.post(url("measurement-record", project.pk, indicator.pk), data)
    assert response.status_code == 200
    form = response.context["measurement_form"]
    assert any(message in error for error in form.errors[field])
    assert f'id="id_{field}"' in response.text and "is-invalid" in response.text
    assert Measurement.objects.count() == 0


def test_deleting_a_value_keeps_it_in_the_history(lead_client, project, indicator):
    record(indicator, [7])
    measurement = Measurement.objects.get()
    response = lead_client.post(url("measurement-delete", project.pk, measurement.pk), follow=True)
    assert Measurement.objects.count() == 0
    assert "deleted the value of 1 Jan 2025" in response.text


def test_a_value_of_another_project_is_not_found(lead_client, project, indicator):
    other = IndicatorFactory()
    record(other, [1])
    response = lead_client.post(url("measurement-delete", project.pk, Measurement.objects.get().pk))
    assert response.status_code == 404
    assert Measurement.objects.count() == 1


# --- this month's figures -----------------------------------------------------------------------


@pytest.fixture
def three_indicators(project, chain):
    _, impact, monthly = chain
    quarterly = IndicatorFactory(impact=impact, name="Quarterly survey", frequency="quarterly")
    annual = IndicatorFactory(impact=impact, name="Annual audit", frequency="annually")
    record(quarterly, [50], first=14)  # March 2026: not due again until June
    return monthly, quarterly, annual


def test_quick_entry_lists_the_indicators_that_are_due(lead_client, project, three_indicators):
    monthly, quarterly, annual = three_indicators
    response = lead_client.get(url("measurement-quick-entry", project.pk) + "?date=2026-04-01")
    shown = [row.indicator for row, _, _ in response.context["shown"]]
    assert shown == [monthly, annual]
    assert "1 indicator not due is hidden" in response.text
    response = lead_client.get(
        url("measurement-quick-entry", project.pk) + "?date=2026-04-01&all=1"
    )
    assert len(response.context["shown"]) == 3


def test_quick_entry_saves_a_month_of_figures(lead_client, project, three_indicators):
    monthly, quarterly, annual = three_indicators
    record(monthly, [3], first=15)  # April 2026 already has a value: it is replaced
    response = lead_client.post(
        url("measurement-quick-entry", project.pk),
        {
            "date": "2026-04-01",
            f"value_{monthly.pk}": "4",
            f"note_{monthly.pk}": "Corrected",
            f"value_{annual.pk}": "",
            f"value_{quarterly.pk}": "55",  # not shown, yet typed: never lost
        },
        follow=True,
    )
    assert "Saved 2 values for April 2026; 1 replaced an earlier value" in response.text
    april = Measurement.objects.filter(date=date(2026, 4, 1))
    assert {(m.indicator, m.value, m.note) for m in april} == {
        (monthly, Decimal("4"), "Corrected"),
        (quarterly, Decimal("55"), ""),
    }
    assert Measurement.history.filter(id=april.get(indicator=monthly).pk).count() == 2


def test_quick_entry_saves_nothing_when_one_value_is_wrong(lead_client, project, three_indicators):
    monthly, _, annual = three_indicators
    response = lead_client.post(
        url("measurement-quick-entry", project.pk),
        {"date": "2026-04-01", f"value_{monthly.pk}": "4", f"value_{annual.pk}": "n/a"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {f"value_{annual.pk}": ["Enter a number."]}
    assert f'id="id_value_{annual.pk}-error"' in response.text
    assert Measurement.objects.filter(date=date(2026, 4, 1)).count() == 0


def test_quick_entry_with_nothing_typed(lead_client, project, three_indicators):
    response = lead_client.post(url("measurement-quick-entry", project.pk), {"date": "2026-04-01"})
    assert "Enter at least one value." in response.text


def test_quick_entry_survives_a_bad_period(lead_client, project, three_indicators):
    response = lead_client.get(url("measurement-quick-entry", project.pk) + "?date=31-31-31")
    assert response.status_code == 200
    assert response.context["period"] == date.today().replace(day=1)


# --- the chart page -----------------------------------------------------------------------------


def test_a_few_points_make_a_run_chart(client, member_of, project, indicator):
    record(indicator, [5, 7, 6])
    client.force_login(member_of("viewer"))
    response = client.get(url("indicator-detail", project.pk, indicator.pk))
    assert response.status_code == 200
    text = response.text
    assert "Run chart of" in text and "<svg" in text
    assert "There are only 3 points: process limits need at least 6" in text
    assert spc.RULE_SET in text, "the rule set is named on the page"
    assert text.count('class="spc-point spc-unassessed spc-provisional"') == 3
    assert "Record a value" not in text, "a viewer sees no forms"


def test_enough_points_make_an_xmr_chart_with_coloured_points(lead_client, project, indicator):
    record(indicator, [*ZIGZAG, 10, 20], notes={13: "New system live"})
    response = lead_client.get(url("indicator-detail", project.pk, indicator.pk))
    chart = response.context["chart"]
    assert chart.analysis.spc.chart_type == spc.CHART_XMR
    text = response.text
    assert "XmR chart of 14 points" in text
    assert text.count('class="spc-point spc-improvement spc-provisional"') == 1
    assert text.count('class="spc-point spc-common spc-provisional"') == 13
    assert "Upper limit 16.32" in text and "Mean 11" in text and "Target 20" in text
    assert "New system live" in text
    assert 'class="spc-note-marker"' in text
    assert "Special cause variation: improvement (higher values)" in text
    assert "Improvement: outside the limits" in text


def test_the_baseline_period_fixes_the_limits(lead_client, project, indicator):
    record(indicator, [*ZIGZAG, 30, 30, 30])
    target = url("indicator-spc", project.pk, indicator.pk)
    response = lead_client.post(
        target, {"spc_baseline_end": "2025-06-01", "version": indicator.version}, follow=True
    )
    assert "The limits are now fixed on the points up to 1 Jun 2025." in response.text
    indicator.refresh_from_db()
    assert indicator.spc_baseline_end == date(2025, 6, 1)
    segment = response.context["chart"].analysis.spc.segments[0]
    assert segment.baseline_count == 6 and segment.trial_limits


def test_a_stale_spc_setting_is_refused(lead_client, project, indicator):
    stale = indicator.version
    Indicator.objects.filter(pk=indicator.pk).update(version=stale + 1)
    response = lead_client.post(
        url("indicator-spc", project.pk, indicator.pk),
        {"spc_baseline_end": "2025-06-01", "version": stale},
    )
    assert response.status_code == 200
    assert "Someone else saved this" in response.text
    indicator.refresh_from_db()
    assert indicator.spc_baseline_end is None


def test_a_change_point_re_bases_the_limits_and_can_be_removed(lead_client, project, indicator):
    record(indicator, [*ZIGZAG, *([22, 20] * 6)])
    response = lead_client.post(
        url("change-point-create", project.pk, indicator.pk),
        {"date": "2026-01-01", "reason": "Shared service live"},
        follow=True,
    )
    assert "Marked a change on 1 Jan 2026" in response.text
    result = response.context["chart"].analysis.spc
    assert len(result.segments) == 2
    assert result.segments[1].limits.mean == pytest.approx(21)
    assert 'class="spc-change"' in response.text

    again = lead_client.post(
        url("change-point-create", project.pk, indicator.pk),
        {"date": "2026-01-01", "reason": "Twice"},
    )
    assert again.context["change_point_form"].errors["date"] == [
        "A change point is already marked on this date."
    ]
    change_point = ChangePoint.objects.get()
    lead_client.post(url("change-point-delete", project.pk, change_point.pk))
    assert ChangePoint.objects.count() == 0


# --- lists, the poster and the roll-up ----------------------------------------------------------


def test_icons_and_states_in_the_list_and_on_the_poster(lead_client, project, chain, indicator):
    record(indicator, [*ZIGZAG, 20])
    lagging = IndicatorFactory(impact=ImpactFactory(task=chain[0]), kind="lagging", name="Late")
    record(lagging, [1, 2])
    text = lead_client.get(url("indicator-list", project.pk)).text
    assert "Special cause variation: improvement (higher values)" in text
    assert "Assurance: will consistently miss the target" in text
    assert "Variation: not enough data (fewer than 6 points)" in text
    assert "No leading indicator" in text

    poster = lead_client.get(url("project-poster", project.pk) + "?colour=status").text
    assert "poster-by-status" in poster
    # An improving latest point that will still consistently miss the target is a concern:
    # the assurance speaks first (rollup.ROLLUP_RULE, trajectory.STATUS_RULE).
    assert "poster-state-concern" in poster and "poster-state-no-data" in poster
    assert 'class="poster-task-state poster-state-concern">Concern<' in poster
    assert "Special cause variation: improvement" in poster
    plain = lead_client.get(url("project-poster", project.pk)).text
    assert "poster-by-status" not in plain
    assert 'aria-label="Special cause variation: improvement (higher values)"' in plain


def test_the_poster_says_where_leading_indicators_have_no_values(lead_client, project, chain):
    text = lead_client.get(url("project-poster", project.pk) + "?colour=status").text
    assert "Leading indicator without values" in text


@pytest.mark.parametrize(
    "page", ["indicator-list", "project-poster", "project-chain", "measurement-quick-entry"]
)
def test_query_count_does_not_grow_with_the_data(client, member_of, page):
    counts = {}
    for size, months in ((3, 2), (40, 24)):
        project = ProjectFactory()
        build_chain(project, tasks=size, impacts_per_task=1, indicators_per_impact=3)
        indicators = list(Indicator.objects.filter(project=project))
        Measurement.objects.bulk_create(
            Measurement(project=project, indicator=i, date=month(m), value=m % 5)
            for i in indicators
            for m in range(months)
        )
        ChangePoint.objects.create(
            project=project, indicator=indicators[0], date=month(1), reason="x"
        )
        client.force_login(member_of("lead", project=project))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(page, project.pk)).status_code == 200
        counts[size] = len(queries)
    assert counts[3] == counts[40], counts


def test_the_chart_page_query_count_does_not_grow_with_the_values(lead_client, project, indicator):
    lead_client.get(url("indicator-detail", project.pk, indicator.pk))  # warm caches
    counts = {}
    for months in (3, 36):
        Measurement.objects.all().delete()
        record(indicator, range(months))
        with CaptureQueriesContext(connection) as queries:
            lead_client.get(url("indicator-detail", project.pk, indicator.pk))
        counts[months] = len(queries)
    assert counts[3] == counts[36], counts


# --- objectives ---------------------------------------------------------------------------------


def test_a_lead_adds_an_objective_and_sees_its_status(lead_client, project, indicator):
    indicator.baseline_value, indicator.baseline_date = Decimal("10"), date(2025, 1, 1)
    indicator.save()
    record(indicator, [11, 12, 13, 14], first=1)  # Feb to May 2025
    response = lead_client.post(
        url("objective-create", project.pk),
        {
            "statement": "Raise the rate to 20% within two years",
            "indicator": indicator.pk,
            "target_value": "20",
            "deadline": "2026-12-31",
        },
        follow=True,
    )
    assert "Added the objective." in response.text
    objective = Objective.objects.get()
    # The indicator's baseline fills in what the form left blank.
    assert (objective.baseline_value, objective.baseline_date) == (10, date(2025, 1, 1))
    (status,) = response.context["statuses"]
    assert status.status in (trajectory.ON_TRACK, trajectory.ACHIEVED, trajectory.MISSED)
    assert trajectory.TRAJECTORY_RULE in response.text
    assert 'role="progressbar"' in response.text


def test_an_objective_without_measurements_has_no_data(lead_client, project, indicator):
    Objective.objects.create(
        project=project,
        statement="Cut costs",
        indicator=indicator,
        baseline_value=10,
        baseline_date=date(2026, 1, 1),
        target_value=5,
        deadline=date(2099, 1, 1),
    )
    Objective.objects.create(project=project, statement="Vague")
    response = lead_client.get(url("objective-list", project.pk))
    assert [s.status for s in response.context["statuses"]] == [trajectory.NO_DATA] * 2
    assert "No measurements since the baseline yet" in response.text
    assert "No status yet: it needs the indicator that measures it" in response.text


def test_an_objective_that_cannot_be_judged_says_why(lead_client, project, indicator):
    Objective.objects.create(  # saved before the form refused a deadline before the baseline
        project=project,
        statement="Cut costs",
        indicator=indicator,
        baseline_value=10,
        baseline_date=date(2026, 1, 1),
        target_value=5,
        deadline=date(2025, 1, 1),
    )
    response = lead_client.get(url("objective-list", project.pk))
    assert "No status yet: the deadline is before the baseline date." in response.text


def test_objective_errors_are_shown_beside_their_fields(lead_client, project, indicator):
    response = lead_client.post(
        url("objective-create", project.pk),
        {"statement": "", "baseline_date": "2026-05-01", "deadline": "2026-01-01"},
    )
    errors = response.context["form"].errors
    assert errors["statement"] == ["This field is required."]
    assert errors["deadline"] == ["The deadline must be after the baseline date."]
    assert Objective.objects.count() == 0


def test_an_objective_cannot_use_another_projects_indicator(lead_client, project):
    foreign = IndicatorFactory()
    response = lead_client.post(
        url("objective-create", project.pk), {"statement": "x", "indicator": foreign.pk}
    )
    assert "indicator" in response.context["form"].errors
    assert Objective.objects.count() == 0


def test_a_stale_objective_edit_is_refused(lead_client, project):
    objective = Objective.objects.create(project=project, statement="Cut costs by 20%")
    stale = objective.version
    Objective.objects.filter(pk=objective.pk).update(version=stale + 1, statement="Theirs")
    response = lead_client.post(
        url("objective-edit", project.pk, objective.pk),
        {"statement": "Mine", "version": stale},
    )
    assert "Someone else saved this" in response.text
    objective.refresh_from_db()
    assert objective.statement == "Theirs"


def test_objectives_edit_and_delete(lead_client, project):
    objective = Objective.objects.create(project=project, statement="Cut costs by 20%")
    lead_client.post(
        url("objective-edit", project.pk, objective.pk),
        {"statement": "Cut legal costs by 20% in a year", "version": objective.version},
    )
    objective.refresh_from_db()
    assert objective.statement == "Cut legal costs by 20% in a year"
    assert objective.version == 2
    lead_client.post(url("objective-delete", project.pk, objective.pk))
    assert Objective.objects.count() == 0
    assert Objective.history.filter(history_type="-").count() == 1


# --- the baseline -------------------------------------------------------------------------------


def test_baseline_entries_are_added_edited_and_deleted(lead_client, project):
    response = lead_client.post(
        url("baseline-create", project.pk),
        {
            "function": "Payroll",
            "organisation": "North Vale",
            "as_of": "2026-03-31",
            "budget": "1240000",
            "wte": "28.4",
            "volumes": "9,800 payslips a month",
            "performance": "2.6% corrected",
            "operating_model": "In-house",
            "source": "ESR",
        },
        follow=True,
    )
    assert "Added the baseline entry." in response.text
    assert "£1,240,000" in response.text
    entry = BaselineEntry.objects.get()
    response = lead_client.post(
        url("baseline-edit", project.pk, entry.pk),
        {"function": "Payroll", "budget": "-5", "version": entry.version},
    )
    assert response.context["form"].errors["budget"] == [
        "Ensure this value is greater than or equal to 0."
    ]
    lead_client.post(url("baseline-delete", project.pk, entry.pk))
    assert BaselineEntry.objects.count() == 0


def test_a_governor_reads_but_does_not_write(client, member_of, project, indicator):
    record(indicator, [1, 2, 3])
    client.force_login(member_of("governor"))
    for page in ("indicator-list", "objective-list", "baseline-list"):
        text = client.get(url(page, project.pk)).text
        assert "Enter this month" not in text and "Add an objective" not in text
        assert "Add a function" not in text
    response = client.post(
        url("measurement-record", project.pk, indicator.pk), {"date": "2026-04-01", "value": "1"}
    )
    assert response.status_code == 403
    assert Measurement.objects.count() == 3


def test_objectives_and_baseline_entries_show_in_the_history_and_come_back(lead_client, project):
    objective = Objective.objects.create(project=project, statement="Cut legal costs by 20%")
    lead_client.post(url("objective-delete", project.pk, objective.pk))
    BaselineEntry.objects.create(project=project, function="Legal", organisation="North Vale")
    response = lead_client.get(url("project-history", project.pk))
    entries = {(e.kind, e.action, e.label) for e in response.context["entries"]}
    assert ("objective", "deleted", "Cut legal costs by 20%") in entries
    assert ("baseline", "created", "Legal (North Vale)") in entries
    deleted = next(e for e in response.context["entries"] if e.action == "deleted")
    assert deleted.restorable
    lead_client.post(url("record-restore", project.pk, "objective", deleted.history_id))
    assert Objective.objects.get().statement == "Cut legal costs by 20%"


def test_user_text_is_escaped_on_every_page(lead_client, project, indicator):
    hostile = "<script>alert(1)</script>"
    indicator.name = indicator.unit = hostile
    indicator.save()
    record(indicator, [*ZIGZAG, 30], notes={12: hostile})
    Objective.objects.create(project=project, statement=hostile, indicator=indicator)
    BaselineEntry.objects.create(project=project, function=hostile, volumes=hostile)
    pages = [
        url(name, project.pk)
        for name in ("indicator-list", "measurement-quick-entry", "objective-list", "baseline-list")
    ]
    pages += [url("indicator-detail", project.pk, indicator.pk)]
    pages += [url("project-poster", project.pk) + "?colour=status"]
    for page in pages:
        text = lead_client.get(page).text
        assert hostile not in text, page
