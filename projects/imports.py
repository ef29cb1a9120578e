"""Measurements in and out of spreadsheets: reading an uploaded CSV or XLSX, checking it row by
row, and writing tidy CSV and XLSX. Pure Python and openpyxl, no Django import, so the rules can
be tested without a database and the services decide what is saved.

Choices, each of them something a user can be told:

- What a file is comes from its bytes, never its name: an XLSX is a zip holding
  `xl/workbook.xml`; a CSV is text (UTF-8, UTF-16 with a byte order mark, or Windows-1252 as
  Excel writes it) with no control characters. Anything else is refused with a message that
  names what it looks like (a PDF, an image, an old .xls…).
- Nothing in a file is executed. XLSX formulas are not evaluated: the value Excel saved with the
  file is read, and a formula without one is an empty cell. The zip is checked before it is
  opened (size when unpacked, number of parts), so a small file cannot unpack into gigabytes.
- A file is at most `MAX_BYTES` and `MAX_ROWS` rows; bigger ones are refused whole.
- Columns are found by their heading, in any order and any case ("Indicator", "indicator_id").
  `indicator`, `date` and `value` are required; `note`, `evidence` and `indicator_id` are read;
  the other columns of an export (task, impact, unit…) and any others are ignored and listed.
- An indicator is found by `indicator_id` when the column is there and filled in (an export
  has it, so re-importing still works after a rename), otherwise by its name, ignoring case and
  repeated spaces.
- Dates are read as ISO (2026-04-01), British (01/04/2026), "1 Apr 2026", or a month alone
  ("Apr 2026", "2026-04"), which stands for its first day. Values may carry a £ or % sign and
  thousands separators ("1,234.5"); they are rounded to 4 decimal places, as stored.
- A row with neither a date nor a value is skipped (so a template with some rows left blank can
  be uploaded); every other problem is an error on that row, and one error saves nothing.
- On export, a text cell that starts with = + - @ or a tab is prefixed with ' so that a
  spreadsheet shows it as text instead of running it as a formula (CSV injection); the import
  removes that prefix again, so an export re-imports to the same text. Numbers are written as
  numbers and never changed.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_PARTS = 1_000
MAX_COLUMNS = 50
DECIMAL_PLACES = 4
MAX_INTEGER_DIGITS = 14  # the model's DecimalField(max_digits=18, decimal_places=4)
EVIDENCE_MAX_LENGTH = 500

REQUIRED_COLUMNS = ("indicator", "date", "value")
READ_COLUMNS = ("indicator_id", "note", "evidence")
EXPORT_COLUMNS = (
    "task",
    "impact",
    "indicator",
    "indicator_id",
    "kind",
    "unit",
    "direction",
    "baseline",
    "baseline_date",
    "target",
    "target_date",
    "date",
    "value",
    "note",
    "evidence",
    "recorded_by",
)
BASELINE_COLUMNS = (  # the baseline export, and the fields of its form
    "function",
    "organisation",
    "as_of",
    "budget",
    "wte",
    "volumes",
    "performance",
    "operating_model",
    "source",
)
TEMPLATE_COLUMNS = ("indicator", "unit", "date", "value", "note", "evidence")
COLUMN_ALIASES = {
    "indicator name": "indicator",
    "name": "indicator",
    "period": "date",
    "notes": "note",
    "comment": "note",
    "comments": "note",
    "id": "indicator_id",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y")
MONTH_FORMATS = ("%Y-%m", "%b %Y", "%B %Y", "%b-%Y", "%b %y", "%m/%Y")
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIALS = range(20_000, 80_000)  # 1954 to 2119: a number in a date column read as a date
SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls (or Word .doc) file: save it as .xlsx or CSV"),
    (b"{\\rtf", "a Rich Text document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
GROUPED_NUMBER = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?")
CSV = "csv"
XLSX = "xlsx"


class ImportRefused(Exception):
    """The whole file is refused; the message says why and what to do, for the user."""


@dataclass(frozen=True)
class Sheet:
    """The cells of a file: its heading row and its data rows, with the row numbers a
    spreadsheet shows (the heading is usually row 1)."""

    kind: str  # CSV or XLSX
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple], ...]


@dataclass(frozen=True)
class IndicatorRef:
    id: int
    name: str


@dataclass(frozen=True)
class ParsedRow:
    line: int
    indicator_id: int
    indicator_name: str
    date: date
    value: Decimal
    note: str
    evidence: str


@dataclass(frozen=True)
class RowError:
    line: int | None  # None: about the file as a whole (a missing column)
    column: str | None
    message: str


@dataclass(frozen=True)
class Checked:
    rows: tuple[ParsedRow, ...]
    errors: tuple[RowError, ...]
    skipped: tuple[int, ...]  # lines with neither a date nor a value
    ignored_columns: tuple[str, ...]
    kind: str = CSV
    columns: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


# --- reading a file ----------------------------------------------------------------------------


def read_spreadsheet(data: bytes) -> Sheet:
    """The cells of an uploaded file, or ImportRefused with a message for the user."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            f"The file is {_megabytes(len(data))}; the largest file that can be imported is "
            f"{_megabytes(MAX_BYTES)}. Split it into smaller files, or remove columns you "
            "do not need."
        )
    if not data.strip():
        raise ImportRefused("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    for signature, what in SIGNATURES:
        if data.startswith(signature):
            raise ImportRefused(f"This file is {what}, not a spreadsheet. {_WHAT_TO_UPLOAD}")
    return _read_csv(data)


_WHAT_TO_UPLOAD = "Upload a CSV file or an Excel workbook (.xlsx)."


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(
        f"This file is not text that a spreadsheet can be read from. {_WHAT_TO_UPLOAD}"
    )


def _read_csv(data: bytes) -> Sheet:
    text = _decode(data)
    if CONTROL_CHARACTERS.search(text[:65536]):
        raise ImportRefused(
            f"This file is not a spreadsheet (it holds binary data). {_WHAT_TO_UPLOAD}"
        )
    if text.lstrip().startswith("<"):
        raise ImportRefused(
            f"This file looks like a web page or XML, not a spreadsheet. {_WHAT_TO_UPLOAD}"
        )
    first_line = text.lstrip().splitlines()[0] if text.strip() else ""
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        return _sheet(CSV, ((line, tuple(cells)) for line, cells in enumerate(reader, start=1)))
    except csv.Error as error:
        raise ImportRefused(
            f"This CSV file cannot be read ({error}). Check that quotes are paired, or save it "
            "again from your spreadsheet."
        ) from error


def _read_xlsx(data: bytes) -> Sheet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportRefused(f"This file is a damaged zip archive. {_WHAT_TO_UPLOAD}") from error
    names = {part.filename for part in parts}
    if "xl/workbook.xml" not in names:
        if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
            raise ImportRefused(
                "This is an OpenDocument file (LibreOffice): save it as .xlsx or CSV and upload "
                "that."
            )
        raise ImportRefused(f"This file is a zip archive, not a spreadsheet. {_WHAT_TO_UPLOAD}")
    if len(parts) > MAX_ZIP_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        raise ImportRefused(
            f"This workbook unpacks to more than {_megabytes(MAX_UNPACKED_BYTES)}: too big to "
            "import. Copy the measurements into a new workbook and upload that."
        )
    from openpyxl import load_workbook  # only imported when a workbook is uploaded

    try:
        # read_only streams the sheet; data_only gives the values Excel saved, never formulas.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a hostile or broken file
        raise ImportRefused(
            f"This Excel workbook cannot be read; open it in Excel and save it again as .xlsx. "
            f"({type(error).__name__})"
        ) from error
    try:
        names = [sheet.title.casefold() for sheet in workbook.worksheets]
        if not names:
            raise ImportRefused("This workbook has no worksheet.")
        chosen = names.index("measurements") if "measurements" in names else 0
        rows = workbook.worksheets[chosen].iter_rows(max_col=MAX_COLUMNS, values_only=True)
        return _sheet(XLSX, ((line, tuple(cells)) for line, cells in enumerate(rows, start=1)))
    except ImportRefused:
        raise
    except Exception as error:
        raise ImportRefused(
            "This Excel workbook cannot be read; open it in Excel and save it again as .xlsx. "
            f"({type(error).__name__})"
        ) from error
    finally:
        workbook.close()


def _is_blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _without_trailing_blanks(cells: tuple) -> tuple:
    end = len(cells)
    while end and _is_blank(cells[end - 1]):
        end -= 1
    return cells[:end]


def _sheet(kind: str, numbered_rows: Iterable[tuple[int, tuple]]) -> Sheet:
    header: tuple[str, ...] | None = None
    rows = []
    for line, cells in numbered_rows:
        if all(_is_blank(cell) for cell in cells):
            continue
        cells = _without_trailing_blanks(cells)  # a workbook pads every row to MAX_COLUMNS
        if header is None:
            header = tuple("" if cell is None else str(cell).strip() for cell in cells)
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportRefused(
                f"The file has more than {MAX_ROWS:,} rows of measurements. Split it into "
                "smaller files."
            )
        rows.append((line, cells))
    if header is None:
        raise ImportRefused("The file is empty: there is not even a heading row.")
    return Sheet(kind=kind, header=header, rows=tuple(rows))


# --- checking rows -----------------------------------------------------------------------------


def column_key(heading: str) -> str:
    """'Indicator ID', 'indicator_id' and ' indicator-id ' are all 'indicator_id'."""
    words = re.sub(r"[\s_\-]+", " ", heading.strip().casefold()).strip()
    return COLUMN_ALIASES.get(words, words.replace(" ", "_"))


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def check_rows(sheet: Sheet, indicators: Sequence[IndicatorRef]) -> Checked:
    """Every row of `sheet` checked against the project's indicators: the rows to save, or
    the errors that stop the whole file from being saved."""
    keys = [column_key(heading) for heading in sheet.header]
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, key in enumerate(keys):
        if key in REQUIRED_COLUMNS + READ_COLUMNS:
            if key in positions:
                errors.append(
                    RowError(None, key, f"The column “{sheet.header[index]}” appears twice.")
                )
            positions.setdefault(key, index)
    missing = [key for key in REQUIRED_COLUMNS if key not in positions]
    if missing:
        found = ", ".join(f"“{h}”" for h in sheet.header if h) or "none"
        errors.append(
            RowError(
                None,
                None,
                f"The file needs the columns {', '.join(REQUIRED_COLUMNS)}; it has no "
                f"{', '.join(missing)} column. Columns found: {found}. Download the template "
                "to see the layout.",
            )
        )
    ignored = tuple(
        heading
        for heading, key in zip(sheet.header, keys, strict=True)
        if heading and key not in positions
    )
    if errors:
        return Checked((), tuple(errors), (), ignored, sheet.kind, tuple(keys))
    if not sheet.rows:
        message = "The file has a heading row but no measurements under it."
        return Checked((), (RowError(None, None, message),), (), ignored, sheet.kind, tuple(keys))

    by_id = {ref.id: ref for ref in indicators}
    by_name: dict[str, list[IndicatorRef]] = {}
    for ref in indicators:
        by_name.setdefault(_name_key(ref.name), []).append(ref)

    parsed: list[ParsedRow] = []
    skipped: list[int] = []
    seen: dict[tuple[int, date], int] = {}
    for line, cells in sheet.rows:

        def cell(key: str, cells=cells):
            index = positions.get(key)
            return cells[index] if index is not None and index < len(cells) else None

        if _is_blank(cell("date")) and _is_blank(cell("value")):
            skipped.append(line)
            continue
        row_errors: list[RowError] = []

        def fail(column: str, message: str, line=line, row_errors=row_errors) -> None:
            row_errors.append(RowError(line, column, message))

        ref = _find_indicator(cell("indicator"), cell("indicator_id"), by_id, by_name, fail)
        when = _parse_or_fail(parse_date, cell("date"), "date", fail)
        value = _parse_or_fail(parse_value, cell("value"), "value", fail)
        note = text_from_cell(cell("note"))
        evidence = text_from_cell(cell("evidence"))
        if len(evidence) > EVIDENCE_MAX_LENGTH:
            fail("evidence", f"The evidence is longer than {EVIDENCE_MAX_LENGTH} characters.")
        if ref is not None and when is not None:
            first = seen.setdefault((ref.id, when), line)
            if first != line:
                fail(
                    "date",
                    f"A second value for “{ref.name}” on {when.day} {when:%b %Y}: row {first} has "
                    "one already. Keep one of the two rows.",
                )
        if row_errors:
            errors.extend(row_errors)
        else:
            parsed.append(ParsedRow(line, ref.id, ref.name, when, value, note, evidence))
    return Checked(tuple(parsed), tuple(errors), tuple(skipped), ignored, sheet.kind, tuple(keys))


def _parse_or_fail(parse, cell, column: str, fail):
    try:
        return parse(cell)
    except ValueError as error:
        fail(column, str(error))
        return None


def _find_indicator(name_cell, id_cell, by_id, by_name, fail) -> IndicatorRef | None:
    if not _is_blank(id_cell):
        try:
            number = int(Decimal(str(id_cell).strip()))
        except (InvalidOperation, ValueError):
            fail("indicator_id", f"“{id_cell}” is not an indicator id (a whole number).")
            return None
        if number in by_id:
            return by_id[number]
        if _is_blank(name_cell):
            fail("indicator_id", f"No indicator with id {number} in this project.")
            return None
    name = text_from_cell(name_cell)
    if not name:
        fail("indicator", "No indicator named: which indicator is this value for?")
        return None
    matches = by_name.get(_name_key(name), [])
    if len(matches) > 1:
        fail(
            "indicator",
            f"{len(matches)} indicators are called “{name}”: add an indicator_id column "
            "(an export has one) to say which.",
        )
        return None
    if not matches:
        close = difflib.get_close_matches(_name_key(name), list(by_name), n=1, cutoff=0.8)
        hint = f" Did you mean “{by_name[close[0]][0].name}”?" if close else ""
        fail("indicator", f"No indicator called “{name}” in this project.{hint}")
        return None
    return matches[0]


def text_from_cell(cell) -> str:
    """A cell as text, without the ' that an export puts before a formula-like start."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        text = cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    elif isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    else:
        text = str(cell)
    text = text.strip()
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


def parse_date(cell) -> date:
    """A date from a cell: a spreadsheet date, or text in one of DATE_FORMATS/MONTH_FORMATS."""
    if _is_blank(cell):
        raise ValueError("No date: every value needs the date (or first day of the period).")
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool):
        raise ValueError(f"“{cell}” is not a date.")
    if isinstance(cell, int | float | Decimal):
        if float(cell).is_integer() and int(cell) in EXCEL_SERIALS:
            return EXCEL_EPOCH + timedelta(days=int(cell))
        raise ValueError(f"“{cell}” is a number, not a date. Write dates like 2026-04-01.")
    text = str(cell).strip()
    # "2026-04-01 00:00:00" or "2026-04-01T00:00": a date with a midnight time.
    text = re.sub(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?$", r"\1", text)
    for formats in (DATE_FORMATS, MONTH_FORMATS):
        for pattern in formats:
            try:
                when = datetime.strptime(text, pattern).date()
            except ValueError:
                continue
            if 1900 <= when.year <= 2200:
                return when
    raise ValueError(
        f"“{text[:40]}” cannot be read as a date. Write it as 2026-04-01, 01/04/2026, "
        "1 Apr 2026, or Apr 2026 for a month."
    )


def parse_value(cell) -> Decimal:
    """A number from a cell, rounded to DECIMAL_PLACES; ValueError says what is wrong."""
    if _is_blank(cell):
        raise ValueError("No value. Leave out the row, or write the number measured.")
    if isinstance(cell, bool) or isinstance(cell, date):
        raise ValueError(f"“{cell}” is not a number.")
    if isinstance(cell, int | Decimal):
        number = Decimal(cell)
    elif isinstance(cell, float):
        if not math.isfinite(cell):
            raise ValueError("The value is not a finite number.")
        number = Decimal(repr(cell))
    else:
        text = str(cell).strip().replace("\u00a0", "").replace(" ", "")
        text = text.removeprefix("£").removeprefix("$").removeprefix("€").removesuffix("%")
        if GROUPED_NUMBER.fullmatch(text):
            text = text.replace(",", "")
        if not NUMBER.fullmatch(text):
            raise ValueError(f"“{str(cell).strip()[:40]}” is not a number.")
        number = Decimal(text)
    too_large = f"{str(cell)[:40]} is too large: values must be below 10^{MAX_INTEGER_DIGITS}."
    if abs(number) >= Decimal(10) ** MAX_INTEGER_DIGITS:
        raise ValueError(too_large)  # before quantize, which fails on 1e400
    rounded = number.quantize(Decimal(1).scaleb(-DECIMAL_PLACES), rounding=ROUND_HALF_EVEN)
    if abs(rounded) >= Decimal(10) ** MAX_INTEGER_DIGITS:
        raise ValueError(f"{cell} is too large: values must be below 10^{MAX_INTEGER_DIGITS}.")
    return rounded


# --- writing files -----------------------------------------------------------------------------


def neutralise(cell):
    """A text cell made safe to open in a spreadsheet: see the module docstring."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _csv_cell(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format(cell.normalize(), "f")
    if isinstance(cell, date):
        return cell.isoformat()
    return neutralise(str(cell))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 CSV with a byte order mark, so that Excel reads £ and accents correctly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    title: str = "Measurements",
    widths: dict[str, int] | None = None,
) -> bytes:
    """A one-sheet workbook: bold heading row, dates formatted as dates, text never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for index, heading in enumerate(header):
        letter = _column_letter(index)
        sheet.column_dimensions[letter].width = (widths or {}).get(heading, 14)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading_cells = []
    for heading in header:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        heading_cells.append(cell)
    sheet.append(heading_cells)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would store "=…" as a formula
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
