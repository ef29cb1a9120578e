from django import forms

from projects.text import TextRulesForm

from .kinds import Delivery, Kind


class PreferencesForm(TextRulesForm):
    """One choice per kind of notification: at once, daily, weekly or off."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current[kind],
                widget=forms.RadioSelect,
            )
