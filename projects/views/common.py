"""What every page that edits in place shares: answering htmx with a fragment and a plain post
with a redirect or a whole page, and re-basing a form on the other person's save."""

import copy

from django.contrib import messages
from django.shortcuts import redirect, render
from django_htmx.http import retarget


def conflict_message(current) -> str:
    who = getattr(current.history.first(), "history_user", None)
    by = f" by {who.get_full_name() or who.username}" if who else ""
    return (
        f"Someone else saved this{by} after you opened it, so your save was not applied. "
        "Their version is shown below and your changes are still in the form: check them "
        "against theirs and save again to replace it."
    )


def rebind_at(form_class, request, current, **kwargs):
    """The user's submitted form, re-based on the current version after a conflict."""
    data = request.POST.copy()
    data["version"] = current.version
    # A copy: validating a ModelForm writes the submitted values onto its instance, and
    # `current` must keep showing the other person's version.
    form = form_class(data, instance=copy.copy(current), **kwargs)
    form.is_valid()
    form.add_error(None, conflict_message(current))
    return form


def form_response(request, project, template: str, context: dict, target: str):
    """A form (or a question) about one item: in place for htmx, else as a whole page.

    A POST that needs another look (invalid, or a conflict) replaces the form it came from.
    """
    context = {"project": project, **context}
    if request.htmx:
        response = render(request, template, context)
        return retarget(response, f"#{target}") if request.method == "POST" else response
    return render(request, "projects/item_page.html", {**context, "partial": template})


def changed_response(request, *, template: str, context: dict, page_url: str, message: str):
    """After a change: the refreshed section for htmx, a redirect for a plain post."""
    if request.htmx:
        return render(request, template, {**context, "flash": message})
    messages.success(request, message)
    return redirect(page_url)
