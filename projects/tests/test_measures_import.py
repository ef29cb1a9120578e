"""Importing measurements: a good file is previewed and saved whole; every bad file gets a clear
message and saves nothing.

The upload goes through the real page (`measurement-import`) as a browser would send it; the
pure reading and checking in `projects.imports` is tested directly where the case is finer.
"""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects import imports
from projects.forms.measures import sign_rows
from projects.models import Measurement
from projects.tests.factories import (
    ImpactFactory,
    IndicatorFactory,
    ProjectFactory,
    ProjectRoleFactory,
)

GOOD_CSV = (
    "indicator,date,value,note\r\n"
    "Payslips needing correction,2026-04-01,2.4,Before the change\r\n"
    "Payslips needing correction,01/05/2026,2.1,\r\n"
    "payslips  needing CORRECTION,Jun 2026,1.9%,\r\n"
    "Payroll cost per payslip,2026-04-01,£4.80,\r\n"
)


@pytest.fixture
def indicators(chain):
    _, impact, _ = chain
    return {
        "corrections": IndicatorFactory(impact=impact, name="Payslips needing correction"),
        "cost": IndicatorFactory(impact=impact, name="Payroll cost per payslip"),
    }


def upload(client, project, content: bytes, name="measurements.csv"):
    url = reverse("projects:measurement-import", args=[project.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def confirm(client, project, response):
    """Press "Save" on a preview page."""
    url = reverse("projects:measurement-import", args=[project.pk])
    return client.post(url, {"rows": response.context["confirm_form"].initial["rows"]})


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- a good file ---------------------------------------------------------------------------------


def test_a_good_csv_is_previewed_then_saved_whole(lead_client, project, indicators):
    response = upload(lead_client, project, GOOD_CSV.encode())
    assert response.status_code == 200
    assert "Check before saving: 4 values" in response.text
    assert Measurement.objects.count() == 0, "nothing is saved before the user confirms"

    response = confirm(lead_client, project, response)
    assert response.status_code == 302
    saved = {(m.indicator_id, m.date): m.value for m in Measurement.objects.filter(project=project)}
    corrections, cost = indicators["corrections"].pk, indicators["cost"].pk
    assert saved == {
        (corrections, date(2026, 4, 1)): Decimal("2.4"),
        (corrections, date(2026, 5, 1)): Decimal("2.1"),
        (corrections, date(2026, 6, 1)): Decimal("1.9"),
        (cost, date(2026, 4, 1)): Decimal("4.8"),
    }
    note = Measurement.objects.get(indicator_id=corrections, date=date(2026, 4, 1)).note
    assert note == "Before the change"
    assert Measurement.objects.filter(recorded_by__isnull=True).count() == 0


def test_a_good_xlsx_with_real_dates_and_numbers(lead_client, project, indicators):
    content = xlsx(
        [
            ["Indicator", "Date", "Value", "Note"],
            ["Payslips needing correction", datetime(2026, 4, 1), 2.4, None],
            ["Payslips needing correction", datetime(2026, 5, 1), 0.1 + 0.2, "float noise"],
        ]
    )
    response = upload(lead_client, project, content, name="figures.xlsx")
    assert "Check before saving: 2 values" in response.text
    confirm(lead_client, project, response)
    values = list(Measurement.objects.order_by("date").values_list("value", flat=True))
    assert values == [Decimal("2.4"), Decimal("0.3")]


def test_the_preview_says_which_values_are_replaced(lead_client, project, indicators):
    Measurement.objects.create(
        project=project, indicator=indicators["cost"], date=date(2026, 4, 1), value=5
    )
    response = upload(lead_client, project, GOOD_CSV.encode())
    assert "replaces 5" in response.text


def test_a_file_named_xlsx_is_read_by_its_content(lead_client, project, indicators):
    response = upload(lead_client, project, GOOD_CSV.encode(), name="looks-like.xlsx")
    assert "Check before saving: 4 values" in response.text


def test_blank_template_rows_are_skipped(lead_client, project, indicators):
    content = "indicator,unit,date,value\nPayroll cost per payslip,£,,\n"
    content += "Payslips needing correction,%,2026-04-01,2\n"
    response = upload(lead_client, project, content.encode())
    assert "Check before saving: 1 value" in response.text
    assert "1 row with neither a date nor a value was skipped" in response.text


# --- every bad file: a clear message, nothing saved ----------------------------------------------


def assert_refused(response, *messages):
    assert response.status_code == 200
    assert "confirm_form" not in response.context, "a bad file must not offer to save"
    for message in messages:
        assert message in response.text, message
    assert Measurement.objects.count() == 0


BAD_ROWS = [
    (
        "non-numeric value",
        "Payroll cost per payslip,2026-04-01,about five\n",
        ["“about five” is not a number."],
    ),
    (
        "unknown indicator",
        "Payroll cost per payslipp,2026-04-01,4.8\n",
        [
            "No indicator called “Payroll cost per payslipp” in this project.",
            "Did you mean “Payroll cost per payslip”?",
        ],
    ),
    (
        "duplicate row",
        "Payroll cost per payslip,2026-04-01,4.8\nPayroll cost per payslip,1 Apr 2026,4.9\n",
        ["A second value for “Payroll cost per payslip” on 1 Apr 2026: row 3 has one already."],
    ),
    (
        "unreadable date",
        "Payroll cost per payslip,31/02/2026,4.8\n",
        ["“31/02/2026” cannot be read as a date."],
    ),
    (
        "missing value",
        "Payroll cost per payslip,2026-04-01,\n",
        ["No value."],
    ),
]


@pytest.mark.parametrize(("case", "rows", "messages"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_a_bad_row_is_reported_and_nothing_is_saved(
    lead_client, project, indicators, case, rows, messages
):
    good = "Payslips needing correction,2026-04-01,2.4\n"
    response = upload(lead_client, project, ("indicator,date,value\n" + good + rows).encode())
    assert_refused(response, "Nothing was saved", *messages)


def test_every_bad_row_is_listed_with_its_row_number(lead_client, project, indicators):
    content = "indicator,date,value\nNope,2026-04-01,1\nPayroll cost per payslip,soon,x\n"
    response = upload(lead_client, project, content.encode())
    assert_refused(response, "3 problems in the file")
    errors = [(e.line, e.column) for e in response.context["checked"].errors]
    assert errors == [(2, "indicator"), (3, "date"), (3, "value")]


def test_wrong_columns(lead_client, project, indicators):
    response = upload(lead_client, project, b"name,when,amount\nPayroll,2026-04-01,4\n")
    assert_refused(
        response,
        "The file needs the columns indicator, date, value; it has no date, value column.",
        "Columns found: “name”, “when”, “amount”",
    )


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n"], ids=["no bytes", "blank lines"])
def test_an_empty_file(lead_client, project, indicators, content):
    url = reverse("projects:measurement-import", args=[project.pk])
    file = SimpleUploadedFile("empty.csv", content)
    response = lead_client.post(url, {"file": file})
    assert response.status_code == 200
    assert "The file is empty" in response.text or "The submitted file is empty" in response.text
    assert Measurement.objects.count() == 0


def test_a_heading_row_alone(lead_client, project, indicators):
    response = upload(lead_client, project, b"indicator,date,value\n")
    assert_refused(response, "The file has a heading row but no measurements under it.")


def test_a_file_just_over_the_limit_is_refused_by_its_size(lead_client, project, indicators):
    content = b"indicator,date,value\n" + b"x" * (imports.MAX_BYTES + 10_000)
    response = upload(lead_client, project, content)
    assert_refused(response, "The file is 5.0 MB; the largest file that can be imported is 5 MB.")
    assert response.context["form"].errors["file"]


def test_a_20_mb_file_is_refused(lead_client, project, indicators):
    row = b"Payroll cost per payslip,2026-04-01,4.8\n"
    content = b"indicator,date,value\n" + row * (20 * 1024 * 1024 // len(row))
    assert len(content) > 19.9 * 1024 * 1024
    response = upload(lead_client, project, content)
    assert_refused(response, "The file is 20.0 MB; the largest file that can be imported is 5 MB.")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            "This file is a PDF document, not a spreadsheet.",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This file is a PNG image, not a spreadsheet."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "an old Excel .xls"),
        (b"PK\x03\x04garbage that is no zip", "damaged zip archive"),
        (b"\x00\x01\x02binary\x00data" * 20, "it holds binary data"),
        (b"<html><body>Not a sheet</body></html>", "looks like a web page or XML"),
    ],
    ids=["pdf", "png", "xls", "broken zip", "binary", "html"],
)
def test_a_file_that_is_not_a_spreadsheet(lead_client, project, indicators, content, message):
    response = upload(lead_client, project, content, name="measurements.csv")
    assert_refused(response, message, "Upload a CSV file or an Excel workbook (.xlsx).")


def test_a_zip_that_is_not_a_workbook(lead_client, project, indicators):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    response = upload(lead_client, project, out.getvalue(), name="measurements.xlsx")
    assert_refused(response, "This file is a zip archive, not a spreadsheet.")


def test_a_workbook_that_unpacks_to_too_much_is_refused_unread(monkeypatch):
    content = xlsx([["indicator", "date", "value"]])
    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(imports.ImportRefused, match="unpacks to more than"):
        imports.read_spreadsheet(content)


def test_a_confirm_with_tampered_rows_saves_nothing(lead_client, project, indicators):
    response = upload(lead_client, project, GOOD_CSV.encode())
    signed = response.context["confirm_form"].initial["rows"]
    url = reverse("projects:measurement-import", args=[project.pk])
    response = lead_client.post(url, {"rows": signed[:-3] + "abc"})
    assert response.status_code == 200
    assert "These rows were changed after the check" in response.text
    assert Measurement.objects.count() == 0


def test_rows_checked_for_one_project_cannot_be_saved_in_another(
    lead_client, lead, project, indicators
):
    other = ProjectFactory()
    ProjectRoleFactory(project=other, user=lead, role="lead")
    rows = imports.check_rows(
        imports.read_spreadsheet(GOOD_CSV.encode()),
        [imports.IndicatorRef(i.pk, i.name) for i in indicators.values()],
    ).rows
    url = reverse("projects:measurement-import", args=[other.pk])
    response = lead_client.post(url, {"rows": sign_rows(project.pk, rows)})
    assert "These rows were checked for another project." in response.text
    assert Measurement.objects.count() == 0


# --- reading cells: the finer rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-04-01", date(2026, 4, 1)),
        ("01/04/2026", date(2026, 4, 1)),
        ("1/4/26", date(2026, 4, 1)),
        ("1 Apr 2026", date(2026, 4, 1)),
        ("1 April 2026", date(2026, 4, 1)),
        ("Apr 2026", date(2026, 4, 1)),
        ("April 2026", date(2026, 4, 1)),
        ("2026-04", date(2026, 4, 1)),
        ("2026-04-01 00:00:00", date(2026, 4, 1)),
        (datetime(2026, 4, 1, 0, 0), date(2026, 4, 1)),
        (46113, date(2026, 4, 1)),  # an Excel serial day number
    ],
)
def test_dates_people_write(cell, expected):
    assert imports.parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["31/02/2026", "next month", "2026", 12, True, "04/01/99999"])
def test_dates_that_cannot_be_read(cell):
    with pytest.raises(ValueError):
        imports.parse_date(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("4.8", Decimal("4.8")),
        ("£4.80", Decimal("4.8")),
        ("45%", Decimal("45")),
        ("1,234.5", Decimal("1234.5")),
        ("-3", Decimal("-3")),
        ("1e3", Decimal("1000")),
        (0.30000000000000004, Decimal("0.3")),
        (7, Decimal("7")),
        ("2.123456", Decimal("2.1235")),
    ],
)
def test_numbers_people_write(cell, expected):
    assert imports.parse_value(cell) == expected


@pytest.mark.parametrize("cell", ["1,5", "12,34", "four", "NaN", "inf", float("nan"), "1e20", True])
def test_numbers_that_are_refused(cell):
    with pytest.raises(ValueError):
        imports.parse_value(cell)


def test_two_indicators_with_the_same_name_need_the_id(chain):
    _, impact, _ = chain
    first = IndicatorFactory(impact=impact, name="Cost")
    second = IndicatorFactory(impact=ImpactFactory(task=impact.task), name="cost")
    refs = [imports.IndicatorRef(first.pk, first.name), imports.IndicatorRef(second.pk, "cost")]
    sheet = imports.read_spreadsheet(b"indicator,date,value\nCost,2026-04-01,1\n")
    checked = imports.check_rows(sheet, refs)
    assert "2 indicators are called “Cost”" in checked.errors[0].message
    sheet = imports.read_spreadsheet(
        f"indicator,indicator_id,date,value\nCost,{second.pk},2026-04-01,1\n".encode()
    )
    assert imports.check_rows(sheet, refs).rows[0].indicator_id == second.pk


def test_semicolons_and_windows_1252_as_excel_writes_them():
    content = "indicator;date;value;note\r\nCost;01/04/2026;4,80;café\r\n".encode("cp1252")
    sheet = imports.read_spreadsheet(content)
    assert sheet.header == ("indicator", "date", "value", "note")
    assert sheet.rows[0][1][3] == "café"


def test_an_xlsx_formula_is_not_evaluated():
    # openpyxl saves a formula without a cached result: nothing to read, and nothing is run.
    content = xlsx([["indicator", "date", "value"], ["Cost", "2026-04-01", "=1+1"]])
    sheet = imports.read_spreadsheet(content)
    checked = imports.check_rows(sheet, [imports.IndicatorRef(1, "Cost")])
    assert [e.column for e in checked.errors] == ["value"]
    assert "No value" in checked.errors[0].message


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    content = b"indicator,date,value\n" + b"Cost,2026-04-01,1\n" * 4
    with pytest.raises(imports.ImportRefused, match="more than 3 rows"):
        imports.read_spreadsheet(content)
