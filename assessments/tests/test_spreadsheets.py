"""Export of a round's answers, import of a filled-in spreadsheet (all of it or nothing), and
the management commands that do the same."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments import services, spreadsheets
from assessments.demo import SEED_004_LEVELS
from assessments.models import Answer, AssessmentEvent

from .factories import open_round, score

HEADER = spreadsheets.COLUMNS


def _csv(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _row(number, level, evidence="", actions=""):
    return ["Some component", number, f"Question {number}", level, evidence, actions]


@pytest.fixture
def assessment(organisation, nhs_impact):
    return open_round(organisation, nhs_impact)


def _state(assessment):
    """Everything an import could change, to show that a failed one changed nothing."""
    answers = Answer.objects.filter(assessment=assessment).order_by("question__number")
    return (
        list(answers.values_list("level_id", "evidence", "next_actions")),
        AssessmentEvent.objects.filter(assessment=assessment).count(),
        Answer.history.filter(assessment=assessment).count(),
    )


# --- export -------------------------------------------------------------------------------


def test_export_csv_has_a_row_per_question(member_client, organisation, assessment):
    score(assessment, SEED_004_LEVELS)
    url = reverse("assessments:round-export", args=[organisation.pk, assessment.pk, "csv"])

    response = member_client.get(url)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="nvh-baseline.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert len(rows) == 23
    assert rows[7] == [
        "Investing in people and culture", "7",
        "Enabling staff through a coaching style of leadership", "Developing", "", "",
    ]


def test_export_xlsx_reads_back_the_same_rows(member_client, organisation, assessment, nhs_impact):
    score(assessment, SEED_004_LEVELS)
    url = reverse("assessments:round-export", args=[organisation.pk, assessment.pk, "xlsx"])

    response = member_client.get(url)

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Answers", "Summary"]
    assert workbook.active.title == "Summary"  # it opens on the summary
    rows = [list(row) for row in workbook["Answers"].iter_rows(values_only=True)]
    assert rows[0] == HEADER and len(rows) == 23
    assert rows[0][0] == "Component"  # as the screens say, not "Domain"
    summary = [list(row) for row in workbook["Summary"].iter_rows(values_only=True)]
    assert summary[0][:2] == ["Round", assessment.name]
    assert ["Questions scored", "22 of 22"] == summary[5][:2]
    head = next(row for row in summary if row[0] == "Component")
    assert head[1:] == [level.name for level in nhs_impact.levels.all()] + [
        "Not scored", "Questions"
    ]
    total = summary[-1]
    assert total[0] == "All components" and total[-1] == 22 and sum(total[1:-1]) == 22
    assert rows[22][:4] == ["Embedding improvement into management systems and processes", 22,
                            "Integrating improvement into everything we do", "Starting"]


def test_an_export_imports_back_unchanged(assessment, nhs_impact, organisation):
    score(assessment, SEED_004_LEVELS)
    Answer.objects.filter(assessment=assessment, question__number=3).update(
        evidence="=HYPERLINK(\"http://evil\")", next_actions="Plan the workshop, then\nreport"
    )
    rows = spreadsheets.answer_rows(
        Answer.objects.filter(assessment=assessment).select_related("question__domain", "level")
    )
    other = open_round(organisation, nhs_impact, name="Copy")

    for body in (spreadsheets.write_csv(rows), spreadsheets.write_xlsx(rows)):
        services.assessment_import(assessment=other, upload=body)
        assert _state(other)[0] == _state(assessment)[0]

    assert "'=HYPERLINK" in spreadsheets.write_csv(rows).decode("utf-8-sig")  # not a formula
    sheet = load_workbook(io.BytesIO(spreadsheets.write_xlsx(rows))).active
    assert sheet["E4"].data_type == "s"


# --- import: good files -------------------------------------------------------------------


@pytest.mark.parametrize("make", [_csv, _xlsx])
def test_a_good_file_sets_levels_evidence_and_actions(make, assessment):
    body = make([
        _row(1, "Developing", "Board paper", "Share the vision"),
        _row(2, "starting "),  # any case, stray spaces
        _row("18.", "Embedding"),
    ])

    changed = services.assessment_import(assessment=assessment, upload=body, filename="w.x")

    assert changed == 3
    answers = {a.question.number: a for a in assessment.answers.select_related("question", "level")}
    assert (answers[1].level.name, answers[1].evidence, answers[1].next_actions) == (
        "Developing", "Board paper", "Share the vision"
    )
    assert answers[2].level.name == "Starting" and answers[18].level.name == "Embedding"
    assert answers[3].level is None  # not in the file: untouched
    assert assessment.events.first().kind == "imported"


def test_a_semicolon_separated_csv_from_excel_is_read(assessment):
    body = "Domain;Number;Question;Level;Evidence;Next actions\r\nX;5;Q;Leading;Café;\r\n"

    services.assessment_import(assessment=assessment, upload=body.encode("cp1252"))

    answer = assessment.answers.get(question__number=5)
    assert (answer.level.name, answer.evidence) == ("Leading", "Café")


# --- import: bad files change nothing -----------------------------------------------------


BAD_FILES = {
    "wrong columns": (
        _csv([_row(1, "Starting")], header=["Domain", "No.", "Question", "Score", "Evidence"]),
        ["Row 1: the columns must be Component, Number, Question, Level, Evidence, Next actions "
         "(missing Number, Level, Next actions; unexpected No., Score). Export the round to "
         "get a file of the right shape."],
    ),
    "unknown level names": (
        _xlsx([_row(1, "Starting"), _row(2, "Advanced"), _row(3, "Outstanding")]),
        ["Row 3: “Advanced” is not a level (use one of: Starting, Developing, Embedding, "
         "Spreading, Leading).",
         "Row 4: “Outstanding” is not a level (use one of: Starting, Developing, Embedding, "
         "Spreading, Leading)."],
    ),
    "unknown question numbers": (
        _csv([_row(23, "Starting"), _row("four", "Starting"), _row(1, "Starting"),
              _row(1, "Developing")]),
        ["Row 2: there is no question 23 in NHS IMPACT improvement maturity (its questions are "
         "numbered 1 to 22).",
         "Row 3: “four” is not a question number.",
         "Row 5: question 1 appears again (first on row 4)."],
    ),
    "an empty file": (b"", ["The file is empty."]),
    "a header and no rows": (_csv([]), ["The file has a header row but no answers."]),
    "a picture": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
        ["This file is a PNG image, not a spreadsheet. Upload a CSV file or an Excel workbook "
         "(.xlsx)."],
    ),
    "a broken workbook": (
        b"PK\x03\x04 not really a zip",
        ["This file is a damaged zip archive. Upload a CSV file or an Excel workbook (.xlsx)."],
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_gets_errors_per_row_and_nothing_is_written(case, assessment):
    body, errors = BAD_FILES[case]
    score(assessment, {1: "Leading"})
    before = _state(assessment)

    with pytest.raises(spreadsheets.SpreadsheetError) as raised:
        services.assessment_import(assessment=assessment, upload=body)

    assert raised.value.errors == errors
    assert _state(assessment) == before


def test_the_import_page_lists_every_problem_and_imports_nothing(
    member_client, organisation, assessment
):
    url = reverse("assessments:round-import", args=[organisation.pk, assessment.pk])
    body = _csv([_row(1, "Developing"), _row(2, "Advanced"), _row(99, "Starting")])
    before = _state(assessment)

    response = member_client.post(url, {"file": SimpleUploadedFile("workshop.csv", body)})

    assert "Nothing was imported: 2 problems to fix" in response.text
    assert "Row 3: “Advanced” is not a level" in response.text
    assert "Row 4: there is no question 99" in response.text
    assert _state(assessment) == before


def test_the_import_page_imports_a_good_file(member_client, org_member, organisation, assessment):
    url = reverse("assessments:round-import", args=[organisation.pk, assessment.pk])
    upload = SimpleUploadedFile("workshop.xlsx", _xlsx([_row(4, "Spreading", "Patient panel")]))

    response = member_client.post(url, {"file": upload})

    assert response.status_code == 302
    answer = assessment.answers.get(question__number=4)
    assert (answer.level.name, answer.evidence) == ("Spreading", "Patient panel")
    event = assessment.events.first()
    assert (event.kind, event.user) == ("imported", org_member)
    assert "workshop.xlsx" in event.note


# --- management commands ------------------------------------------------------------------


def test_export_and_import_commands(tmp_path, organisation, nhs_impact, assessment, org_member):
    score(assessment, SEED_004_LEVELS)
    path = tmp_path / "round.xlsx"
    out = io.StringIO()

    call_command("export_assessment", assessment.pk, output=path, stdout=out)
    assert f"Wrote 22 rows to {path}" in out.getvalue()

    copy = open_round(organisation, nhs_impact, name="Copy")
    call_command("import_assessment", copy.pk, path, user=org_member.username, stdout=out)
    assert "22 answer(s) changed" in out.getvalue()
    assert copy.answers.filter(level__name="Starting").count() == 16
    assert copy.events.first().user == org_member


def test_export_command_writes_csv_to_standard_output(assessment):
    out = io.StringIO()

    call_command("export_assessment", assessment.pk, stdout=out)

    assert out.getvalue().splitlines()[0] == ",".join(HEADER)
    assert len(out.getvalue().splitlines()) == 23


def test_import_command_reports_every_problem_and_imports_nothing(tmp_path, assessment):
    path = tmp_path / "bad.csv"
    path.write_bytes(_csv([_row(1, "Starting"), _row(2, "Brilliant")]))
    err = io.StringIO()

    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command("import_assessment", assessment.pk, path, stderr=err)

    assert "Row 3: “Brilliant” is not a level" in err.getvalue()
    assert not assessment.answers.exclude(level=None).exists()


def test_import_command_refuses_a_missing_round(tmp_path, db):
    with pytest.raises(CommandError, match="There is no self-assessment round 999"):
        call_command("import_assessment", 999, tmp_path / "x.csv")
