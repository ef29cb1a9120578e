"""Hostile input through every form: never a 500, and text is saved exactly as typed.

Each form page is fetched as someone allowed to use it; every field of its forms is filled with
one hostile value after another (over-long text, control characters, mixed scripts, HTML and
SQL fragments, out-of-range numbers, impossible and far-away dates) and posted. The answer must
be a page or a redirect — a field error is fine — never a server error.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from projects import text as text_rules
from projects.models import Task
from totem.tests.test_permissions import RULES, world  # noqa: F401 - `world` is a fixture

TEXTS = [
    "x" * 20_000,
    "Bell\x07 tab\t escape\x1b[31m red \x7f del",
    "Straße Ωmega Кириллица العربية 中文 עברית \u202eRTL override\u200b",
    "<script>alert(1)</script><img src=x onerror=alert(2)>{{ 7*7 }}{% now 'Y' %}",
    "'; DROP TABLE projects_task; -- \" OR 1=1 /* */",
    "nul\x00byte",
]
NUMBERS = ["1e309", "-99999999999999999999999999", "NaN", "Infinity", "12,5", "0x10"]
DATES = ["0001-01-01", "9999-12-31", "2026-02-31", "31/12/2026", "-1"]
SKIP_FIELDS = {"csrfmiddlewaretoken", "version", "next"}
# For URLs that only take posts (their forms sit on other pages): the names those forms use.
POST_ONLY_FIELDS = [
    "title",
    "statement",
    "name",
    "body",
    "note",
    "date",
    "value",
    "reason",
    "direction",
    "spc_baseline_end",
    "confirm",
    "outcome",
    "conditions",
    "decided_on",
]


class FormFields(HTMLParser):
    """The fields of the page's POST forms: name -> (kind, first option value)."""

    def __init__(self):
        super().__init__()
        self.fields, self.in_post_form, self.select = {}, False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_post_form = (attrs.get("method") or "").lower() == "post"
        elif self.in_post_form and tag in ("input", "textarea") and attrs.get("name"):
            kind = attrs.get("type", "text") if tag == "input" else "text"
            if kind not in ("hidden", "submit", "file", "button"):
                self.fields.setdefault(attrs["name"], (kind, None))
        elif self.in_post_form and tag == "select" and attrs.get("name"):
            self.select = attrs["name"]
            self.fields.setdefault(self.select, ("select", None))
        elif tag == "option" and self.select and self.fields[self.select][1] is None:
            if attrs.get("value"):
                self.fields[self.select] = ("select", attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_post_form = False
        elif tag == "select":
            self.select = None


def payloads(fields):
    """One filled form per hostile value, each field given a value of its own kind."""
    for n in range(max(len(TEXTS), len(NUMBERS), len(DATES))):
        data = {}
        for name, (kind, option) in fields.items():
            if name in SKIP_FIELDS:
                continue
            if kind == "number":
                data[name] = NUMBERS[n % len(NUMBERS)]
            elif kind == "date":
                data[name] = DATES[n % len(DATES)]
            elif kind == "select":
                data[name] = option if n % 2 else TEXTS[n % len(TEXTS)][:50]
            elif kind == "checkbox":
                data[name] = "on"
            else:
                data[name] = TEXTS[n % len(TEXTS)]
        yield data


def who(rule):
    return {"decide": "governor", "org-admin": "org-admin", "org-member": "org-admin"}.get(
        rule, "lead"
    )


FORM_PAGES = sorted(
    name
    for name, (rule, methods) in RULES.items()
    if "POST" in methods and rule not in ("public", "staff") and name != "logout"
)


@pytest.mark.parametrize("name", FORM_PAGES)
def test_hostile_input_never_breaks_a_form(client, world, name):  # noqa: F811
    users, urls = world
    client.force_login(users[who(RULES[name][0])])
    url = urls[name]
    page = client.get(url.split("#")[0])
    parser = FormFields()
    if page.status_code == 200 and "text/html" in page["Content-Type"]:
        parser.feed(page.content.decode())
    fields = parser.fields or dict.fromkeys(POST_ONLY_FIELDS, ("text", None))
    for data in payloads(fields):
        response = client.post(url, data)
        assert response.status_code < 500, (name, data)
        if response.status_code == 403 and "CSRF" not in response.text:
            break  # e.g. the round was submitted by the previous post: fine


@pytest.mark.parametrize("text", [t for t in TEXTS if text_rules.is_acceptable(t)])
def test_text_is_saved_exactly_as_typed(lead_client, project, text):
    response = lead_client.post(
        reverse("projects:task-create", args=[project.pk]),
        {"title": text[:300], "status": "not_started"},
    )
    assert response.status_code == 302
    assert Task.objects.get(project=project).title == text[:300].strip()


@pytest.mark.parametrize(
    "text, named",
    [
        ("nul\x00byte", "a NUL character (U+0000) at character 4"),
        ("Bell\x07 tab\t", "a control character (U+0007) at character 5"),
        ("escape\x1b[31m", "an escape character (U+001B)"),
        ("del\x7f", "a delete character (U+007F)"),
        ("c1 \x85 next line", "a control character (U+0085)"),
    ],
)
def test_a_refused_character_is_a_field_error_not_a_crash(lead_client, project, text, named):
    response = lead_client.post(
        reverse("projects:task-create", args=[project.pk]),
        {"title": text, "status": "not_started"},
    )
    assert response.status_code == 200
    assert f"This text contains {named}" in response.text
    assert not Task.objects.filter(project=project).exists()
