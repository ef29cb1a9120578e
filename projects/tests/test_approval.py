"""Figures signed off: provisional until approved, approved a month at once, returned or
re-opened with a reason kept in the history, locked once approved; who may approve; hollow
provisional points on the chart; "N of M figures approved" in the governors' pack."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from projects.models import Measurement, ProjectRole
from projects.services import approval
from projects.services.measures import MeasurementEntry, measurements_record
from projects.tests.factories import ImpactFactory, IndicatorFactory, TaskFactory
from totem.packs.record import ProjectRecord
from totem.packs.sections import present_charts, present_summary

Approval = Measurement.Approval


def month(index: int) -> date:
    return date(2026, index + 1, 1)


def record(indicator, values, user=None, first=0):
    entries = [
        MeasurementEntry(indicator, month(first + i), Decimal(str(v))) for i, v in enumerate(values)
    ]
    return measurements_record(project=indicator.project, entries=entries, user=user)


@pytest.fixture
def two_indicators(project):
    impact = ImpactFactory(task=TaskFactory(project=project))
    return IndicatorFactory(impact=impact, name="Payslips"), IndicatorFactory(
        impact=impact, name="Queries"
    )


def test_recording_submits_and_the_lead_approves_a_whole_month(project, lead, two_indicators):
    payslips, queries = two_indicators
    record(payslips, [1, 2], user=lead)
    record(queries, [5], user=lead)
    assert set(Measurement.objects.values_list("approval", flat=True)) == {Approval.SUBMITTED}

    assert approval.figures_approve_period(project=project, user=lead, period=month(0)) == 2
    january = Measurement.objects.filter(date=month(0))
    assert {m.approval for m in january} == {Approval.APPROVED}
    assert {m.approved_by for m in january} == {lead}
    assert Measurement.objects.get(date=month(1)).approval == Approval.SUBMITTED


def test_an_approved_value_is_locked_until_reopened_with_a_reason(project, lead, two_indicators):
    payslips, _ = two_indicators
    record(payslips, [1], user=lead)
    approval.figures_approve_period(project=project, user=lead, period=month(0))
    with pytest.raises(ValidationError, match="approved and locked"):
        record(payslips, [9], user=lead)
    assert Measurement.objects.get().value == 1

    figure = Measurement.objects.select_related("indicator__project").get()
    with pytest.raises(ValidationError):
        approval.figure_reopen(measurement=figure, user=lead, reason="  ")
    approval.figure_reopen(measurement=figure, user=lead, reason="The payroll run was re-done")
    record(payslips, [9], user=lead)
    figure.refresh_from_db()
    assert (figure.value, figure.approval) == (9, Approval.SUBMITTED)
    # The history keeps the approval, the re-opening with its reason, and the new value.
    steps = list(Measurement.history.filter(id=figure.pk).order_by("history_date", "history_id"))
    assert [s.approval for s in steps] == [
        Approval.SUBMITTED,
        Approval.APPROVED,
        Approval.SUBMITTED,
        Approval.SUBMITTED,
    ]
    assert steps[2].approval_reason == "The payroll run was re-done"


def test_returning_needs_a_reason_and_a_new_value_submits_again(project, lead, two_indicators):
    payslips, _ = two_indicators
    record(payslips, [1], user=lead)
    figure = Measurement.objects.select_related("indicator__project").get()
    for refused in ("", "x" * 501, "bell\x07"):  # nothing, too long, a control character
        with pytest.raises(ValidationError):
            approval.figure_return(measurement=figure, user=lead, reason=refused)
    approval.figure_return(measurement=figure, user=lead, reason="Wrong month")
    figure.refresh_from_db()
    assert (figure.approval, figure.approval_reason) == (Approval.RETURNED, "Wrong month")
    record(payslips, [2], user=lead)
    figure.refresh_from_db()
    assert figure.approval == Approval.SUBMITTED


def test_only_the_lead_or_the_named_approver_approves(project, lead, member_of, two_indicators):
    payslips, queries = two_indicators
    contributor = member_of(ProjectRole.Role.CONTRIBUTOR)
    governor = member_of(ProjectRole.Role.GOVERNOR)
    record(payslips, [1], user=contributor)
    record(queries, [1], user=contributor)
    with pytest.raises(PermissionDenied):
        approval.figures_approve_period(project=project, user=contributor, period=month(0))

    approval.indicator_approver_set(indicator=payslips, approver=governor)
    # The named approver approves their indicator's figures, and only those.
    assert approval.figures_approve_period(project=project, user=governor, period=month(0)) == 1
    assert Measurement.objects.get(indicator=payslips).approval == Approval.APPROVED
    assert Measurement.objects.get(indicator=queries).approval == Approval.SUBMITTED
    other = Measurement.objects.select_related("indicator__project").get(indicator=queries)
    with pytest.raises(PermissionDenied):
        approval.figure_return(measurement=other, user=governor, reason="No")


def test_the_approval_pages(client, project, lead, member_of, two_indicators):
    payslips, _ = two_indicators
    record(payslips, [1, 2], user=lead)
    viewer = member_of(ProjectRole.Role.VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("projects:figures", args=[project.pk])).text
    assert "0 of 2 figures approved." in page
    assert "Approve January 2026" not in page  # a viewer approves nothing
    refused = client.post(
        reverse("projects:figures-approve", args=[project.pk]), {"period": "2026-01-01"}
    )
    assert refused.status_code == 403

    client.force_login(lead)
    chart = client.get(reverse("projects:indicator-detail", args=[project.pk, payslips.pk])).text
    assert chart.count("spc-provisional") == 2
    response = client.post(
        reverse("projects:figures-approve", args=[project.pk]),
        {"period": "2026-01-01"},
        follow=True,
    )
    assert "Approved 1 figure for January 2026." in response.text
    assert "1 of 2 figures approved." in response.text
    chart = client.get(reverse("projects:indicator-detail", args=[project.pk, payslips.pk])).text
    assert chart.count("spc-provisional") == 1

    figure = Measurement.objects.get(date=month(0))
    response = client.post(
        reverse("projects:figure-reopen", args=[project.pk, figure.pk]), {"reason": ""}, follow=True
    )
    assert "Say why the figure is re-opened." in response.text


def test_the_pack_says_how_many_figures_are_approved(project, lead, two_indicators):
    payslips, _ = two_indicators
    record(payslips, [1, 2, 3], user=lead)
    approval.figures_approve_period(project=project, user=lead, period=month(0))
    record_ = ProjectRecord(project)
    assert record_.figures_approved == (1, 3)

    class Presenting:
        record = record_
        previous = None
        made_on = date(2026, 6, 1)
        loaded = {}

    view = present_summary({"objectives": []}, Presenting)
    html = render_to_string(
        "packs/pdf/sections/summary.html",
        {"data": {"project": project, "objectives": []}, "view": view, "pack": Presenting},
    )
    assert "1 of 3 figures approved." in html
    (chart,) = present_charts({"indicators": [payslips]}, Presenting)
    # January approved, February and March provisional: drawn hollow.
    assert {kind.endswith("-provisional") for kind in chart.points} == {True, False}
