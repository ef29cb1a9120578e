"""Readiness checklists (project pages) and self-assessment rounds (organisation pages).

Project pages fetch the project through `projects.access`; organisation pages fetch the
organisation and its rounds through `assessments.access`. Every form is a plain post that
redirects; the scoring page also saves as the user goes when htmx is there.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from projects.access import Need, get_in_project, get_project_for_user

from . import charts, selectors, services, spreadsheets
from .access import OrgNeed, get_organisation_for_user, get_round
from .forms import (
    AnswerForm,
    ChecklistStartForm,
    CompareForm,
    ImportForm,
    ReopenForm,
    ResponseForm,
    RoundOpenForm,
    ShareForm,
)
from .models import Checklist, Domain


def _posted(request):
    """The submitted data of a POST, even an empty one (all boxes unticked); None otherwise."""
    return request.POST if request.method == "POST" else None


# --- readiness checklists -----------------------------------------------------------------


@require_safe
def readiness(request, project_id):
    project = get_project_for_user(request.user, project_id)
    summaries = selectors.project_checklists(project)
    context = {"project": project, "summaries": summaries}
    return render(request, "assessments/readiness.html", context)


def checklist_create(request, project_id):
    project = get_project_for_user(request.user, project_id, need=Need.MANAGE)
    form = ChecklistStartForm(_posted(request), project=project)
    if request.method == "POST" and form.is_valid():
        try:
            checklist = services.checklist_start(
                project=project, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Checklist “{checklist.title}” started.")
            return redirect("assessments:checklist-detail", project.pk, checklist.pk)
    context = {"project": project, "form": form}
    return render(request, "assessments/checklist_form.html", context)


def checklist_detail(request, project_id, checklist_id):
    need = Need.EDIT if request.method == "POST" else Need.VIEW
    project = get_project_for_user(request.user, project_id, need=need)
    checklist = get_in_project(project, Checklist.objects.select_related("template"), checklist_id)
    summary = selectors.checklist_summary(checklist)
    data = _posted(request)
    forms = [
        ResponseForm(data, response=r)
        for r in summary.responses
        # The page posts every item; an autosave only the one that changed.
        if data is None or f"r{r.pk}-evidence" in data
    ]
    if data is not None and request.htmx:
        return _autosave_checklist(request, project, checklist, forms)
    if data is not None and all(form.is_valid() for form in forms):
        if _save_checklist(request, checklist, forms):
            return redirect("assessments:checklist-detail", project.pk, checklist.pk)
    context = {"project": project, "summary": summary, "readiness": summary, "forms": forms}
    return render(request, "assessments/checklist_detail.html", context)


def _autosave_checklist(request, project, checklist, forms):
    """Save the one item htmx posted; answer with its status and the refreshed verdict.

    A problem comes back as the item's status (200, so htmx shows it) and nothing is saved.
    """
    problem = "" if forms else "Nothing to save: reload the page."
    for form in forms:
        if not form.is_valid():
            problem = " ".join(m for messages_ in form.errors.values() for m in messages_)
    if not problem:
        answers = {f.response.pk: services.ResponseInput(**f.cleaned_data) for f in forms}
        try:
            services.checklist_record_answers(
                checklist=checklist, answers=answers, user=request.user
            )
        except services.ChecklistAnswersInvalid as invalid:
            problem = " ".join(m for e in invalid.by_response.values() for m in e.messages)
    readiness = selectors.checklist_summary(checklist)
    posted = {form.response.pk for form in forms}
    context = {
        "project": project,
        "readiness": readiness,
        "responses": [r for r in readiness.responses if r.pk in posted],
        "problem": problem,
        "saved_at": timezone.now(),
    }
    return render(request, "assessments/_checklist_save_status.html", context)


def _save_checklist(request, checklist, forms) -> bool:
    answers = {form.response.pk: services.ResponseInput(**form.cleaned_data) for form in forms}
    try:
        changed = services.checklist_record_answers(
            checklist=checklist, answers=answers, user=request.user
        )
    except services.ChecklistAnswersInvalid as invalid:
        for form in forms:
            if form.response.pk in invalid.by_response:
                form.add_error(None, invalid.by_response[form.response.pk])
        messages.error(request, invalid.messages[0])
        return False
    messages.success(request, f"Saved {changed} changed answer{'s' if changed != 1 else ''}.")
    return True


# --- self-assessment rounds ---------------------------------------------------------------


@require_safe
def round_list(request, org_id):
    organisation = get_organisation_for_user(request.user, org_id)
    context = {
        "organisation": organisation,
        "rounds": selectors.organisation_rounds(organisation),
        "shared": selectors.rounds_shared_with(organisation),
        "compare_form": CompareForm(organisation=organisation),
    }
    return render(request, "assessments/round_list.html", context)


def round_create(request, org_id):
    organisation = get_organisation_for_user(request.user, org_id, need=OrgNeed.ADMIN)
    form = RoundOpenForm(_posted(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_open(
                organisation=organisation, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Round “{assessment.name}” is open for scoring.")
            return redirect("assessments:round-detail", organisation.pk, assessment.pk)
    context = {"organisation": organisation, "form": form}
    return render(request, "assessments/round_form.html", context)


@require_safe
def round_detail(request, org_id, round_id):
    organisation = get_organisation_for_user(request.user, org_id)
    assessment = get_round(organisation, round_id)
    results = selectors.round_results(assessment)
    context = {
        "organisation": organisation,
        "assessment": assessment,
        "results": results,
        "heatmap": charts.heatmap(results),
        "events": assessment.events.select_related("user"),
        "shares": selectors.round_shares(assessment),
        "projects": assessment.projects.all(),
        "reopen_form": ReopenForm(),
    }
    return render(request, "assessments/round_detail.html", context)


def round_score(request, org_id, round_id, domain_id):
    organisation = get_organisation_for_user(request.user, org_id)
    assessment = get_round(organisation, round_id)
    domain = get_object_or_404(Domain, framework=assessment.framework, pk=domain_id)
    if not assessment.is_open:
        messages.info(request, "This round has been submitted, so its scores are locked.")
        return redirect("assessments:round-detail", organisation.pk, assessment.pk)
    levels = assessment.framework.levels.order_by("position")
    data = _posted(request)
    rows = [
        (question, AnswerForm(data, answer=answer, levels=levels), options)
        for question, answer, options in selectors.scoring_page(assessment, domain)
        # The page posts every question; an autosave only the one that changed.
        if data is None or f"q{question.number}-evidence" in data
    ]
    if data is not None and all(form.is_valid() for _, form, _ in rows):
        return _save_scores(request, organisation, assessment, domain, [f for _, f, _ in rows])
    return render(request, "assessments/round_score.html", {
        **_scoring_context(organisation, assessment, domain), "rows": rows, "levels": levels,
    })


def _scoring_context(organisation, assessment, domain) -> dict:
    progress = selectors.domain_progress(assessment)
    domains = [entry[0] for entry in progress]
    index = domains.index(domain)
    return {
        "organisation": organisation,
        "assessment": assessment,
        "domain": domain,
        "progress": progress,
        "scored": sum(entry[1] for entry in progress),
        "total": sum(entry[2] for entry in progress),
        "next_domain": domains[index + 1] if index + 1 < len(domains) else None,
    }


def _save_scores(request, organisation, assessment, domain, forms):
    answers = {
        form.answer.question_id: services.AnswerInput(**form.cleaned_data) for form in forms
    }
    try:
        services.assessment_record_answers(
            assessment=assessment, answers=answers, user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:round-detail", organisation.pk, assessment.pk)
    if request.htmx:
        context = {**_scoring_context(organisation, assessment, domain), "saved_at": timezone.now()}
        return render(request, "assessments/_save_status.html", context)
    messages.success(request, f"Saved your scores for “{domain.name}”.")
    if not request.POST.get("next"):
        return redirect("assessments:round-score", organisation.pk, assessment.pk, domain.pk)
    later = assessment.framework.domains.filter(
        Q(position__gt=domain.position) | Q(position=domain.position, pk__gt=domain.pk)
    ).order_by("position", "pk").first()
    if later is None:
        return redirect("assessments:round-detail", organisation.pk, assessment.pk)
    return redirect("assessments:round-score", organisation.pk, assessment.pk, later.pk)


@require_POST
def round_submit(request, org_id, round_id):
    organisation = get_organisation_for_user(request.user, org_id)
    assessment = get_round(organisation, round_id)
    try:
        services.assessment_submit(assessment=assessment, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Round submitted: its scores are now locked.")
    return redirect("assessments:round-detail", organisation.pk, assessment.pk)


@require_POST
def round_reopen(request, org_id, round_id):
    organisation = get_organisation_for_user(request.user, org_id, need=OrgNeed.ADMIN)
    assessment = get_round(organisation, round_id)
    form = ReopenForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.assessment_reopen(assessment=assessment, user=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Round re-opened for scoring. The reason is in its log.")
    return redirect("assessments:round-detail", organisation.pk, assessment.pk)


def round_sharing(request, org_id, round_id):
    organisation = get_organisation_for_user(request.user, org_id, need=OrgNeed.ADMIN)
    assessment = get_round(organisation, round_id)
    current = [share.partner for share in selectors.round_shares(assessment)]
    form = ShareForm(_posted(request), organisation=organisation, shared=current)
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = services.assessment_share_set(
                assessment=assessment, partners=form.cleaned_data["partners"], user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _sharing_message(added, removed))
            return redirect("assessments:round-detail", organisation.pk, assessment.pk)
    context = {"organisation": organisation, "assessment": assessment, "form": form}
    return render(request, "assessments/round_sharing.html", context)


def _sharing_message(added, removed) -> str:
    if not added and not removed:
        return "Sharing unchanged."
    parts = []
    if added:
        parts.append("Now shared with " + ", ".join(str(org) for org in added) + ".")
    if removed:
        parts.append("No longer shared with " + ", ".join(str(org) for org in removed) + ".")
    return " ".join(parts)


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_safe
def round_export(request, org_id, round_id, fmt):
    organisation = get_organisation_for_user(request.user, org_id)
    assessment = get_round(organisation, round_id)
    rows = spreadsheets.answer_rows(selectors.round_answers(assessment))
    if fmt == "csv":
        body = spreadsheets.write_csv(rows)
    else:
        body = spreadsheets.round_xlsx(assessment, rows)
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    name = slugify(f"{organisation.short_name or organisation.name} {assessment.name}")
    response["Content-Disposition"] = f'attachment; filename="{name or "round"}.{fmt}"'
    return response


def round_import(request, org_id, round_id):
    organisation = get_organisation_for_user(request.user, org_id)
    assessment = get_round(organisation, round_id)
    form = ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            changed = services.assessment_import(
                assessment=assessment, upload=upload, filename=upload.name, user=request.user
            )
        except spreadsheets.SpreadsheetError as error:
            errors = error.errors
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Imported {upload.name}: {changed} answers changed.")
            return redirect("assessments:round-detail", organisation.pk, assessment.pk)
    context = {"organisation": organisation, "assessment": assessment, "form": form,
               "errors": errors, "columns": spreadsheets.COLUMNS}
    return render(request, "assessments/round_import.html", context)


@require_safe
def round_compare(request, org_id):
    organisation = get_organisation_for_user(request.user, org_id)
    form = CompareForm(request.GET or None, organisation=organisation)
    comparison = None
    if form.is_bound and form.is_valid():
        try:
            first, second = form.cleaned_data["first"], form.cleaned_data["second"]
            comparison = selectors.rounds_compare(first, second)
        except selectors.NotComparable as error:
            form.add_error(None, str(error))
    context = {"organisation": organisation, "form": form, "comparison": comparison}
    if comparison:
        context["heatmaps_with_results"] = [
            (charts.heatmap(results), results) for results in (comparison.first, comparison.second)
        ]
    return render(request, "assessments/round_compare.html", context)
