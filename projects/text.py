"""The rules for text entering Totem, wherever it enters: forms, imports, the API.

One place decides which characters are refused, so that a title typed in a form, read from
a spreadsheet cell, or found in a project file is accepted or refused alike, on SQLite and
PostgreSQL alike (PostgreSQL cannot store NUL in text at all; SQLite stores it silently).

Refused, anywhere in a text:
- NUL and the other C0 control characters except tab, line feed and carriage return
  (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F): invisible, they break PDFs, CSV files and
  the database;
- DEL and the C1 control characters (U+007F–U+009F), which is also what a Windows-1252 file
  read as Latin-1 looks like;
- lone surrogates (U+D800–U+DFFF), which are not characters and cannot be written as UTF-8;
- the non-characters U+FFFE and U+FFFF.

Everything else — any script, accents, emoji, right-to-left text — is kept exactly as given.

How to use it:
- in a form: inherit `TextRulesForm` (or `TextRulesModelForm`); every text field of the form
  then refuses those characters with a message naming the character. A test
  (projects/tests/test_text.py) fails for any form in Totem that does not.
- in the Django admin: `apply_to_admin(admin.site)` (totem's AppConfig.ready calls it) gives
  every registered ModelAdmin's and inline's form the rules.
- in an importer or the API: `problem(value)` returns the message, or None; say where
  (row, column, place in the file) when reporting it.
- in a service: `validate(value)` raises ValidationError.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
NAMES = {
    "\x00": "a NUL character",
    "\x1b": "an escape character",
    "\x7f": "a delete character",
    "\ufffe": "a non-character",
    "\uffff": "a non-character",
}


def problem(value) -> str | None:
    """Why `value` (a text) cannot be accepted, or None when it can."""
    if not isinstance(value, str):
        return None
    found = REFUSED.search(value)
    if found is None:
        return None
    character = found.group()
    name = NAMES.get(character) or (
        "half of a surrogate pair" if "\ud800" <= character <= "\udfff" else "a control character"
    )
    return (
        f"This text contains {name} (U+{ord(character):04X}) at character {found.start() + 1}, "
        "which cannot be stored. Remove it (it is often invisible: retype the text, or paste "
        "it as plain text)."
    )


def validate(value) -> None:
    """A Django validator: ValidationError with code "refused_character"."""
    message = problem(value)
    if message is not None:
        raise ValidationError(message, code="refused_character")


def is_acceptable(value) -> bool:
    return problem(value) is None


def apply_to_fields(form: forms.BaseForm) -> None:
    """Give every text field of `form` the rules (in place of Django's NUL-only check)."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and validate not in field.validators:
            field.validators = [
                v for v in field.validators if type(v).__name__ != "ProhibitNullCharactersValidator"
            ] + [validate]


class TextRulesMixin:
    """Mixed into every form of Totem (see `TextRulesForm`): its text fields follow the rules."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_to_fields(self)


class TextRulesForm(TextRulesMixin, forms.Form):
    pass


class TextRulesModelForm(TextRulesMixin, forms.ModelForm):
    pass


def with_rules(form_class: type) -> type:
    """`form_class`, following the rules (a subclass of it when it does not already)."""
    if issubclass(form_class, TextRulesMixin):
        return form_class
    return type(form_class.__name__, (TextRulesMixin, form_class), {
        "__module__": form_class.__module__
    })


def apply_to_admin(site) -> None:
    """Every form of the admin `site` follows the rules: site staff type text too."""
    for model_admin in site._registry.values():
        model_admin.form = with_rules(model_admin.form)
        if getattr(model_admin, "add_form", None) is not None:
            model_admin.add_form = with_rules(model_admin.add_form)
        for inline in model_admin.inlines:
            inline.form = with_rules(inline.form)
