"""The coach's quiet hint under a field, as people type: never a blocker.

A coached field asks `projects:coach-hint` for the coach's findings 600 ms after the last key
(htmx) and shows them in a live region under the field. The hint is there from the start when
the field already holds text (an edit, or a form shown again after a save), so it is read
without JavaScript too. Forms opt in with `coach_field(helper, name, kind)`.
"""

from urllib.parse import urlencode

from crispy_forms.layout import TEMPLATE_PACK, Field, Layout
from django.template.loader import render_to_string
from django.urls import reverse

from ..selectors.coach import hint_findings

HINT_TRIGGER = "keyup changed delay:600ms"


def hint_attrs(project_id: int, kind: str) -> dict[str, str]:
    """The htmx attributes of a field whose text the coach reads as a statement of `kind`;
    the hint goes in the next `.coach-hint` element after the field."""
    url = reverse("projects:coach-hint", args=[project_id]) + "?" + urlencode({"kind": kind})
    return {
        "hx-get": url,
        "hx-trigger": HINT_TRIGGER,
        "hx-target": "next .coach-hint",
        "hx-swap": "innerHTML",
        "hx-sync": "this:replace",
    }


class CoachedField(Field):
    """A crispy field followed by the coach's hint. It needs `project` in the template context
    (every project page has it); without one it is a plain field."""

    def __init__(self, name: str, *, kind: str, **kwargs):
        super().__init__(name, **kwargs)
        self.kind = kind

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        project = context.get("project")
        if project is None:
            return super().render(form, context, template_pack, **kwargs)
        self.attrs.update(hint_attrs(project.pk, self.kind))
        html = super().render(form, context, template_pack, **kwargs)
        bound = form[self.fields[0]]
        text = str(bound.value() or "")
        context = {
            "findings": hint_findings(text, self.kind),
            "checked": bool(text.strip()),
        }
        hint = render_to_string("projects/coach/_hint_box.html", context)
        return html + hint


def coach_field(helper, name: str, kind: str) -> None:
    """Show the coach's hint under field `name` (a statement of `kind`). `name` must be the
    form's first field: the others follow it in their usual order."""
    helper.layout = Layout(CoachedField(name, kind=kind))
    helper.render_unmentioned_fields = True
