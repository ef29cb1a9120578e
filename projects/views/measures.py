"""Indicators over time: measurements, charts, quick entry, import and export, objectives and
the baseline.

Every view fetches the project through `access.get_project_for_user` and every child row
through `access.get_in_project` (or a selector that filters by project). Writes go through
`services.measures`; a refused write shows the form again with the reason beside the field.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from .. import imports, rollup, spc, trajectory
from ..access import Need, get_in_project, get_project_for_user
from ..forms.measures import (
    BaselineEntryForm,
    ChangePointForm,
    ImportConfirmForm,
    ImportForm,
    MeasurementForm,
    ObjectiveForm,
    QuickEntryForm,
    SpcSettingsForm,
    sign_rows,
)
from ..models import BaselineEntry, ChangePoint, Indicator, Measurement, Objective
from ..selectors import measures as selectors
from ..selectors.chain import project_chain
from ..services import ConflictError
from ..services import measures as services
from .common import rebind_at

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _day(when: date) -> str:
    return f"{when.day} {when:%b %Y}"


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


def _date_from(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


def _download(content: bytes, fmt: str, project, what: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = f"{slugify(project.title)[:60]}-{what}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _spreadsheet(fmt: str, header, rows, *, title: str) -> bytes:
    if fmt == "xlsx":
        return imports.xlsx_bytes(header, rows, title=title, widths=WIDTHS)
    return imports.csv_bytes(header, rows)


UPLOAD_ENVELOPE = 64 * 1024  # a form post's fields and multipart boundaries around the file
WIDTHS = {"task": 40, "impact": 40, "indicator": 40, "note": 40, "evidence": 30, "function": 24}


# --- the list of indicators --------------------------------------------------------------------


@require_safe
def indicator_list(request, project_id):
    project = get_project_for_user(request.user, project_id)
    context = {
        "project": project,
        "tasks": project_chain(project),
        "rollup_rule": rollup.ROLLUP_RULE,
        "tab": "indicators",
    }
    return render(request, "projects/measures/indicator_list.html", context)


# --- one indicator: chart, values, SPC settings ------------------------------------------------


def _indicator_page(request, project, indicator, *, status=200, **forms):
    can_edit = project.user_can["edit"]
    context = {
        "project": project,
        "indicator": indicator,
        "chart": selectors.indicator_chart(indicator),
        "changes": selectors.measurement_history(indicator),
        "rule_set": spc.RULE_SET,
        "rollup_rule": rollup.ROLLUP_RULE,
        "baseline_points": spc.BASELINE_POINTS,
        "min_points": spc.MIN_POINTS_FOR_LIMITS,
        "tab": "indicators",
    }
    if can_edit:
        context["measurement_form"] = MeasurementForm(initial={"date": _this_month()})
        context["spc_form"] = SpcSettingsForm(instance=indicator)
        context["change_point_form"] = ChangePointForm()
    context.update(forms)
    return render(request, "projects/measures/indicator_detail.html", context, status=status)


def _redirect_to_indicator(project, indicator):
    return redirect("projects:indicator-detail", project.pk, indicator.pk)


@require_safe
def indicator_detail(request, project_id, pk):
    project = get_project_for_user(request.user, project_id)
    indicator = selectors.indicator_for_page(project, pk)
    return _indicator_page(request, project, indicator)


def measurement_record(request, project_id, pk):
    """GET (?date=…): the indicator's page with the form filled in from that date's value."""
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    indicator = selectors.indicator_for_page(project, pk)
    if request.method != "POST":
        when = _date_from(request.GET.get("date"), _this_month())
        current = next((m for m in indicator.measurements.all() if m.date == when), None)
        form = MeasurementForm(instance=current, initial={"date": when})
        return _indicator_page(request, project, indicator, measurement_form=form)
    form = MeasurementForm(request.POST)
    if form.is_valid():
        try:
            summary = services.measurement_record(
                indicator=indicator, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            when = form.cleaned_data["date"]
            done = "Replaced the value" if summary.replaced else "Recorded a value"
            if not summary.saved:
                done = "Nothing changed for the value"
            messages.success(request, f"{done} for {_day(when)}.")
            return _redirect_to_indicator(project, indicator)
    return _indicator_page(request, project, indicator, measurement_form=form)


@require_POST
def measurement_delete(request, project_id, pk):
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    measurement = get_in_project(project, Measurement, pk)
    services.measurement_delete(measurement=measurement)
    messages.success(
        request,
        f"Deleted the value for {_day(measurement.date)}; the history below keeps it.",
    )
    return redirect("projects:indicator-detail", project.pk, measurement.indicator_id)


@require_POST
def indicator_spc(request, project_id, pk):
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    indicator = selectors.indicator_for_page(project, pk)
    form = SpcSettingsForm(request.POST, instance=indicator)
    if form.is_valid():
        try:
            services.indicator_spc_update(
                indicator=indicator,
                version=form.cleaned_data["version"],
                spc_baseline_end=form.cleaned_data["spc_baseline_end"],
            )
        except ConflictError as conflict:
            form = rebind_at(SpcSettingsForm, request, conflict.current)
        else:
            end = form.cleaned_data["spc_baseline_end"]
            where = f"the points up to {_day(end)}" if end else "the first 12 points"
            messages.success(request, f"The limits are now fixed on {where}.")
            return _redirect_to_indicator(project, indicator)
    indicator = selectors.indicator_for_page(project, pk)  # unchanged: draw it as it is
    return _indicator_page(request, project, indicator, spc_form=form)


@require_POST
def change_point_create(request, project_id, pk):
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    indicator = selectors.indicator_for_page(project, pk)
    form = ChangePointForm(request.POST)
    if form.is_valid():
        try:
            services.change_point_create(indicator=indicator, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            day = form.cleaned_data["date"]
            messages.success(request, f"Marked a change on {_day(day)}: limits re-based.")
            return _redirect_to_indicator(project, indicator)
    return _indicator_page(request, project, indicator, change_point_form=form)


@require_POST
def change_point_delete(request, project_id, pk):
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    change_point = get_in_project(project, ChangePoint, pk)
    services.change_point_delete(change_point=change_point)
    messages.success(request, f"Removed the change point of {_day(change_point.date)}.")
    return redirect("projects:indicator-detail", project.pk, change_point.indicator_id)


# --- this month's figures ----------------------------------------------------------------------


def quick_entry(request, project_id):
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    source = request.POST if request.method == "POST" else request.GET
    period = _date_from(source.get("date"), _this_month())
    show_all = source.get("all") == "1"
    rows = selectors.quick_entry_rows(project, project_chain(project), period)
    # Every indicator gets a field, so a value typed for one that is not shown is never lost.
    form = QuickEntryForm(request.POST or None, rows=rows, initial={"date": period})
    if request.method == "POST" and form.is_valid():
        entries = [
            services.MeasurementEntry(row.indicator, form.cleaned_data["date"], value, note)
            for row, value, note in form.entries()
        ]
        try:
            summary = services.measurements_record(
                project=project, entries=entries, user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _saved_message(summary, form.cleaned_data["date"]))
            return redirect("projects:indicator-list", project.pk)
    shown = [
        (row, value, note)
        for row, value, note in form.bound_rows()
        if show_all or row.due or value.value() not in (None, "")
    ]
    context = {
        "project": project,
        "form": form,
        "period": period,
        "shown": shown,
        "hidden_count": len(rows) - len(shown),
        "show_all": show_all,
        "tab": "indicators",
    }
    return render(request, "projects/measures/quick_entry.html", context)


def _saved_message(summary: services.RecordSummary, when: date | None = None) -> str:
    period = ""
    if when is not None:
        period = f" for {when:%B %Y}" if when.day == 1 else f" for {_day(when)}"
    parts = [f"Saved {summary.saved} value{'s' * (summary.saved != 1)}{period}"]
    if summary.replaced:
        parts.append(f"{summary.replaced} replaced an earlier value (kept in the history)")
    if summary.unchanged:
        parts.append(f"{summary.unchanged} unchanged")
    return "; ".join(parts) + "."


# --- import and export -------------------------------------------------------------------------


def measurement_import(request, project_id):
    """Upload → check every row → preview → save all or nothing."""
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    context = {"project": project, "tab": "indicators", "max_rows": imports.MAX_ROWS}
    announced = int(request.META.get("CONTENT_LENGTH") or 0)
    if request.method == "POST" and announced > imports.MAX_BYTES + UPLOAD_ENVELOPE:
        # Refused on its announced size, before Django reads the body onto disk.
        context["form"] = ImportForm.refused_for_size(announced)
        return render(request, "projects/measures/import.html", context)
    if request.method == "POST" and "rows" in request.POST:
        return _import_confirm(request, project, context)
    form = ImportForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        checked = imports.check_rows(form.sheet, selectors.indicator_refs(project))
        context["checked"] = checked
        if checked.ok:
            context["preview"] = selectors.import_preview(project, checked.rows)
            context["confirm_form"] = ImportConfirmForm(
                initial={"rows": sign_rows(project.pk, checked.rows)}, project_id=project.pk
            )
            context["file_name"] = form.cleaned_data["file"].name
    return render(request, "projects/measures/import.html", context)


def _import_confirm(request, project, context):
    confirm = ImportConfirmForm(request.POST, project_id=project.pk)
    if confirm.is_valid():
        rows = confirm.cleaned_data["rows"]
        indicators = Indicator.objects.filter(project=project).in_bulk(
            {indicator_id for indicator_id, *_ in rows}
        )
        if len(indicators) < len({indicator_id for indicator_id, *_ in rows}):
            confirm.add_error(
                None, "An indicator in the file was deleted after the check: upload it again."
            )
        else:
            entries = [
                services.MeasurementEntry(indicators[i], when, value, note, evidence)
                for i, when, value, note, evidence in rows
            ]
            try:
                summary = services.measurements_record(
                    project=project, entries=entries, user=request.user
                )
            except ValidationError as error:
                confirm.add_error(None, error)
            else:
                messages.success(request, "Imported: " + _saved_message(summary))
                return redirect("projects:indicator-list", project.pk)
    errors = [message for field_errors in confirm.errors.values() for message in field_errors]
    context.update(form=ImportForm(), confirm_errors=errors)
    return render(request, "projects/measures/import.html", context)


@require_safe
def measurement_export(request, project_id, fmt):
    project = get_project_for_user(request.user, project_id)
    rows = selectors.export_rows(project)
    content = _spreadsheet(fmt, imports.EXPORT_COLUMNS, rows, title="Measurements")
    return _download(content, fmt, project, "measurements")


@require_safe
def measurement_template(request, project_id, fmt):
    project = get_project_for_user(request.user, project_id)
    rows = selectors.template_rows(project)
    content = _spreadsheet(fmt, imports.TEMPLATE_COLUMNS, rows, title="Measurements")
    return _download(content, fmt, project, "measurements-template")


# --- objectives and the baseline ---------------------------------------------------------------


@require_safe
def objective_list(request, project_id):
    project = get_project_for_user(request.user, project_id)
    context = {
        "project": project,
        "statuses": selectors.objectives_with_status(project, today=timezone.localdate()),
        "trajectory_rule": trajectory.TRAJECTORY_RULE,
        "status_rule": trajectory.STATUS_RULE,
        "tab": "objectives",
    }
    return render(request, "projects/measures/objective_list.html", context)


@require_safe
def baseline_list(request, project_id):
    project = get_project_for_user(request.user, project_id)
    context = {
        "project": project,
        "entries": project.baseline.all(),
        "tab": "baseline",
    }
    return render(request, "projects/measures/baseline_list.html", context)


@require_safe
def baseline_export(request, project_id, fmt):
    project = get_project_for_user(request.user, project_id)
    rows = selectors.baseline_rows(project)
    content = _spreadsheet(fmt, imports.BASELINE_COLUMNS, rows, title="Baseline")
    return _download(content, fmt, project, "baseline")


@dataclass(frozen=True)
class RecordKind:
    """An objective or a baseline entry: the same list → form → save → list journey."""

    model: type
    form: type
    label: str
    tab: str
    list_url: str

    def form_kwargs(self, project) -> dict:
        return {"project": project} if self.model is Objective else {}

    def create(self, project, fields):
        if self.model is Objective:
            return services.objective_create(project=project, **fields)
        return services.baseline_entry_create(project=project, **fields)

    def update(self, row, version, fields):
        if self.model is Objective:
            return services.objective_update(objective=row, version=version, **fields)
        return services.baseline_entry_update(entry=row, version=version, **fields)


RECORD_KINDS = {
    "objective": RecordKind(
        Objective, ObjectiveForm, "objective", "objectives", "projects:objective-list"
    ),
    "baseline": RecordKind(
        BaselineEntry, BaselineEntryForm, "baseline entry", "baseline", "projects:baseline-list"
    ),
}


def record_edit(request, project_id, kind, pk=None):
    """Add (pk None) or change an objective or a baseline entry."""
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    kind = RECORD_KINDS[kind]
    row = get_in_project(project, kind.model, pk) if pk is not None else None
    form = kind.form(request.POST or None, instance=row, **kind.form_kwargs(project))
    if row is None:
        del form.fields["version"]
    if request.method == "POST" and form.is_valid():
        try:
            if row is None:
                kind.create(project, form.changed_fields())
            else:
                kind.update(row, form.cleaned_data["version"], form.changed_fields())
        except ConflictError as conflict:
            form = rebind_at(kind.form, request, conflict.current, **kind.form_kwargs(project))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{'Added' if row is None else 'Saved'} the {kind.label}.")
            return redirect(kind.list_url, project.pk)
    context = {"project": project, "form": form, "kind": kind, "row": row, "tab": kind.tab}
    return render(request, "projects/measures/record_form.html", context)


@require_POST
def record_delete(request, project_id, kind, pk):
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    kind = RECORD_KINDS[kind]
    row = get_in_project(project, kind.model, pk)
    services.record_delete(row=row)
    messages.success(request, f"Deleted the {kind.label} “{row}”. The history keeps it.")
    return redirect(kind.list_url, project.pk)
