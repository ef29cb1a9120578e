"""The rest of the planning record, edited in place like the chain, and the overview page.

Three pages — principles & scenarios, ideas, risks & dependencies — each one htmx fragment
(`#options`, `#ideas`, `#register`) that every change re-renders; plain posts redirect back
to the page. Deletions go straight through and can be undone: the history keeps the row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from .. import fragments
from ..access import Need, get_in_project, get_project_for_user
from ..forms.planning import (
    DependencyForm,
    IdeaForm,
    IdeaTaskForm,
    PrincipleForm,
    RiskForm,
    ScenarioChooseForm,
    ScenarioForm,
    ScoresForm,
)
from ..models import Dependency, DesignPrinciple, Idea, Risk, Scenario
from ..selectors import chain as chain_selectors
from ..selectors import planning as selectors
from ..services import planning as services
from .common import changed_response, form_response, rebind_at

# --- the three pages and their fragments --------------------------------------------------


def _options_context(project, user):
    return {"matrix": selectors.scenario_matrix(project)}


def _ideas_context(project, user):
    return {"ideas": selectors.project_ideas(project)}


def _register_context(project, user):
    risks = selectors.risk_register(project)
    return {
        "risks": risks,
        "heat_map": selectors.risk_heat_map(risks),
        "dependencies": selectors.project_dependencies(project, user),
        "dependents": selectors.project_dependents(project, user),
    }


@dataclass(frozen=True)
class Section:
    """One page of the planning record and the fragment htmx swaps on it."""

    page: str  # URL name
    fragment: str  # element id, and template "projects/planning/_<fragment>.html"
    title: str
    context: Callable

    @property
    def template(self) -> str:
        return f"projects/planning/_{self.fragment}.html"

    def url(self, project) -> str:
        return reverse(self.page, args=[project.pk])

    def render_context(self, project, user, **extra) -> dict:
        context = self.context(project, user)
        return {"project": project, "section": self.fragment, **context, **extra}


OPTIONS = Section("projects:project-options", "options", "Options", _options_context)
IDEAS = Section("projects:project-ideas", "ideas", "Ideas", _ideas_context)
REGISTER = Section("projects:project-risks", "register", "Risks & dependencies", _register_context)


def _section_page(request, project_id, section: Section):
    project = get_project_for_user(request.user, project_id)
    context = section.render_context(project, request.user, page_title=section.title)
    return render(request, "projects/planning/page.html", context)


@require_safe
def project_options(request, project_id):
    return _section_page(request, project_id, OPTIONS)


@require_safe
def project_ideas(request, project_id):
    return _section_page(request, project_id, IDEAS)


@require_safe
def project_risks(request, project_id):
    return _section_page(request, project_id, REGISTER)


def _changed(request, project, section: Section, message: str, **extra):
    return changed_response(
        request,
        template=section.template,
        context=section.render_context(project, request.user, **extra),
        page_url=section.url(project),
        message=message,
    )


# --- create, edit, move, delete, restore: one set of views for every kind -----------------


def _with_user(create):
    return lambda project, user, fields: create(project=project, user=user, **fields)


def _without_user(create):
    return lambda project, user, fields: create(project=project, **fields)


def _update(item, version, user, fields):
    return services.record_update(item=item, version=version, **fields)


def _update_dependency(item, version, user, fields):
    return services.dependency_update(item=item, version=version, user=user, **fields)


@dataclass(frozen=True)
class PlanningKind:
    slug: str  # in URLs: "principles"
    anchor: str  # in element ids, and the kind in the project history: "principle"
    label: str  # in sentences: "design principle"
    model: type
    form: type
    section: Section
    create: Callable
    update: Callable = _update
    movable: bool = True  # the risk register is ordered by rating instead
    form_kwargs: Callable = field(default=lambda project, user: {})

    def make_form(self, request, project, **kwargs):
        return self.form(request.POST or None, **self.form_kwargs(project, request.user), **kwargs)


KINDS = {
    kind.slug: kind
    for kind in (
        PlanningKind(
            "principles",
            "principle",
            "design principle",
            DesignPrinciple,
            PrincipleForm,
            OPTIONS,
            _without_user(services.principle_create),
        ),
        PlanningKind(
            "scenarios",
            "scenario",
            "scenario",
            Scenario,
            ScenarioForm,
            OPTIONS,
            _without_user(services.scenario_create),
        ),
        PlanningKind(
            "ideas", "idea", "idea", Idea, IdeaForm, IDEAS, _with_user(services.idea_create)
        ),
        PlanningKind(
            "risks",
            "risk",
            "entry",
            Risk,
            RiskForm,
            REGISTER,
            _without_user(services.risk_create),
            movable=False,
        ),
        PlanningKind(
            "dependencies",
            "dependency",
            "dependency",
            Dependency,
            DependencyForm,
            REGISTER,
            _with_user(services.dependency_create),
            update=_update_dependency,
            form_kwargs=lambda project, user: {"project": project, "user": user},
        ),
    )
}
BY_ANCHOR = {kind.anchor: kind for kind in KINDS.values()}


def _respond_with_form(request, project, kind, context, target, template="_item_form.html"):
    context = {
        "kind": kind,
        "section": kind.section.fragment,
        "page_url": kind.section.url(project),
        "target": target,
        **context,
    }
    return form_response(request, project, f"projects/{template}", context, target)


def record_create(request, project_id, kind):
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    kind = KINDS[kind]
    form = kind.make_form(request, project)
    del form.fields["version"]
    if request.method == "POST" and form.is_valid():
        try:
            item = kind.create(project, request.user, form.changed_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _changed(request, project, kind.section, f"Added {kind.label} “{item}”.")
    context = {"form": form}
    return _respond_with_form(request, project, kind, context, f"add-{kind.anchor}")


def record_edit(request, project_id, kind, pk):
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    kind = KINDS[kind]
    item = get_in_project(project, kind.model, pk)
    form = kind.make_form(request, project, instance=item)
    context = {"form": form, "item": item}
    if request.method == "POST" and form.is_valid():
        try:
            kind.update(item, form.cleaned_data["version"], request.user, form.changed_fields())
        except services.ConflictError as conflict:
            form = rebind_at(
                kind.form, request, conflict.current, **kind.form_kwargs(project, request.user)
            )
            context.update(
                form=form, conflict=conflict.current, their_version=form.describe(conflict.current)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _changed(request, project, kind.section, f"Saved {kind.label} “{item}”.")
    return _respond_with_form(request, project, kind, context, f"{kind.anchor}-{item.pk}-head")


@require_POST
def record_move(request, project_id, kind, pk):
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    kind = KINDS[kind]
    if not kind.movable:
        raise Http404("This list keeps its own order.")
    item = get_in_project(project, kind.model, pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.record_move(item=item, direction=direction)
    return _changed(request, project, kind.section, f"Moved {kind.label} “{item}” {direction}.")


@require_POST
def record_delete(request, project_id, kind, pk):
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    kind = KINDS[kind]
    item = get_in_project(project, kind.model, pk)
    label = str(item)
    history_id = services.record_delete(item=item)
    undo_url = reverse("projects:record-restore", args=[project.pk, kind.anchor, history_id])
    if not request.htmx:
        label += ". The History tab keeps it, should you want it back"
    return _changed(
        request, project, kind.section, f"Deleted {kind.label} “{label}”.", undo_url=undo_url
    )


@require_POST
def record_restore(request, project_id, kind, history_id):
    """Bring back a deleted row from the history page, or undo a deletion just made."""
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    model = chain_selectors.restorable_model(kind)
    if model is None:
        raise Http404("That kind of record cannot be restored.")
    planning_kind = BY_ANCHOR.get(kind)
    try:
        item = services.record_restore(project=project, model=model, history_id=history_id)
    except model.DoesNotExist:
        raise Http404("No such deletion in this project's history.") from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("projects:project-history", project.pk)
    label = planning_kind.label if planning_kind else kind
    message = f"Restored {label} “{item}”."
    if planning_kind is None:
        messages.success(request, message)
        return redirect("projects:project-history", project.pk)
    return _changed(request, project, planning_kind.section, message)


# --- scenarios: the choice and the matrix -------------------------------------------------


def _decider(request, project_id):
    """The project, if this user records its decisions: its lead, while it is not archived
    (an archived project's lead may manage it only to restore it)."""
    project = get_project_for_user(request.user, project_id, need=Need.MANAGE)
    if not project.user_can["edit"]:
        raise PermissionDenied("This project is archived: restore it to change it.")
    return project


def scenario_choose(request, project_id, pk):
    project = _decider(request, project_id)
    scenario = get_in_project(project, Scenario, pk)
    form = ScenarioChooseForm(request.POST or None, instance=scenario, user=request.user)
    context = {"form": form, "item": scenario, "heading": f"Mark “{scenario}” as chosen"}
    if request.method == "POST" and form.is_valid():
        try:
            services.scenario_choose(
                scenario=scenario,
                version=form.cleaned_data["version"],
                chosen_on=form.cleaned_data["chosen_on"],
                chosen_by=form.cleaned_data["chosen_by"],
            )
        except services.ConflictError as conflict:
            form = rebind_at(ScenarioChooseForm, request, conflict.current, user=request.user)
            context.update(form=form, conflict=conflict.current, their_version=[])
        else:
            message = f"“{scenario}” is the chosen scenario."
            return _changed(request, project, OPTIONS, message)
    context["submit_label"] = "Mark as chosen"
    kind = KINDS["scenarios"]
    return _respond_with_form(request, project, kind, context, f"scenario-{scenario.pk}-head")


@require_POST
def scenario_unchoose(request, project_id, pk):
    project = _decider(request, project_id)
    scenario = get_in_project(project, Scenario, pk)
    try:
        version = int(request.POST.get("version", ""))
        services.scenario_unchoose(scenario=scenario, version=version)
    except (ValueError, services.ConflictError):
        message = f"“{scenario}” changed since you opened the page: look again before withdrawing."
        return _changed(request, project, OPTIONS, message)
    return _changed(request, project, OPTIONS, f"“{scenario}” is no longer the chosen scenario.")


def scores_edit(request, project_id):
    """Score every scenario against every principle, in one form."""
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    matrix = selectors.scenario_matrix(project)
    form = ScoresForm(request.POST or None, matrix=matrix)
    conflicts = {}
    if request.method == "POST" and form.is_valid():
        try:
            written = services.principle_scores_set(project=project, cells=form.cells())
        except services.ScoresConflict as conflict:
            conflicts = conflict.current
            form = _scores_rebased(request, project)
        else:
            message = f"Saved the matrix: {written} score{'s' if written != 1 else ''} changed."
            return _changed(request, project, OPTIONS, message)
    context = {"form": form, "matrix": form.matrix, "conflicts": _conflict_cells(form, conflicts)}
    return form_response(request, project, "projects/planning/_scores_form.html", context, "matrix")


def _scores_rebased(request, project):
    """After a conflict: the user's choices, re-based on the matrix as it is now."""
    matrix = selectors.scenario_matrix(project)
    data = request.POST.copy()
    for row in matrix.rows:
        for cell in row.cells:
            data[f"was-{ScoresForm.cell_name(row.scenario, cell.principle)}"] = cell.score
    form = ScoresForm(data, matrix=matrix)
    form.is_valid()
    form.add_error(
        None,
        "Someone else changed some of the same scores after you opened the matrix, so nothing "
        "was saved. Their scores are shown under the cells marked; your choices are still "
        "selected: check them and save again.",
    )
    return form


def _conflict_cells(form, conflicts) -> dict[str, str]:
    """Field name -> what the cell holds now, for the cells in conflict."""
    labels = dict(ScoresForm.CHOICES)
    return {
        f"score-{scenario_id}-{principle_id}": labels[now] if now else "no score"
        for (scenario_id, principle_id), now in conflicts.items()
    }


# --- ideas ---------------------------------------------------------------------------------


def idea_make_task(request, project_id, pk):
    """Turn an idea into a task with its impact, in one step."""
    project = get_project_for_user(request.user, project_id, need=Need.EDIT)
    idea = get_in_project(project, Idea, pk)
    form = IdeaTaskForm(request.POST or None, idea=idea)
    context = {"form": form, "item": idea, "heading": "Make this idea a task in the chain"}
    if request.method == "POST" and form.is_valid():
        try:
            task = services.idea_make_task(
                idea=idea,
                version=form.cleaned_data["version"],
                title=form.cleaned_data["title"],
                impact=form.cleaned_data["impact"],
            )
        except services.ConflictError as conflict:
            data = request.POST.copy()
            data["version"] = conflict.current.version
            form = IdeaTaskForm(data, idea=conflict.current)
            form.is_valid()
            form.add_error(None, "Someone else changed this idea after you opened it: check it.")
            context.update(form=form, item=conflict.current)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = f"“{task}” is now a task in the chain, with its impact."
            return _changed(request, project, IDEAS, message)
    context["submit_label"] = "Add to the chain"
    return _respond_with_form(request, project, KINDS["ideas"], context, f"idea-{idea.pk}-head")


# --- the overview: a one-page business case -----------------------------------------------

# Panels other apps add to the overview without `projects` importing them: name -> function
# (project, user, tasks as `project_chain` loaded them) -> {"template": …, …} or None. Wired
# in those apps' AppConfig.ready().
OVERVIEW_PANELS: dict[str, Callable] = {}


def register_overview_panel(name: str, provider: Callable) -> None:
    """Add a panel ("readiness", "outcome_focus", …) to every project's overview."""
    OVERVIEW_PANELS[name] = provider


@require_safe
def project_overview(request, project_id):
    project = get_project_for_user(request.user, project_id)
    last_visit = services.project_visit_record(project=project, user=request.user)
    changes = []
    if last_visit is not None:
        changes = [
            entry
            for entry in chain_selectors.project_history(project, limit=50, since=last_visit)
            if entry.who != request.user
        ]
    tasks = chain_selectors.project_chain(project, values=False)  # statements only
    panels = {name: panel(project, request.user, tasks) for name, panel in OVERVIEW_PANELS.items()}
    context = {
        "project": project,
        "tasks": tasks,
        "task_parts": fragments.render_tasks(
            request, "projects/_overview_task.html", project, [(t, {}) for t in tasks], values=False
        ),
        "gaps": chain_selectors.chain_gaps(tasks),
        "people": chain_selectors.project_people(project),
        "partners": project.partner_organisations.all(),
        "plan": selectors.planning_summary(project, request.user),
        "last_visit": last_visit,
        "changes": changes,
        "panels": panels,
    }
    return render(request, "projects/project_detail.html", context)
