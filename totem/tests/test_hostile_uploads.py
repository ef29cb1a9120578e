"""No upload, whatever its content, ends in a server error; a refusal names its row or field
and writes nothing.

First each case the security probe found, as a regression test; then properties (hypothesis):
every importer fed arbitrary bytes, arbitrary CSV cells, arbitrary spreadsheet cells and
arbitrary JSON answers with a clean refusal or a clean import — never an exception. The
uploads go through the real pages, as a browser sends them. Run on SQLite and PostgreSQL
(`DATABASE_URL=postgres://…`): PostgreSQL refuses NUL in text where SQLite stores it.
"""

import copy
import csv
import io
import json
import string

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assessments import spreadsheets
from assessments.models import Answer, AssessmentEvent
from assessments.tests.factories import open_round
from projects.models import Measurement, Organisation, Project, Task
from projects.tests.factories import (
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from totem import transfer
from totem.tests.test_transfer import exported  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
INDICATOR = "Payslips needing correction"


# --- the pages and files under test -----------------------------------------------------------


@pytest.fixture
def measures(lead_client, project, chain):
    """post(bytes, name) -> the measurement import page's answer; saved() -> rows saved."""
    _, impact, _ = chain
    IndicatorFactory(impact=impact, name=INDICATOR)
    url = reverse("projects:measurement-import", args=[project.pk])

    class Page:
        def post(self, content: bytes, name="measurements.csv", *, confirm=False):
            response = lead_client.post(url, {"file": SimpleUploadedFile(name, content)})
            assert response.status_code == 200, response.status_code
            confirm_form = response.context.get("confirm_form")
            if confirm and confirm_form is not None:
                saved = lead_client.post(url, {"rows": confirm_form.initial["rows"]})
                assert saved.status_code == 302
            return response

        @staticmethod
        def saved() -> int:
            return Measurement.objects.filter(project=project).count()

    return Page()


@pytest.fixture
def rounds(client, db):
    """post(bytes, name) -> the round import page's answer, as a member of the organisation."""
    from assessments import defaults
    from assessments.models import Framework

    organisation = OrganisationFactory(name="North Vale Hospitals NHS Trust")
    member = UserFactory()
    MembershipFactory(user=member, organisation=organisation)
    framework = Framework.objects.get(slug=defaults.FRAMEWORK_SLUG, version=1)
    assessment = open_round(organisation, framework)
    client.force_login(member)
    url = reverse("assessments:round-import", args=[organisation.pk, assessment.pk])

    class Page:
        levels = [level.name for level in framework.levels.all()]

        def post(self, content: bytes, name="answers.csv"):
            response = client.post(url, {"file": SimpleUploadedFile(name, content)})
            assert response.status_code in (200, 302), response.status_code
            return response

        @staticmethod
        def state():
            answers = Answer.objects.filter(assessment=assessment).order_by("pk")
            return (
                list(answers.values_list("level_id", "evidence", "next_actions")),
                AssessmentEvent.objects.filter(assessment=assessment).count(),
            )

    return Page()


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def errors_on_page(response) -> str:
    return " ".join(response.text.split())


# --- the probe's cases ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e25", "1e30", "1e309", "-1e30", "99999999999999.99999"])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_huge_measurement_value_is_a_row_error(measures, value, kind):
    rows = [["indicator", "date", "value"], [INDICATOR, "2026-04-01", value]]
    if kind == "xlsx":
        number = float(value)
        rows[1][2] = number if number not in (float("inf"), float("-inf")) else value
        response = measures.post(xlsx_bytes(rows), "measurements.xlsx")
    else:
        response = measures.post(csv_bytes(rows))
    [error] = response.context["checked"].errors
    assert (error.line, error.column) == (2, "value")
    assert "too large: values must be below 10^14" in error.message
    assert "too large: values must be below 10^14" in errors_on_page(response)
    assert measures.saved() == 0


def test_a_round_file_made_only_of_commas_is_refused_plainly(rounds):
    before = rounds.state()
    response = rounds.post(b",,,,,\r\n,,,,,\r\n,,\r\n")
    assert "The file is empty: there is not even a heading row." in errors_on_page(response)
    assert rounds.state() == before


def test_a_round_file_with_a_cell_over_the_csv_field_limit_is_refused_naming_its_row(rounds):
    before = rounds.state()
    header = ",".join(spreadsheets.COLUMNS).encode()
    content = header + b'\r\nSome component,1,Question 1,Starting,"' + b"x" * 200_000 + b'",\r\n'
    response = rounds.post(content)
    assert "Row 2: a cell is longer than 131,072 characters" in errors_on_page(response)
    assert rounds.state() == before


def test_a_nul_in_a_project_files_title_is_refused_naming_the_field(exported):  # noqa: F811
    data = copy.deepcopy(exported)
    data["project"]["title"] = "Shared\x00payroll"
    before = Project.objects.count(), Organisation.objects.count(), Task.objects.count()
    with pytest.raises(transfer.TransferError, match=r"^project\.title: This text contains a NUL"):
        transfer.project_import(data)
    assert (Project.objects.count(), Organisation.objects.count(), Task.objects.count()) == before


def test_a_lone_surrogate_in_a_project_file_is_refused_naming_the_field(exported):  # noqa: F811
    raw = transfer.dumps(exported).replace('"Agree the case"', '"Agree \\ud800 the case"')
    data = transfer.project_file_load(raw.encode())
    with pytest.raises(transfer.TransferError, match=r"tasks\[0\]\.title: .*surrogate"):
        transfer.project_import(data)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested more than 32 deep"),
        (b'{"format": "totem-project", "version": ' + b"9" * 5_000 + b"}", "5,000 digits"),
        (b'{"a": 1e999}', "out of range"),
        (b'{"a": NaN}', "NaN, which is not a number JSON allows"),
        (b"\xff\xfe\x00garbage", "not a JSON file"),
    ],
)
def test_import_project_refuses_a_hostile_file_with_a_clear_error(tmp_path, content, message):
    path = tmp_path / "hostile.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as raised:
        call_command("import_project", str(path))
    assert "was not imported" in str(raised.value)
    assert Project.objects.count() == 0


# --- properties: every importer, anything at all ----------------------------------------------

ANY_TEXT = st.text(max_size=40)
NUMBERISH = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers().map(str),
    st.decimals(allow_nan=True).map(str),
    st.from_regex(r"[-+]?\d{0,40}(\.\d{0,10})?([eE][-+]?\d{1,12})?", fullmatch=True),
)
DATEISH = st.one_of(
    st.dates().map(str), st.sampled_from(["Apr 2026", "01/04/2026", "2026-02-31"]), ANY_TEXT
)
MEASUREMENT_CELL_ROW = st.tuples(
    st.one_of(st.just(INDICATOR), ANY_TEXT),
    DATEISH,
    st.one_of(NUMBERISH, ANY_TEXT),
    ANY_TEXT,
    ANY_TEXT,
)
MEASUREMENT_HEADER = ["indicator", "date", "value", "note", "evidence"]


@PROPERTY
@given(content=st.one_of(st.binary(max_size=2_000), st.binary(max_size=200).map(
    lambda tail: b"PK\x03\x04" + tail
)))
def test_measurement_import_of_any_bytes_refuses_or_previews(measures, content):
    measures.post(content)
    assert measures.saved() == 0  # nothing is saved before the user confirms


@PROPERTY
@given(rows=st.lists(MEASUREMENT_CELL_ROW, max_size=6))
def test_measurement_import_of_any_csv_cells_refuses_or_imports(measures, rows):
    measures.post(csv_bytes([MEASUREMENT_HEADER, *rows]), confirm=True)


def _storable(cell) -> bool:
    return not (isinstance(cell, str) and ILLEGAL_CHARACTERS_RE.search(cell))


XLSX_CELL = st.one_of(
    ANY_TEXT,
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.dates(),
    st.datetimes(),
    st.booleans(),
    st.none(),
)


@PROPERTY
@given(rows=st.lists(st.lists(XLSX_CELL, min_size=5, max_size=5), max_size=6))
def test_measurement_import_of_any_spreadsheet_cells_refuses_or_imports(measures, rows):
    assume(all(_storable(cell) for row in rows for cell in row))
    measures.post(xlsx_bytes([MEASUREMENT_HEADER, *rows]), "m.xlsx", confirm=True)


@PROPERTY
@given(content=st.binary(max_size=2_000))
def test_round_import_of_any_bytes_refuses_or_imports(rounds, content):
    rounds.post(content)


ROUND_ROW = st.tuples(
    ANY_TEXT,
    st.one_of(st.integers(-5, 30).map(str), NUMBERISH, ANY_TEXT),
    ANY_TEXT,
    st.one_of(st.sampled_from(["Starting", "Developing", "leading", ""]), ANY_TEXT),
    ANY_TEXT,
    ANY_TEXT,
)


@PROPERTY
@given(rows=st.lists(ROUND_ROW, max_size=5), as_xlsx=st.booleans())
def test_round_import_of_any_cells_refuses_or_imports(rounds, rows, as_xlsx):
    table = [spreadsheets.COLUMNS, *rows]
    if as_xlsx:
        assume(all(_storable(cell) for row in rows for cell in row))
        rounds.post(xlsx_bytes(table), "answers.xlsx")
    else:
        rounds.post(csv_bytes(table))


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(string.ascii_lowercase, max_size=8), children, max_size=3),
    max_leaves=8,
)


def _paths(data, prefix=()):
    """Every place in a parsed file (a key of an object, an index of a list)."""
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return
    for key, value in items:
        if key == "pdf":
            continue
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key))


@PROPERTY
@given(data=st.data())
def test_project_import_of_a_file_with_anything_anywhere_refuses_or_imports(
    exported, data  # noqa: F811
):
    mutated = copy.deepcopy(exported)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(list(_paths(mutated))))
        *parents, last = path
        target = mutated
        for key in parents:
            target = target[key]
        target[last] = data.draw(JSON_VALUE)
    raw = json.dumps(mutated, allow_nan=True).encode()
    try:
        transfer.project_import(transfer.project_file_load(raw))
    except transfer.TransferError as refused:
        assert str(refused)


@PROPERTY
@given(content=st.one_of(st.binary(max_size=500), JSON_VALUE.map(lambda v: json.dumps(v).encode())))
def test_project_import_of_any_bytes_or_json_refuses(content):
    with pytest.raises(transfer.TransferError):
        transfer.project_import(transfer.project_file_load(content))
