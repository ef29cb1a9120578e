"""Rendered parts of the chain pages, kept in the cache under a digest of what they show.

Drawing one task of the chain editor (its impacts, indicators, icons, coach notes and buttons)
costs far more than reading it, and most requests show parts that have not changed since the
last one. So each part is rendered once and kept under a key that is a SHA-256 of every row it
is drawn from (all fields of the task, its impacts and indicators; an indicator's values and
change points by its `values_stamp`, kept on write: projects.stamps), of how it is shown (its
number, what the reader may do), of today's date and of the code that draws it. Any change to
one of those is a new key: a kept part is never stale and nothing has to be invalidated; keys
no longer asked for expire.

A part holds nothing of the person it was drawn for but what is in its key: CSRF tokens are
per person, so parts are drawn with a placeholder that `render_parts` swaps for the request's
own token (the placeholder's quotes cannot come from anyone's text: autoescaping turns them
into `&quot;`).
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .models import Task

TIMEOUT = 24 * 60 * 60
_PLACEHOLDER = "csrf-token-of-the-reader"
_TOKEN_FIELD = 'name="csrfmiddlewaretoken" value="{}"'
# What a part's drawing depends on besides the rows: the templates and the code of this app
# (the coach's rules and word lists, the SPC icons, the date formats it uses).
_CODE = [("templates", "**/*.html"), ("projects", "**/*.py"), ("projects/coach/data", "*.txt")]


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the templates and the app's code, read once per process: a deploy that changes
    how parts are drawn never serves parts drawn by the old code."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder, pattern in _CODE:
        for path in sorted((base / folder).glob(pattern)):
            if "tests" not in path.parts:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _row(instance) -> tuple:
    return tuple(getattr(instance, field.attname) for field in instance._meta.concrete_fields)


def _task_rows(task: Task) -> tuple:
    """Every stored row one task of a chain loaded by `selectors.project_chain` is drawn from:
    the task, its impacts, their indicators — whose `values_stamp` stands for their values and
    change points (projects.stamps), so those are read only to draw a part not kept yet."""
    return (
        _row(task),
        task.owner_label,
        tuple(
            (
                _row(impact),
                tuple((_row(i), i.owner_label) for i in impact.indicators.all()),
            )
            for impact in task.impacts.all()
        ),
    )


def render_parts(
    request, template: str, parts: list[tuple[tuple, dict]], before_drawing=None
) -> list[SafeString]:
    """`template` rendered with each context of `parts` — (key, context) pairs, the key holding
    everything the context shows — from the cache where it can be, in one round trip to it.
    `before_drawing(indexes)` is called first with the parts that must be drawn, if any."""
    version = (code_version(), date.today().isoformat(), template)
    keys = ["part:" + hashlib.sha256(repr((version, key)).encode()).hexdigest() for key, _ in parts]
    found = cache.get_many(keys)
    missing = [n for n, key in enumerate(keys) if key not in found]
    if missing and before_drawing is not None:
        before_drawing(missing)
    drawn = {
        keys[n]: render_to_string(template, {**parts[n][1], "csrf_token": _PLACEHOLDER})
        for n in missing
    }
    if drawn:
        cache.set_many(drawn, TIMEOUT)
    placeholder, token = _TOKEN_FIELD.format(_PLACEHOLDER), _TOKEN_FIELD.format(get_token(request))
    drawn.update(found)
    # Drawn by the autoescaping template engine; the token is letters and digits.
    return [mark_safe(drawn[key].replace(placeholder, token)) for key in keys]  # noqa: S308


def _due_settings(project) -> tuple:
    # A figure's due state (drawn on the chain and poster) depends on the project's grace period.
    return (project.figures_grace_days, project.figures_escalate_after_days)


def render_tasks(
    request, template: str, project, shown_tasks, *, values: bool = True
) -> list[SafeString]:
    """`template` drawn for each (task, shown) of `shown_tasks`, `shown` being everything else
    it reads besides the project's id and the task's rows (its number, what the reader may
    do…); each kept under those, so a part cannot leave out of its key what it depends on.
    The tasks come from `selectors.project_chain(project, values=False)`: the values of the
    tasks that must be drawn are read here (two queries), the others' not at all — nor any
    when the template shows no values (`values=False`)."""
    from .selectors.measures import attach_values

    parts = [
        (
            (project.pk, _due_settings(project), shown, _task_rows(task)),
            {"project": project, "task": task, **shown},
        )
        for task, shown in shown_tasks
    ]

    def read_values(missing):
        attach_values([shown_tasks[n][0] for n in missing])

    return render_parts(request, template, parts, read_values if values else None)
