"""Fitting the Impact Totem poster onto paper: how big the type, how many columns of trunk.

The PDF draws the poster with the page's own partials and stylesheet (`projects/_poster*.html`,
`totem.css`); everything in it is sized in rem, so one root font size scales the whole drawing.
The totem stays one trunk, read bottom-up like the web poster, at any type size down to the
smallest; only a totem too tall for that is cut into columns read left to right, each bottom-up
— tasks 1 to 14 in the first, 15 to 28 in the second. The pack's A4 page draws the A3 sheet
scaled down (`pack_scale`), so it reads as the same one totem as the poster.

Heights are estimated from the text lengths (a generous average character width for DejaVu
Sans); `kinds` renders again one step smaller in the rare case the estimate was optimistic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PT_MM = 0.3528
LINE = 1.3  # line height, in ems
CHAR_EM = 0.62  # average character width of DejaVu Sans, in ems
BOLD = 1.1  # bold type is this much wider
WRAP_LOSS = 3  # characters a line loses, on average, to breaking between words
RUBRIC = "you should evaluate the extent to which you have"

# usable width and height in mm: the page less its margins, the poster's head and base, the
# column labels.
PAPERS = {"A3": {"width": 400, "height": 277, "fixed_rem": 14}}
# The A3 poster is its own document and scales through its root font size.
FONT_SIZES = {"A3": (16, 14, 12, 11, 10, 9, 8.5, 8, 7.5, 7, 6.5, 6)}
MAX_COLUMNS = 4
PACK_ROOT_PT = 9  # pdf.css: the pack's root font size
SAFETY = 1.08  # the height estimate's margin when the pack scales the sheet to its page


@dataclass(frozen=True)
class PosterRow:
    task: object
    number: int
    flip: bool


@dataclass(frozen=True)
class PosterLayout:
    paper: str
    font_pt: float
    columns: int
    pages: tuple[tuple[tuple[PosterRow, ...], ...], ...]  # page -> columns -> rows, top first
    height_mm: float = 0.0  # the estimated height of the tallest column

    @property
    def compact(self) -> bool:
        return self.columns > 1

    @property
    def single_page(self) -> bool:
        return len(self.pages) == 1


def _lines(text: str, width_mm: float, font_mm: float, *, bold: bool = False) -> int:
    per_line = int(width_mm / (font_mm * CHAR_EM * (BOLD if bold else 1))) - WRAP_LOSS
    return max(1, math.ceil(len(text) / max(per_line, 4)))


@dataclass(frozen=True)
class Metrics:
    """The PDF poster's spacing in rem (pdf.css): roomy on one column, compact on several,
    where the impacts drop their repeated rubric (the base of the poster still explains it)."""

    wing_pad_v: float
    wing_pad_h: float
    impact_pad_v: float
    impact_pad_h: float
    task_pad_v: float
    task_min: float
    gap: float
    rubric: bool


ROOMY = Metrics(0.5, 0.8, 0.5, 0.75, 0.75, 5, 0.5, True)
COMPACT = Metrics(0.25, 0.4, 0.3, 0.5, 0.4, 2.5, 0.3, False)
BORDERS = 1.2  # mm: an impact's two 2px borders


def _wing_height(impacts, width_mm: float, rem: float, m: Metrics) -> float:
    """Height (mm) of one wing's impacts."""
    inner = width_mm - 2 * m.wing_pad_h * rem - 2 * m.impact_pad_h * rem - BORDERS
    height = 2 * m.wing_pad_v * rem
    for impact in impacts:
        indicators = list(impact.indicators.all())
        height += 2 * m.impact_pad_v * rem + BORDERS + m.gap * rem
        if m.rubric:
            height += _lines(RUBRIC, inner, 0.7 * rem) * 0.7 * rem * LINE
        height += _lines(impact.statement, inner, rem, bold=True) * rem * LINE
        for indicator in indicators:
            height += _lines("Leading " + indicator.name, inner, 0.85 * rem) * 0.85 * rem * LINE
        if indicators:
            height += 0.35 * rem
        if not indicators or not any(i.is_leading for i in indicators):
            height += 0.7 * rem * LINE + 0.25 * rem  # the flag
    if not impacts:
        gap_text = "No impact What should be different when this task is done?"
        height += 2 * m.impact_pad_v * rem + BORDERS + _lines(gap_text, inner, rem) * rem * LINE
    return height


def row_height(task, column_mm: float, rem: float, m: Metrics = ROOMY) -> float:
    trunk = column_mm * 0.3  # pdf.css: the trunk is 30% of a column
    wing = (column_mm - trunk) / 2
    impacts = list(task.impacts.all())
    trunk_height = max(
        m.task_min * rem,
        2 * m.task_pad_v * rem
        + 0.7 * rem * LINE
        + _lines(task.title, trunk - 2 * rem, rem, bold=True) * rem * LINE,
    )
    return max(
        trunk_height,
        _wing_height(impacts[0::2], wing, rem, m),
        _wing_height(impacts[1::2], wing, rem, m),
    )


def _columns(heights: list[float], count: int) -> list[list[int]]:
    """Split rows (bottom first) into at most `count` runs, in order, so that the tallest run is
    as short as it can be (the linear partition problem; n is small, so plain dynamic
    programming)."""
    n = len(heights)
    if n == 0:
        return [[]]
    count = min(count, n)
    prefix = [0.0]
    for height in heights:
        prefix.append(prefix[-1] + height)
    # best[k][i]: the tallest run when the first i rows go into k runs; cut[k][i]: where the
    # last of those runs starts.
    best = [[math.inf] * (n + 1) for _ in range(count + 1)]
    cut = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        for i in range(1, n + 1):
            for j in range(k - 1, i):
                tallest = max(best[k - 1][j], prefix[i] - prefix[j])
                if tallest < best[k][i]:
                    best[k][i], cut[k][i] = tallest, j
    runs, i = [], n
    for k in range(count, 0, -1):
        j = cut[k][i]
        runs.append(list(range(j, i)))
        i = j
    return [run for run in reversed(runs) if run]


def _fits(heights, columns: int, available: float):
    runs = _columns(heights, columns)
    tallest = max(sum(heights[i] for i in run) for run in runs)
    return runs if tallest <= available else None


def poster_layout(tasks, *, paper: str = "A3", shrink: int = 0) -> PosterLayout:
    """The largest type (then the fewest columns) that fits the totem on `paper`.

    `shrink` skips that many of the sizes that would fit: the caller's second try when a
    render came out taller than estimated.
    """
    spec = PAPERS[paper]
    tasks = list(tasks)
    n = len(tasks)
    sizes = FONT_SIZES[paper]
    smallest = sizes[-1]
    candidates = []
    # One trunk at every size before any columns: the web poster is one trunk.
    for columns in range(1, min(MAX_COLUMNS, max(n, 1)) + 1):
        column_mm = (spec["width"] - (columns - 1) * 6) / columns
        metrics = COMPACT if columns > 1 else ROOMY
        for size in sizes:
            rem = size * PT_MM
            available = spec["height"] - spec["fixed_rem"] * rem
            heights = [row_height(task, column_mm, rem, metrics) for task in tasks]
            runs = _fits(heights, columns, available)
            if runs is not None:
                candidates.append((size, columns, runs, _tallest(heights, runs)))
    if candidates:
        size, columns, runs, height = candidates[min(shrink, len(candidates) - 1)]
        return _layout(paper, size, columns, [runs], tasks, height)
    # Nothing fits at readable sizes: the smallest size on the most columns.
    size, columns = smallest, MAX_COLUMNS
    rem = size * PT_MM
    column_mm = (spec["width"] - (columns - 1) * 6) / columns
    heights = [row_height(t, column_mm, rem, COMPACT) for t in tasks]
    runs = _columns(heights, columns)
    return _layout(paper, size, columns, [runs], tasks, _tallest(heights, runs))


def _tallest(heights, runs) -> float:
    return max(sum(heights[i] for i in run) for run in runs) if heights else 0.0


def pack_scale(layout: PosterLayout, *, width_mm: float, height_mm: float) -> dict:
    """How the pack draws the A3 `layout` in a `width_mm` x `height_mm` box on its A4 page.

    The pack's root font size is its own 9pt and the poster is sized in rem, so the sheet is
    laid out at the A3 width times 9 / the poster's size (the same drawing, in the pack's rem)
    and then scaled as a whole: the same one trunk as the poster, only smaller.
    """
    spec = PAPERS["A3"]
    ratio = PACK_ROOT_PT / layout.font_pt
    drawn = (layout.height_mm + 2 * layout.font_pt * PT_MM) * SAFETY  # and the column labels
    fit = min(width_mm / spec["width"], height_mm / max(drawn, 1.0), 1.0)
    return {
        "layout": layout,
        "width_mm": round(spec["width"] * ratio, 2),
        "scale": round(fit / ratio, 4),
        "height_mm": round(drawn * fit, 2),
    }


def _layout(paper, size, columns, pages, tasks, height_mm=0.0) -> PosterLayout:
    n = len(tasks)

    def row(index: int) -> PosterRow:
        number = index + 1
        # As on the page: counting from the top of the whole trunk, every second row flips.
        return PosterRow(tasks[index], number, flip=(n - number) % 2 == 1)

    return PosterLayout(
        paper=paper,
        font_pt=size,
        columns=columns,
        height_mm=height_mm,
        pages=tuple(
            tuple(tuple(row(i) for i in reversed(run)) for run in page) for page in pages
        ),
    )
