"""The portfolio dashboard: every project a person may see (or an organisation's), one row a
project, filtered and sorted on the server, exported as CSV or XLSX. Reads through
`portfolio.portfolio_summaries`; access as everywhere (`projects.access` roles, membership of
the organisation for its own page)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from assessments.access import get_organisation_for_user
from projects import imports
from projects.models import Membership, Project

from . import dashboard_rows, portfolio
from .forms import PortfolioFilterForm

SORT_CHOICES = [
    ("title", "Project"),
    ("organisation", "Organisation"),
    ("stage", "Stage"),
    ("status", "Status"),
    ("focus", "Outcome focus"),
    ("overdue", "Overdue figures"),
    ("attention", "Needs attention"),
]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _filters(request, rows, organisation):
    organisations = {row.organisation.pk: row.organisation for row in rows}
    form = PortfolioFilterForm(
        request.GET or None,
        organisations=sorted(organisations.values(), key=lambda o: o.name),
        stages=Project.Stage.choices,
        statuses=list(portfolio.STATUS_LABELS.items()),
        sorts=SORT_CHOICES,
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    chosen = portfolio.PortfolioFilter(
        organisation=None if organisation else data.get("organisation"),
        stage=data.get("stage") or "",
        status=data.get("status") or "",
        attention=bool(data.get("attention")),
        sort=data.get("sort") or "title",
        descending=bool(data.get("descending")),
    )
    return form, chosen


def _organisation(request, organisation_id):
    if organisation_id is None:
        return None
    return get_organisation_for_user(request.user, organisation_id)


def _summaries(request, organisation):
    return portfolio.portfolio_summaries(
        request.user, today=timezone.localdate(), organisation=organisation
    )


@require_safe
def dashboard(request, organisation_id=None):
    """One row a project: stage, readiness, outcome focus, objectives, Making Data Count
    icons, overdue figures, decisions waiting and the last pack."""
    organisation = _organisation(request, organisation_id)
    rows = _summaries(request, organisation)
    form, chosen = _filters(request, rows, organisation)
    shown = portfolio.filter_and_sort(rows, chosen)
    query = request.GET.urlencode()
    sort_links = {}
    for key, _ in SORT_CHOICES:
        params = request.GET.copy()
        params["sort"] = key
        params.pop("descending", None)
        if key == chosen.sort and not chosen.descending:
            params["descending"] = "on"
        sort_links[key] = params.urlencode()
    export = "review:org-dashboard-export" if organisation else "review:portfolio-export"
    export_args = [organisation.pk] if organisation else []
    member_of = (
        []
        if organisation
        else list(
            Membership.objects.filter(user=request.user)
            .select_related("organisation")
            .order_by("organisation__name")
        )
    )
    context = {
        "organisation": organisation,
        "rows": shown,
        "table_rows": dashboard_rows.table_rows(shown),
        "total": len(rows),
        "form": form,
        "chosen": chosen,
        "sort_links": sort_links,
        "query": query,
        "csv_url": reverse(export, args=[*export_args, "csv"]) + (f"?{query}" if query else ""),
        "xlsx_url": reverse(export, args=[*export_args, "xlsx"]) + (f"?{query}" if query else ""),
        "member_of": member_of,
        "variation_icons": portfolio.VARIATION_ICONS,
        "assurance_icons": portfolio.ASSURANCE_ICONS,
        "attention_rule": portfolio.ATTENTION_RULE,
        "status_rule": portfolio.trajectory.STATUS_RULE,
    }
    return render(request, "review/dashboard.html", context)


EXPORT_HEADER = [
    "Project",
    "Lead organisation",
    "Stage",
    "Your role",
    "Status",
    "Readiness",
    "Outcome focus",
    "Objectives on track",
    "Objectives at risk",
    "Objectives off track",
    "Objectives with no data",
    *(f"Variation: {icon[1]}" for icon in portfolio.VARIATION_ICONS),
    *(f"Assurance: {icon[1]}" for icon in portfolio.ASSURANCE_ICONS),
    "Overdue figures",
    "Decisions waiting",
    "Last pack",
    "Last pack made",
    "Last decision",
    "Decided on",
    "Needs attention",
    "Link",
]


def export_rows(request, rows):
    for row in rows:
        pack, decision = row.last_pack, row.last_decision
        yield (
            row.project.title,
            row.organisation.name,
            row.project.get_stage_display(),
            row.role.capitalize(),
            row.status_label,
            row.readiness or "No checklist yet",
            row.outcome_focus,
            row.objectives[portfolio.ON_TRACK],
            row.objectives[portfolio.AT_RISK],
            row.objectives[portfolio.OFF_TRACK],
            row.objectives[portfolio.NO_DATA],
            *(row.variation[icon[0]] for icon in portfolio.VARIATION_ICONS),
            *(row.assurance[icon[0]] for icon in portfolio.ASSURANCE_ICONS),
            row.overdue,
            len(row.decisions_waiting),
            f"Version {pack.version}" if pack else "",
            timezone.localtime(pack.rendered_at).date() if pack and pack.rendered_at else None,
            decision.get_outcome_display() if decision else "",
            decision.decided_on if decision else None,
            "; ".join(row.attention_reasons),
            request.build_absolute_uri(reverse("projects:project-detail", args=[row.project.pk])),
        )


@require_safe
def dashboard_export(request, fmt, organisation_id=None):
    """The dashboard's rows, as filtered and sorted on the page, as CSV or XLSX."""
    if fmt not in CONTENT_TYPES:
        raise Http404("Export as csv or xlsx.")
    organisation = _organisation(request, organisation_id)
    rows = _summaries(request, organisation)
    _, chosen = _filters(request, rows, organisation)
    shown = portfolio.filter_and_sort(rows, chosen)
    body = export_rows(request, shown)
    if fmt == "xlsx":
        content = imports.xlsx_bytes(EXPORT_HEADER, body, title="Portfolio", widths={"project": 40})
    else:
        content = imports.csv_bytes(EXPORT_HEADER, body)
    who = slugify(organisation.name)[:60] if organisation else "all-projects"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = f"portfolio-{who}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
