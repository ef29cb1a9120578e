"""Project pages and in-place editing of the chain.

Every view fetches the project through `access.get_project_for_user` and every child row
through `access.get_in_project`. Chain edits answer htmx requests with fragments and plain
form posts with redirects, so every action works with JavaScript off.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from .. import fragments, selectors, services
from ..access import Need, get_in_project, get_project_for_user
from ..forms import ImpactForm, IndicatorForm, ProjectForm, TaskForm
from ..models import Impact, Indicator, Task
from .common import changed_response, form_response, rebind_at

# --- projects -----------------------------------------------------------------------------


def project_create(request):
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                user=request.user,
                title=data["title"],
                purpose=data["purpose"],
                scope=data["scope"],
                stage=data["stage"],
                lead_organisation=data["lead_organisation"],
                partner_organisations=data["partner_organisations"],
                starter=data["starter"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Project “{project.title}” created. You are its lead.")
            return redirect("projects:project-chain", project.pk)
    return render(request, "projects/project_form.html", {"form": form})


def project_edit(request, project_id):
    project = get_project_for_user(request.user, project_id, need=Need.MANAGE)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = form.changed_fields()
        fields.pop("lead_organisation")
        try:
            services.project_update(
                project=project,
                version=form.cleaned_data["version"],
                partner_organisations=form.cleaned_data["partner_organisations"],
                **fields,
            )
        except services.ConflictError as conflict:
            form = rebind_at(ProjectForm, request, conflict.current, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Project details saved.")
            return redirect("projects:project-detail", project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@require_POST
def project_archive(request, project_id):
    project = get_project_for_user(request.user, project_id, need=Need.MANAGE)
    services.project_archive(project=project)
    messages.success(
        request,
        f"“{project.title}” is archived: hidden from everyone, nothing deleted. You can restore "
        "it from your projects page.",
    )
    return redirect("home")


@require_POST
def project_restore(request, project_id):
    project = get_project_for_user(request.user, project_id, need=Need.MANAGE)
    services.project_restore(project=project)
    messages.success(request, f"“{project.title}” is restored.")
    return redirect("projects:project-detail", project.pk)


@require_safe
def project_chain(request, project_id):
    project = get_project_for_user(request.user, project_id)
    return render(request, "projects/project_chain.html", _chain_context(request, project))


@require_safe
def project_poster(request, project_id):
    project = get_project_for_user(request.user, project_id)
    tasks = selectors.project_chain(project, values=False)  # the parts read what they draw
    colour_by_status = request.GET.get("colour") == "status"
    rows = [  # from the top of the trunk down, every other row flipped
        (task, {"number": number, "flip": row % 2 == 1, "colour_by_status": colour_by_status})
        for row, (number, task) in enumerate(reversed(list(enumerate(tasks, start=1))))
    ]
    context = {
        "project": project,
        "gaps": selectors.chain_gaps(tasks),
        "colour_by_status": colour_by_status,
        "row_parts": fragments.render_tasks(request, "projects/_poster_row.html", project, rows),
    }
    return render(request, "projects/project_poster.html", context)


@require_safe
def project_history(request, project_id):
    project = get_project_for_user(request.user, project_id)
    entries = selectors.project_history(project)
    context = {"project": project, "entries": entries}
    return render(request, "projects/project_history.html", context)


# --- the chain, edited in place -----------------------------------------------------------


@dataclass(frozen=True)
class ChainKind:
    slug: str
    label: str
    model: type
    form: type
    parent_model: type | None

    def create(self, parent, **fields):
        if self.model is Task:
            return services.task_create(project=parent, **fields)
        if self.model is Impact:
            return services.impact_create(task=parent, **fields)
        return services.indicator_create(impact=parent, **fields)

    def children(self, item):
        if self.model is Task:
            return list(item.impacts.all())
        if self.model is Impact:
            return list(item.indicators.all())
        return []


KINDS = {
    kind.slug: kind
    for kind in (
        ChainKind("tasks", "task", Task, TaskForm, None),
        ChainKind("impacts", "impact", Impact, ImpactForm, Task),
        ChainKind("indicators", "indicator", Indicator, IndicatorForm, Impact),
    )
}


def _chain_context(request, project):
    tasks = selectors.project_chain(project, values=False)  # the parts read what they draw
    can_edit = project.user_can[Need.EDIT.value]
    shown_tasks = [
        (task, {"number": n, "first": n == 1, "last": n == len(tasks), "can_edit": can_edit})
        for n, task in enumerate(tasks, start=1)
    ]
    parts = fragments.render_tasks(request, "projects/_chain_task.html", project, shown_tasks)
    return {
        "project": project,
        "tasks": tasks,
        "gaps": selectors.chain_gaps(tasks),
        "task_parts": parts,
    }


def _chain_response(request, project, message: str):
    """After a change: the refreshed chain for htmx, a redirect for a plain post."""
    return changed_response(
        request,
        template="projects/_chain.html",
        context=_chain_context(request, project),
        page_url=reverse("projects:project-chain", args=[project.pk]),
        message=message,
    )


def item_create(request, project_id, kind, parent_id=None):
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    kind = KINDS[kind]
    parent = get_in_project(project, kind.parent_model, parent_id) if kind.parent_model else project
    form = kind.form(request.POST or None, project=project)
    del form.fields["version"]
    if request.method == "POST" and form.is_valid():
        item = kind.create(parent, **form.changed_fields())
        return _chain_response(request, project, f"Added {kind.label} “{item}”.")
    target = f"add-{kind.label}-{parent.pk}"
    context = {"form": form, "kind": kind, "parent": parent, "target": target}
    return form_response(request, project, "projects/_item_form.html", context, target)


def item_edit(request, project_id, kind, pk):
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    kind = KINDS[kind]
    item = get_in_project(project, kind.model, pk)
    form = kind.form(request.POST or None, instance=item, project=project)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.chain_item_update(
                item=item, version=form.cleaned_data["version"], **form.changed_fields()
            )
        except services.ConflictError as error:
            conflict = error.current
            form = rebind_at(kind.form, request, conflict, project=project)
        else:
            return _chain_response(request, project, f"Saved {kind.label} “{item}”.")
    target = f"{kind.label}-{item.pk}-head"
    context = {"form": form, "kind": kind, "item": item, "target": target}
    if conflict is not None:
        context.update(conflict=conflict, their_version=form.describe(conflict))
    return form_response(request, project, "projects/_item_form.html", context, target)


def item_delete(request, project_id, kind, pk):
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    kind = KINDS[kind]
    item = get_in_project(project, kind.model, pk)
    children = kind.children(item)
    if request.method == "POST" and (not children or request.POST.get("confirm")):
        services.chain_item_delete(item=item)
        return _chain_response(request, project, f"Deleted {kind.label} “{item}”.")
    target = f"{kind.label}-{item.pk}-head"
    context = {"kind": kind, "item": item, "children": children, "target": target}
    return form_response(request, project, "projects/_item_delete.html", context, target)


@require_POST
def item_move(request, project_id, kind, pk):
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    kind = KINDS[kind]
    item = get_in_project(project, kind.model, pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.chain_item_move(item=item, direction=direction)
    return _chain_response(request, project, f"Moved {kind.label} “{item}” {direction}.")
