"""Forms validate and render; services save."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.utils.html import format_html

from ..models import Impact, Indicator, Project, StarterTotem, Task
from ..selectors.organisations import organisations_of
from ..text import TextRulesModelForm
from .coach import coach_field
from .organisations import OrganisationsField
from .widgets import DateInput


class VersionedForm(TextRulesModelForm):
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
        fields = [
            "title",
            "purpose",
            "scope",
            "stage",
            "lead_organisation",
            "figures_grace_days",
            "figures_escalate_after_days",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "scope": forms.Textarea(attrs={"rows": 3}),
        }

    partner_organisations = OrganisationsField(
        label="Partner organisations",
        help_text="Other organisations in the partnership, one per line: each one's exact name "
        "or its code (NHS ODS code or UKPRN) as the partner gives it to you.",
    )

    DUE_SETTINGS = ("figures_grace_days", "figures_escalate_after_days")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.DUE_SETTINGS:  # left blank: kept as they are
            self.fields[name].required = False
        lead = self.fields["lead_organisation"]
        lead.queryset = organisations_of(user)  # only the person's own: nothing else is listed
        if self.instance.pk:
            del self.fields["starter"]
            # Fixed once made: shown as it is, whoever edits (a lead from a partner, say).
            lead.queryset = type(self.instance.lead_organisation).objects.filter(
                pk=self.instance.lead_organisation_id
            )
            lead.disabled = True
            self.initial["partner_organisations"] = list(
                self.instance.partner_organisations.all()
            )
        else:
            del self.fields["version"]
            self.fields["stage"].initial = Project.Stage.SCOPING
            own = list(lead.queryset[:2])
            if len(own) == 1:
                self.initial.setdefault("lead_organisation", own[0].pk)

    def clean(self):
        cleaned = super().clean()
        lead = cleaned.get("lead_organisation") or self.instance_lead()
        if lead is not None and lead in (cleaned.get("partner_organisations") or []):
            self.add_error(
                "partner_organisations",
                f"{lead.name} leads the project, so it cannot also be one of its partners.",
            )
        for name in self.DUE_SETTINGS:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = getattr(self.instance, name)
        return cleaned

    def instance_lead(self):
        return self.instance.lead_organisation if self.instance.pk else None

class OwnerField:
    """The owner is chosen from the project's members; the text typed before there were
    members to choose from is shown until someone is chosen."""

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        project_id = project.pk if project is not None else self.instance.project_id
        field = self.fields["owner_person"]
        field.queryset = (
            get_user_model()
            .objects.filter(project_roles__project_id=project_id, is_active=True)
            .order_by("first_name", "last_name", "username")
        )
        field.label_from_instance = lambda user: user.get_full_name() or user.username
        field.empty_label = "No one yet"
        if self.instance.owner and not self.instance.owner_person_id:
            # Crispy shows help text as HTML: the typed text is escaped here.
            field.help_text = format_html(
                "Typed before as “{}”: choose the member it means.", self.instance.owner
            )


class TaskForm(OwnerField, VersionedForm):
    class Meta:
        model = Task
        fields = ["title", "description", "owner_person", "due", "status"]
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

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        coach_field(self.helper, "statement", "impact")


class IndicatorForm(OwnerField, VersionedForm):
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
            "owner_person",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 2}),
            "baseline_date": DateInput,
            "target_date": DateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        coach_field(self.helper, "name", "indicator_name")
        self.fields["frequency"].help_text = (
            "Totem reminds the owner when each period's figure is due."
        )
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


