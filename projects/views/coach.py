"""The outcome coach where people meet it: the Outcome focus page and the hint under a field.

The rules are `projects.coach`'s; the score is `selectors.coach.outcome_focus`. Both views only
read, so anyone who may view the project may use them.
"""

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..access import get_project_for_user
from ..selectors.coach import hint_findings, outcome_focus

# The kinds of statement a hint is given for, and the name of the field each is typed in:
# htmx sends the field's value under the field's own name, a script may send `text`.
HINT_FIELDS = {
    "impact": "statement",
    "objective": "statement",
    "principle": "statement",
    "indicator_name": "name",
}


def overview_panel(project, user, tasks) -> dict:
    """The Outcome focus panel of the project overview (see `planning.register_overview_panel`)."""
    focus = outcome_focus(project, tasks=tasks)
    return {"template": "projects/coach/_overview_panel.html", "focus": focus}


@require_safe
def project_coach(request, project_id):
    project = get_project_for_user(request.user, project_id)
    context = {"project": project, "focus": outcome_focus(project)}
    return render(request, "projects/project_coach.html", context)


@require_safe
def coach_hint(request, project_id):
    """The coach's hint on one statement as it is typed: `kind` and `text` (or the field's own
    name). An answer, never a refusal: an empty statement gets an empty hint."""
    get_project_for_user(request.user, project_id)
    kind = request.GET.get("kind", "")
    if kind not in HINT_FIELDS:
        return HttpResponseBadRequest("kind must be one of " + ", ".join(HINT_FIELDS))
    text = request.GET.get("text", request.GET.get(HINT_FIELDS[kind], ""))
    findings = hint_findings(text, kind)
    context = {"findings": findings, "checked": bool(text.strip())}
    return render(request, "projects/coach/_hint.html", context)
