"""A round's answers as a spreadsheet (CSV or XLSX) and back.

One row per question, in the columns of `COLUMNS`. Reading checks the whole file before
anything is written: the caller gets either every row, valid, or a `SpreadsheetError` with
one message per problem, each naming its row as the spreadsheet numbers it (the header is
row 1).

Cells that a spreadsheet program would run as a formula (starting with = + - @) are written
as text: in XLSX by typing the cell, in CSV with a leading apostrophe, which reading removes.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook

from projects import imports
from projects import text as text_rules

COLUMNS = ["Domain", "Number", "Question", "Level", "Evidence", "Next actions"]
MAX_BYTES = 5 * 1024 * 1024
FORMULA_STARTS = ("=", "+", "-", "@")
NOT_A_SPREADSHEET = (
    "This file is not a spreadsheet Totem can read. Upload a CSV file or an Excel workbook "
    "(.xlsx) with the columns " + ", ".join(COLUMNS) + "."
)


class SpreadsheetError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ImportRow:
    row: int
    number: int
    level: object  # a Level, or None for "not scored yet"
    evidence: str
    next_actions: str


# --- reading ------------------------------------------------------------------------------
#
# The file is read by the measurement importer's reader (`projects.imports.read_spreadsheet`):
# what a file is comes from its bytes, a workbook is checked before it is unpacked, a CSV's
# quotes and field sizes are checked, and rows keep the numbers a spreadsheet shows them with.


def _text(value) -> str:
    return imports.text_from_cell(value)


def _header(cells) -> str:
    return " ".join(_text(cells).lower().split())


def read_table(data: bytes) -> imports.Sheet:
    """The file's heading and numbered rows, without blank rows; SpreadsheetError if it
    cannot be read."""
    try:
        return imports.read_spreadsheet(data)
    except imports.ImportRefused as refused:
        raise SpreadsheetError([str(refused)]) from None


def _column_positions(header_row) -> dict[str, int]:
    found = {_header(cell): index for index, cell in enumerate(header_row) if _text(cell)}
    wanted = {_header(name): name for name in COLUMNS}
    missing = [name for key, name in wanted.items() if key not in found]
    unexpected = [_text(header_row[index]) for key, index in found.items() if key not in wanted]
    if missing or unexpected:
        problems = []
        if missing:
            problems.append("missing " + ", ".join(missing))
        if unexpected:
            problems.append("unexpected " + ", ".join(unexpected))
        raise SpreadsheetError([
            "Row 1: the columns must be " + ", ".join(COLUMNS) + " (" + "; ".join(problems)
            + "). Export the round to get a file of the right shape."
        ])
    return {name: found[_header(name)] for name in COLUMNS}


def _question_number(value) -> int | None:
    text = _text(value).rstrip(".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or not 0 < number < 10_000:  # never int() of 1e999999999
        return None
    return int(number) if number == number.to_integral_value() else None


def read_answers(upload, framework, *, filename: str = "") -> list[ImportRow]:
    """Every row of `upload` checked against `framework`; SpreadsheetError lists all problems."""
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    sheet = read_table(data)
    positions = _column_positions(sheet.header)
    if not sheet.rows:
        raise SpreadsheetError(["The file has a header row but no answers."])
    questions = {question.number for question in framework.questions.all()}
    levels = {level.name.casefold(): level for level in framework.levels.all()}
    level_names = ", ".join(level.name for level in framework.levels.all())
    rows, errors, seen = [], [], {}
    for row_number, cells in sheet.rows:
        cells = list(cells) + [None] * (len(COLUMNS) - len(cells))

        def cell(name, cells=cells):
            return _text(cells[positions[name]])

        number = _question_number(cell("Number"))
        level_name = cell("Level")
        problems = []
        if number is None:
            problems.append(f"“{cell('Number')[:40]}” is not a question number")
        elif number not in questions:
            problems.append(
                f"there is no question {number} in {framework.name} (its questions are "
                f"numbered {min(questions)} to {max(questions)})"
            )
        elif number in seen:
            problems.append(f"question {number} appears again (first on row {seen[number]})")
        if level_name and level_name.casefold() not in levels:
            problems.append(f"“{level_name[:60]}” is not a level (use one of: {level_names})")
        for column in ("Evidence", "Next actions"):
            if (refused := text_rules.problem(cell(column))) is not None:
                problems.append(f"{column}: {refused[:1].lower()}{refused[1:].rstrip('.')}")
        if problems:
            errors.append(f"Row {row_number}: " + "; ".join(problems) + ".")
            continue
        seen[number] = row_number
        rows.append(ImportRow(
            row=row_number,
            number=number,
            level=levels[level_name.casefold()] if level_name else None,
            evidence=cell("Evidence"),
            next_actions=cell("Next actions"),
        ))
    if errors:
        raise SpreadsheetError(errors)
    return rows


# --- writing ------------------------------------------------------------------------------


def answer_rows(answers) -> list[list]:
    """The export's rows for answers loaded with their question, domain and level."""
    return [
        [
            answer.question.domain.name,
            answer.question.number,
            answer.question.text,
            answer.level.name if answer.level else "",
            answer.evidence,
            answer.next_actions,
        ]
        for answer in answers
    ]


def _escape(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows([_escape(value) for value in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def write_xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Answers"
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
    for letter, width in zip("ABCDEF", (40, 8, 60, 14, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
