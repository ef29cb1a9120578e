"""Geometry for the domain × level heat map, drawn as SVG by `_heatmap.html`.

Each cell's shade is the share of the domain's questions scored at that level, so a row
reads as that domain's profile whatever its number of questions; the count is written in the
cell. The template does no arithmetic, and the same markup serves the page and a PDF.
"""

from dataclasses import dataclass

WIDTH = 760
LABEL_WIDTH = 280
HEADER_HEIGHT = 34
ROW_HEIGHT = 52
LABEL_CHARS = 32  # characters of a domain name per line at the label font size
LIGHT = (244, 248, 251)
DARK = (31, 78, 110)  # the site's header colour


@dataclass(frozen=True)
class Cell:
    x: float
    y: float
    width: float
    height: float
    cx: float  # where the count is written
    cy: float
    count: int
    fill: str
    ink: str  # the count's colour, readable on `fill`
    label: str  # for screen readers and tooltips


@dataclass(frozen=True)
class RowLabel:
    y: float
    lines: list[tuple[float, str]]  # (y, text)


@dataclass(frozen=True)
class ColumnLabel:
    x: float
    text: str


@dataclass(frozen=True)
class Heatmap:
    width: int
    height: int
    label_width: int
    cells: list[Cell]
    rows: list[RowLabel]
    columns: list[ColumnLabel]


def _shade(share: float) -> str:
    r, g, b = (
        round(light + (dark - light) * share) for light, dark in zip(LIGHT, DARK, strict=True)
    )
    return f"#{r:02x}{g:02x}{b:02x}"


def _wrap(text: str, width: int = LABEL_CHARS) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > 2:  # two lines fit a row; the full name is in the row's <title>
        lines = [lines[0], (" ".join(lines[1:]))[: width - 1] + "…"]
    return lines


def heatmap(results) -> Heatmap:
    """The heat map of `selectors.RoundResults`."""
    levels = results.levels
    column_width = (WIDTH - LABEL_WIDTH) / max(len(levels), 1)
    cells, rows = [], []
    for row, domain in enumerate(results.domains):
        y = HEADER_HEIGHT + row * ROW_HEIGHT
        lines = _wrap(domain.domain.name)
        first_line = y + ROW_HEIGHT / 2 - (len(lines) - 1) * 8 + 5
        rows.append(RowLabel(y=y, lines=[(first_line + i * 16, t) for i, t in enumerate(lines)]))
        for column, (level, count) in enumerate(zip(levels, domain.counts, strict=True)):
            share = count / domain.total if domain.total else 0
            cells.append(
                Cell(
                    x=round(LABEL_WIDTH + column * column_width, 1),
                    y=y,
                    width=round(column_width, 1),
                    height=ROW_HEIGHT,
                    cx=round(LABEL_WIDTH + (column + 0.5) * column_width, 1),
                    cy=y + ROW_HEIGHT / 2,
                    count=count,
                    fill=_shade(share),
                    ink="#ffffff" if share > 0.65 else "#1d2b36" if count else "#6c757d",
                    label=f"{domain.domain.name}: {count} of {domain.total} at {level.name}",
                )
            )
    columns = [
        ColumnLabel(x=round(LABEL_WIDTH + (i + 0.5) * column_width, 1), text=level.name)
        for i, level in enumerate(levels)
    ]
    height = HEADER_HEIGHT + len(results.domains) * ROW_HEIGHT + 2
    return Heatmap(
        width=WIDTH, height=height, label_width=LABEL_WIDTH, cells=cells, rows=rows,
        columns=columns,
    )
