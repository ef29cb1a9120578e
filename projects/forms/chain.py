"""Forms validate and render; services save."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model

from ..models import Impact, Indicator, Organisation, Project, ProjectRole, StarterTotem, Task
from .coach import coach_field
from .widgets import DateInput


class VersionedForm(forms.ModelForm):
    """A form for a row that refuses stale saves: it carries the version it was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        # Several of these can be open in place on one page (a task's and its indicator's):
        # ids that name the row keep every id unique, so each label points at its own field.
        instance = kwargs.get("instance")
        row = instance.pk if instance is not None and instance.pk else "new"
        kwargs.setdefault("auto_id", f"{self._meta.model._meta.model_name}-{row}-%s")
        super().__init__(*args, **kwargs)
        if self.instance.pk and "version" not in self.initial:
            self.initial["version"] = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def _editable(self) -> list[str]:
        # A subclass may drop a model field the user must not see or change.
        return [name for name in self._meta.fields if name in self.fields]

    def changed_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._editable()}

    def describe(self, instance) -> list[tuple[str, object]]:
        """(label, value) for each of the form's fields as `instance` has them."""
        rows = []
        for name in self._editable():
            display = getattr(instance, f"get_{name}_display", None)
            value = display() if display else getattr(instance, name)
            rows.append((self.fields[name].label, value))
        return rows


class ProjectForm(VersionedForm):
    starter = forms.ModelChoiceField(
        queryset=StarterTotem.objects.filter(is_published=True),
        required=False,
        label="Start from a template",
        empty_label="Blank totem",
        help_text="Pre-fill the totem with a starter's tasks and impacts; you can change them all.",
    )

    class Meta:
        model = Project
        fields = ["title", "purpose", "scope", "stage", "lead_organisation"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "scope": forms.Textarea(attrs={"rows": 3}),
        }

    partner_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Other organisations in the partnership.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = Organisation.objects.filter(
            memberships__user=user
        )
        if self.instance.pk:
            del self.fields["starter"]
            self.fields["lead_organisation"].disabled = True
            self.initial["partner_organisations"] = self.instance.partner_organisations.all()
        else:
            del self.fields["version"]
            self.fields["stage"].initial = Project.Stage.SCOPING


class TaskForm(VersionedForm):
    class Meta:
        model = Task
        fields = ["title", "description", "owner", "due", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "due": DateInput,
        }


class ImpactForm(VersionedForm):
    class Meta:
        model = Impact
        fields = ["statement"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 2})}
        labels = {"statement": "Impact: you should evaluate the extent to which you have…"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        coach_field(self.helper, "statement", "impact")


class IndicatorForm(VersionedForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "definition",
            "kind",
            "unit",
            "direction",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "source",
            "frequency",
            "owner",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 2}),
            "baseline_date": DateInput,
            "target_date": DateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        coach_field(self.helper, "name", "indicator_name")
        if not self.instance.pk:
            # A new indicator says which way is better: a cost judged as "higher is better"
            # would show every saving as a concern.
            direction = self.fields["direction"]
            direction.initial = None
            choose = ("", "Choose: is higher or lower better?")
            direction.choices = [choose, *Indicator.Direction.choices]

    def clean(self):
        cleaned = super().clean()
        baseline_date, target_date = cleaned.get("baseline_date"), cleaned.get("target_date")
        if baseline_date and target_date and target_date < baseline_date:
            self.add_error("target_date", "The target date must be after the baseline date.")
        return cleaned


class RoleForm(forms.Form):
    username = forms.CharField(
        label="Username or email", max_length=254, help_text="Someone who already has an account."
    )
    role = forms.ChoiceField(choices=ProjectRole.Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_username(self):
        value = self.cleaned_data["username"].strip()
        users = get_user_model().objects.filter(is_active=True)
        user = users.filter(username__iexact=value).first() or users.filter(
            email__iexact=value
        ).first()
        if user is None:
            raise forms.ValidationError("Nobody with that username or email has an account.")
        return user
