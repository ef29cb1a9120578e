"""The outcome coach in templates: its notes under each statement of the chain, and the htmx
attributes that ask for a hint as people type.

The notes use what `selectors.project_chain` prefetched, so the chain renders with no further
queries; every check is `projects.coach`'s (through `selectors.coach`).
"""

from django import template
from django.utils.html import format_html_join

from ..forms.coach import hint_attrs
from ..models import Impact, Indicator
from ..selectors import coach

register = template.Library()


@register.inclusion_tag("projects/coach/_note.html")
def coach_note(item):
    """The coach's notes on an impact or an indicator of the chain, folded away in a
    <details>. An impact without any indicator is left out: the chain says so already."""
    if isinstance(item, Impact):
        findings = coach.impact_statement_findings(item) + [
            finding
            for finding in coach.impact_indicator_findings(item)
            if finding.code != "no-indicator"
        ]
    elif isinstance(item, Indicator):
        findings = coach.indicator_findings(item, item.impact)
    else:
        raise TypeError(f"The coach has no notes on a {type(item).__name__}.")
    return {"findings": findings}


@register.simple_tag(takes_context=True)
def coach_hint_attrs(context, kind):
    """The attributes that make a field ask the coach for a hint (see `forms.coach`)."""
    return format_html_join(" ", '{}="{}"', hint_attrs(context["project"].pk, kind).items())
