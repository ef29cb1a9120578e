"""The text rules (projects.text): which characters are refused, and that every form of Totem
applies them — a new form that does not makes this test fail."""

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError

from projects import text

REFUSED = {
    "\x00": "a NUL character (U+0000)",
    "\x01": "a control character (U+0001)",
    "\x08": "a control character (U+0008)",
    "\x0b": "a control character (U+000B)",
    "\x0c": "a control character (U+000C)",
    "\x1b": "an escape character (U+001B)",
    "\x1f": "a control character (U+001F)",
    "\x7f": "a delete character (U+007F)",
    "\x85": "a control character (U+0085)",
    "\x9f": "a control character (U+009F)",
    "\ud800": "half of a surrogate pair (U+D800)",
    "\ufffe": "a non-character (U+FFFE)",
}
REFUSED[chr(0xDFFF)] = "half of a surrogate pair (U+DFFF)"  # a literal confuses ruff
KEPT = [
    "Tab\tand new\nline and\r\nWindows line",
    "Straße Ωmega Кириллица العربية 中文 עברית",
    "\u202eRTL override\u200b zero width, emoji 🧭, non-breaking\u00a0space",
    "£4.80 — “quoted” ‘text’ … €",
    "",
]


@pytest.mark.parametrize("character", REFUSED)
def test_refused_characters_are_named_with_their_place(character):
    message = text.problem(f"ab{character}c")
    assert message.startswith(f"This text contains {REFUSED[character]} at character 3,")
    with pytest.raises(ValidationError) as raised:
        text.validate(f"ab{character}c")
    assert raised.value.code == "refused_character"


@pytest.mark.parametrize("value", KEPT)
def test_any_script_and_ordinary_whitespace_are_kept(value):
    assert text.problem(value) is None and text.is_acceptable(value)
    text.validate(value)


def test_a_form_with_the_rules_refuses_in_every_text_field():
    class Form(text.TextRulesForm):
        title = forms.CharField()
        email = forms.EmailField(required=False)
        body = forms.CharField(widget=forms.Textarea, required=False)

    form = Form({"title": "ok", "body": "bell\x07"})
    assert not form.is_valid()
    assert form.errors["body"] == [text.problem("bell\x07")]
    assert Form({"title": "nul\x00"}).errors["title"] == [text.problem("nul\x00")]
    assert Form({"title": "Fine — é"}).is_valid()


def _project_form_classes():
    """Every form class defined in Totem's own apps."""
    root = str(apps.get_app_config("projects").path).rsplit("/", 1)[0] + "/"
    for config in apps.get_app_configs():
        if not config.path.startswith(root) or "/" in config.path[len(root):]:
            continue  # an installed library (a virtualenv may sit inside the project's folder)
        for module in pkgutil.walk_packages([config.path], f"{config.name}."):
            if ".tests" in module.name or ".migrations" in module.name:
                continue
            if ".management" in module.name:
                continue
            loaded = importlib.import_module(module.name)
            for value in vars(loaded).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__ == loaded.__name__
                ):
                    yield value


def test_every_form_of_totem_follows_the_text_rules():
    found = set(_project_form_classes())
    assert len(found) > 20  # the walk did find Totem's forms
    without = sorted(
        f"{cls.__module__}.{cls.__name__}"
        for cls in found
        if not issubclass(cls, text.TextRulesMixin)
    )
    assert without == [], (
        "Forms that do not apply projects.text (inherit TextRulesForm or TextRulesModelForm): "
        f"{without}"
    )


def test_every_admin_form_follows_the_text_rules(admin_client):
    from django.contrib import admin

    for model_admin in admin.site._registry.values():
        assert issubclass(model_admin.form, text.TextRulesMixin), model_admin
        for inline in model_admin.inlines:
            assert issubclass(inline.form, text.TextRulesMixin), inline


def test_site_staff_get_the_same_refusal_in_the_admin(admin_client):
    from django.urls import reverse

    from projects.models import Organisation

    response = admin_client.post(
        reverse("admin:projects_organisation_add"),
        {"name": "Bell\x07 Trust", "short_name": "", "code": "",
         "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert "This text contains a control character (U+0007)" in response.text
    assert not Organisation.objects.exists()
