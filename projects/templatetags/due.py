"""Due state of an indicator's next figure (projects.due), as a badge or a subtle mark."""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from ..selectors.due import indicator_due

register = template.Library()

BADGE_CLASSES = {"due": "text-bg-warning", "overdue": "text-bg-danger"}


@register.simple_tag
def figure_due(indicator, project):
    """The Due of `indicator`'s next figure, for templates that need more than a badge."""
    return indicator_due(indicator, project, today=timezone.localdate())


@register.simple_tag
def due_badge(indicator, project):
    """"Due by 31 Mar" / "Overdue since 8 Mar", or nothing when no figure is wanted yet."""
    state = indicator_due(indicator, project, today=timezone.localdate())
    if state.is_overdue:
        words = f"Overdue: {state.period.label}, due {state.due_on:%-d %b}"
    elif state.is_due:
        words = f"Due by {state.due_on:%-d %b}: {state.period.label}"
    else:
        return ""
    return format_html(
        '<span class="badge {} figure-due">{}</span>', BADGE_CLASSES[state.state], words
    )


@register.simple_tag
def due_mark(indicator, project):
    """A small mark beside an indicator on the poster: a figure is due or overdue."""
    state = indicator_due(indicator, project, today=timezone.localdate())
    if not state.needs_figure:
        return ""
    words = f"{state.label}: the figure for {state.period.label}"
    return format_html(
        '<span class="due-mark due-mark-{}" title="{}"><span class="visually-hidden">{}</span>'
        "</span>",
        state.state,
        words,
        words,
    )
