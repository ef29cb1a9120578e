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
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from projects import imports
from projects import text as text_rules

COLUMNS = ["Component", "Number", "Question", "Level", "Evidence", "Next actions"]
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


# Files exported before the column was called what the screens call it.
OLD_HEADERS = {"domain": "component"}


def _column_positions(header_row) -> dict[str, int]:
    found = {_header(cell): index for index, cell in enumerate(header_row) if _text(cell)}
    for old, new in OLD_HEADERS.items():
        if old in found and new not in found:
            found[new] = found.pop(old)
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


def round_xlsx(assessment, rows: list[list]) -> bytes:
    """The round's workbook: its answers (the sheet an import reads) and a summary sheet."""
    about = [
        ("Round", assessment.name),
        ("Organisation", assessment.organisation.name),
        ("Framework", f"{assessment.framework.name} (version {assessment.framework.version})"),
        ("Assessed on", assessment.assessed_on),
        ("Status", assessment.get_status_display()),
    ]
    levels = [level.name for level in assessment.framework.levels.all()]
    return write_xlsx(rows, about=about, levels=levels)


def _summary_sheet(workbook, rows: list[list], about, levels: list[str]) -> None:
    """Questions per component at each level, as the round's page and report count them."""
    sheet = workbook.create_sheet("Summary")
    for label, value in about:
        sheet.append([label, _escape(value)])
    scored = sum(1 for row in rows if row[3])
    sheet.append(["Questions scored", f"{scored} of {len(rows)}"])
    sheet.append([])
    sheet.append(["Component", *levels, "Not scored", "Questions"])
    header_row = sheet.max_row
    components = list(dict.fromkeys(row[0] for row in rows))
    for component in [*components, None]:
        mine = [row for row in rows if component is None or row[0] == component]
        counts = [sum(1 for row in mine if row[3] == level) for level in levels]
        unscored = sum(1 for row in mine if not row[3])
        name = "All components" if component is None else _escape(component)
        sheet.append([name, *counts, unscored, len(mine)])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 50
    for index in range(2, len(levels) + 4):
        sheet.column_dimensions[get_column_letter(index)].width = 13


def write_xlsx(rows: list[list], *, about=(), levels=()) -> bytes:
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
    if levels:
        _summary_sheet(workbook, rows, about, list(levels))
        workbook.active = 1  # opens on the summary; an import reads the first sheet
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
