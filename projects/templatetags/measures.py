"""Template tags for SPC icons and the roll-up state of impacts and tasks.

They compute from the measurements `selectors.project_chain` prefetches, so a poster or list of
any size renders with no further queries.
"""

from django import template

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


@register.inclusion_tag("projects/measures/_icons.html")
def indicator_icons(indicator, size=24):
    """Variation and assurance icons for `indicator`, each with its words for screen readers."""
    analysis = selectors.indicator_analysis(indicator)
    variation_class, variation_words = VARIATION_ICONS[analysis.variation]
    side = analysis.variation_side
    letter = (
        {spc.HIGH: "H", spc.LOW: "L"}.get(side, "")
        if variation_class
        in (
            "improvement",
            "concern",
        )
        else ""
    )
    if letter:
        variation_words += f" ({'higher' if side == spc.HIGH else 'lower'} values)"
    dots = [
        tuple(float(n) for n in pair.split(","))
        for pair in SPARK[{"H": "high", "L": "low"}.get(letter, "flat")].split()
    ]
    assurance_class, assurance_letter, assurance_words = ASSURANCE_ICONS[analysis.assurance]
    return {
        "size": size,
        "variation": {"css": variation_class, "letter": letter, "words": variation_words},
        "dots": dots,
        "assurance": {"css": assurance_class, "letter": assurance_letter, "words": assurance_words},
    }


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
