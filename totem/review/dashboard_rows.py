"""The dashboard's table rows, written in Python rather than by a template loop: 500 rows of
ten cells took a second through the template engine and take a few milliseconds here (as
`projects.templatetags.measures.chart_points` does for chart points). Every text is escaped by
format_html; the markup matches templates/review/dashboard.html's table head."""

from functools import lru_cache

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from .portfolio import ProjectSummary


@lru_cache(maxsize=32)
def icon(css: str, letter: str) -> SafeString:
    letter_svg = (
        format_html(
            '<text class="spc-icon-letter spc-icon-letter-big" x="12" y="16.5" '
            'text-anchor="middle">{}</text>',
            letter,
        )
        if letter
        else ""
    )
    return format_html(
        '<svg class="spc-icon spc-icon-{}" width="18" height="18" viewBox="0 0 24 24" '
        'aria-hidden="true"><circle class="spc-icon-disc" cx="12" cy="12" r="11"/>{}</svg>',
        css,
        letter_svg,
    )


@lru_cache(maxsize=512)
def _count(css: str, letter: str, words: str, count: int) -> str:
    return (
        f'<span class="mdc-count" title="{escape(words)}: {count}">{icon(css, letter)}'
        f'<span class="visually-hidden">{escape(words)}:</span> {count}</span>'
    )


def _counts(counts) -> str:
    return " ".join(
        _count(css, letter, words, count) for _, words, css, letter, count in counts if count
    )


class Links:
    """Each row's links from one reverse() per URL name: a 500-row table would otherwise spend
    a tenth of its time reversing."""

    def __init__(self):
        self.project = reverse("projects:project-detail", args=[0]).replace("/0/", "/{}/")
        self.indicators = reverse("projects:indicator-list", args=[0]).replace("/0/", "/{}/")
        pack = reverse("review:pack-detail", args=[0, 999999])
        self.pack = pack.replace("/0/", "/{}/", 1).replace("999999", "{}")


def row_html(row: ProjectSummary, links: Links) -> str:
    """One row; every text from the database goes through escape()."""
    project = row.project
    pk = project.pk
    attention = ""
    if row.needs_attention:
        attention = (
            '<div class="small attention"><span class="badge text-bg-warning">Needs attention'
            f"</span> {escape('; '.join(row.attention_reasons))}</div>"
        )
    if row.readiness:
        css = "text-success" if row.readiness_ready else "text-danger"
        readiness = f'<span class="{css}">{escape(row.readiness)}</span>'
    else:
        readiness = '<span class="text-body-secondary">No checklist yet</span>'
    if row.outcome_focus is None:
        focus = '<span class="text-body-secondary">—</span>'
    else:
        focus = f'{int(row.outcome_focus)}<span class="text-body-secondary">/100</span>'
    objectives = (
        f'<span class="status-badge status-{row.status}">{row.status_label}</span>'
        '<div class="objective-counts">'
        f'<span title="On track or achieved">On track {row.on_track}</span> · '
        f"<span>At risk {row.at_risk}</span><br>"
        f'<span title="Off track or missed">Off track {row.off_track}</span> · '
        f"<span>No data {row.no_data}</span></div>"
    )
    overdue = "0"
    if row.overdue:
        href = links.indicators.format(pk)
        overdue = f'<a class="text-danger fw-semibold" href="{href}">{row.overdue}</a>'
    waiting = "0"
    if row.decisions_waiting:
        reasons = escape(" ".join(row.decisions_waiting))
        waiting = f'<span title="{reasons}">{len(row.decisions_waiting)}</span>'
    pack = row.last_pack
    if pack is not None:
        made = f", {localtime(pack.rendered_at):%-d %b %Y}" if pack.rendered_at else ""
        last = f'<a href="{links.pack.format(pk, pack.pk)}">Version {pack.version}</a>{made}'
    else:
        last = '<span class="text-body-secondary">None yet</span>'
    decision = row.last_decision
    if decision is not None:
        last += (
            f'<div class="decision-{decision.outcome}">'
            f"{escape(decision.get_outcome_display())} {decision.decided_on:%-d %b %Y}</div>"
        )
    return (
        f'<tr class="portfolio-row{" needs-attention" if row.needs_attention else ""}" '
        f'data-project="{pk}"><th scope="row"><a href="{links.project.format(pk)}">'
        f"{escape(project.title)}</a>"
        f'<div class="small text-body-secondary">{escape(row.organisation.name)} · '
        f"{escape(row.role.capitalize())}</div>{attention}</th>"
        f"<td>{escape(project.get_stage_display())}</td><td>{readiness}</td><td>{focus}</td>"
        f'<td class="small text-nowrap">{objectives}</td>'
        f'<td class="text-nowrap">{_counts(row.variation_counts)}</td>'
        f'<td class="text-nowrap">{_counts(row.assurance_counts)}</td>'
        f'<td>{overdue}</td><td>{waiting}</td><td class="small">{last}</td></tr>'
    )


def table_rows(rows) -> SafeString:
    links = Links()
    return mark_safe("".join(row_html(row, links) for row in rows))  # noqa: S308 - escaped above
