"""Template tags for SPC icons and the roll-up state of impacts and tasks.

They compute from the series `selectors.project_chain` attaches to every indicator, so a
poster or list of any size renders with no further queries.
"""

from functools import lru_cache
from html import escape  # the standard library's: Django's lazy-aware one is 3x slower here

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .. import rollup, spc
from ..selectors import measures as selectors

register = template.Library()

# (css class, letter, words for a screen reader and a tooltip)
VARIATION_ICONS = {
    spc.VARIATION_IMPROVEMENT: ("improvement", "Special cause variation: improvement"),
    spc.VARIATION_CONCERN: ("concern", "Special cause variation: concern"),
    spc.VARIATION_COMMON: ("common", "Common cause variation: no significant change"),
    spc.NOT_ENOUGH_DATA: (
        "none",
        f"Variation: not enough data (fewer than {spc.MIN_POINTS_FOR_LIMITS} points)",
    ),
}
ASSURANCE_ICONS = {
    spc.ASSURANCE_PASSING: ("improvement", "P", "Assurance: will consistently meet the target"),
    spc.ASSURANCE_FAILING: ("concern", "F", "Assurance: will consistently miss the target"),
    spc.ASSURANCE_HIT_AND_MISS: (
        "common",
        "?",
        "Assurance: hit and miss, the target lies within the process limits",
    ),
    spc.NOT_ENOUGH_DATA: ("none", "", "Assurance: too few points to judge against the target"),
    spc.ASSURANCE_NO_TARGET: ("none", "", "Assurance: no target set"),
}
# The little series drawn inside a variation icon: five dots, 24 x 24 box.
SPARK = {
    "flat": "4,15 8,13.5 12,15 16,13.5 20,15",
    "high": "4,19 8,18 12,19 16,16 20,13",
    "low": "4,13 8,14 12,13 16,16 20,19",
}


@register.simple_tag
def indicator_icons(indicator, size=24):
    """Variation and assurance icons for `indicator`, each with its words for screen readers."""
    analysis = selectors.indicator_analysis(indicator)
    side = analysis.variation_side if analysis.variation in SPECIAL_CAUSES else None
    return _icons_html(analysis.variation, side, analysis.assurance, int(size))


SPECIAL_CAUSES = (spc.VARIATION_IMPROVEMENT, spc.VARIATION_CONCERN)


@lru_cache(maxsize=256)
def _icons_html(variation: str, side: str | None, assurance: str, size: int) -> str:
    """The icons' markup: a handful of combinations, each drawn once per process, so that a
    poster of a hundred indicators does not render the icon template a hundred times."""
    variation_class, variation_words = VARIATION_ICONS[variation]
    letter = {spc.HIGH: "H", spc.LOW: "L"}.get(side, "")
    if letter:
        variation_words += f" ({'higher' if side == spc.HIGH else 'lower'} values)"
    spark = SPARK[{"H": "high", "L": "low"}.get(letter, "flat")]
    dots = [tuple(float(n) for n in pair.split(",")) for pair in spark.split()]
    assurance_class, assurance_letter, assurance_words = ASSURANCE_ICONS[assurance]
    context = {
        "size": size,
        "variation": {"css": variation_class, "letter": letter, "words": variation_words},
        "dots": dots,
        "assurance": {"css": assurance_class, "letter": assurance_letter, "words": assurance_words},
    }
    return render_to_string("projects/measures/_icons.html", context)  # a SafeString


@register.simple_tag
def chart_points(chart: selectors.Chart) -> str:
    """The chart's points, each with its tooltip, and the note markers: written here rather
    than by a template loop, which takes 150 ms for 500 points and this 2 ms."""
    radius = chart.point_radius
    parts = []
    for view in chart.points:
        point = view.point
        # A provisional figure (not approved yet) is drawn hollow.
        approval = getattr(view.measurement, "approval", "approved")
        hollow = " spc-provisional" if approval != "approved" else ""
        title = view.title + (" (provisional)" if hollow else "")
        parts.append(
            f'<circle class="spc-point spc-{point.classification}{hollow}" cx="{point.x}" '
            f'cy="{point.y}" r="{radius}"><title>{escape(title)}</title></circle>'
        )
        if view.note_number:
            parts.append(
                f'<text class="spc-note-marker" x="{point.x}" y="{point.y}" dy="-9" '
                f'text-anchor="middle">{view.note_number}</text>'
            )
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


@register.simple_tag
def impact_state(impact) -> rollup.State:
    return selectors.impact_state(impact)


@register.simple_tag
def task_state(task) -> rollup.State:
    return selectors.task_state(task)


@register.simple_tag
def indicator_analysis(indicator) -> selectors.IndicatorAnalysis:
    return selectors.indicator_analysis(indicator)


@register.simple_tag
def leading_without_data(impact):
    return selectors.leading_without_data(impact)


@register.simple_tag
def rollup_rule() -> str:
    return rollup.ROLLUP_RULE
