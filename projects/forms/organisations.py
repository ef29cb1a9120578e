"""A field for naming other organisations (partners) without being shown a list of them."""

from django import forms

from ..selectors.organisations import MAX_NAMED, organisations_named


class OrganisationsField(forms.CharField):
    """Organisations named one per line, each by its exact name or its code; cleans to a list
    of organisations. An unknown name is an error naming it, and nothing is guessed."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 4000)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple) or hasattr(value, "model"):
            return "\n".join(org.name for org in value)
        return value

    def clean(self, value):
        text = super().clean(value) or ""
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > MAX_NAMED:
            raise forms.ValidationError(f"Name at most {MAX_NAMED} organisations at once.")
        found, unknown = organisations_named(lines)
        if unknown:
            names = ", ".join(f"“{name[:80]}”" for name in unknown)
            raise forms.ValidationError(
                f"No organisation in Totem has the exact name or code {names}. Ask the partner "
                "for the name or code their organisation uses here (its NHS ODS code or UKPRN, "
                "for example); partners are never chosen from a list."
            )
        return found
