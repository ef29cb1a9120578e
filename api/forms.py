from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone

from projects.text import TextRulesForm

from .models import AccessToken

MAX_LIFETIME_DAYS = 366


class TokenForm(TextRulesForm):
    name = forms.CharField(
        max_length=100, help_text="What it is for, so you know which to revoke: “Power BI feed”."
    )
    scope = forms.ChoiceField(
        choices=AccessToken.Scope.choices,
        initial=AccessToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text="Read and write lets it push measurements to projects you contribute to.",
    )
    expires_on = forms.DateField(
        label="Expires on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=f"At most {MAX_LIFETIME_DAYS} days from today.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + timedelta(days=90)
        self.helper = FormHelper()
        self.helper.add_input(Submit("create", "Make token"))

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if expires_on <= today:
            raise forms.ValidationError("Choose a date after today.")
        if expires_on > today + timedelta(days=MAX_LIFETIME_DAYS):
            raise forms.ValidationError(f"A token lasts at most {MAX_LIFETIME_DAYS} days.")
        return expires_on


class RevokeForm(TextRulesForm):
    token = forms.IntegerField(widget=forms.HiddenInput)
