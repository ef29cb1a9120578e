"""Forms validate and render; services save."""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.db.models import Q
from django.utils.formats import date_format

from projects.forms.organisations import OrganisationsField
from projects.forms.widgets import DateInput
from projects.models import Organisation, Project
from projects.text import TextRulesForm

from . import selectors
from .models import Assessment, ChecklistResponse


def _helper(*, form_tag: bool = False) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    helper.disable_csrf = True
    return helper


class ChecklistStartForm(TextRulesForm):
    template = forms.ModelChoiceField(
        queryset=selectors.published_checklist_templates(),
        empty_label=None,
        label="Checklist",
        help_text="The current published version is used; later edits to it never change "
        "this checklist.",
    )
    title = forms.CharField(
        max_length=200,
        help_text="For example “Gateway before the design stage”.",
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        stage = project.get_stage_display().lower()
        self.fields["title"].initial = f"Readiness at the {stage} stage"
        self.helper = _helper()


class ResponseForm(TextRulesForm):
    """One item of a checklist; the page holds one of these per item, prefixed by its id."""

    answer = forms.ChoiceField(
        choices=[("", "Not answered")] + ChecklistResponse.Answer.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Evidence or note"
    )
    owner = forms.CharField(required=False, max_length=200)
    due = forms.DateField(required=False, widget=DateInput, label="Due date")

    def __init__(self, *args, response: ChecklistResponse, **kwargs):
        initial = {
            "answer": response.answer,
            "evidence": response.evidence,
            "owner": response.owner,
            "due": response.due,
        }
        super().__init__(*args, prefix=f"r{response.pk}", initial=initial, **kwargs)
        self.response = response
        self.fields["answer"].label = "Answer"
        self.helper = _helper()
        self.helper.layout = Layout(
            InlineRadios("answer"),
            Row(
                Column("evidence", css_class="col-md-6"),
                Column("owner", css_class="col-sm-7 col-md-3"),
                Column("due", css_class="col-sm-5 col-md-3"),
            ),
        )


class RoundOpenForm(TextRulesForm):
    name = forms.CharField(max_length=200, help_text="For example “Baseline, spring 2026”.")
    assessed_on = forms.DateField(widget=DateInput, label="Date of the assessment")
    framework = forms.ModelChoiceField(
        queryset=selectors.published_frameworks(), empty_label=None
    )
    projects = forms.ModelMultipleChoiceField(
        queryset=Project.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional: the projects or partnership this round concerns.",
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = (
            Project.objects.filter(
                Q(lead_organisation=organisation) | Q(partner_organisations=organisation)
            )
            .distinct()
            .order_by("title")
        )
        if not self.fields["projects"].queryset.exists():
            del self.fields["projects"]
        self.helper = _helper()


class AnswerForm(TextRulesForm):
    """The score of one question, prefixed by the question's number."""

    level = forms.ModelChoiceField(queryset=None, required=False, widget=forms.RadioSelect)
    evidence = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_actions = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Next actions"
    )

    def __init__(self, *args, answer, levels, **kwargs):
        initial = {
            "level": answer.level_id,
            "evidence": answer.evidence,
            "next_actions": answer.next_actions,
        }
        super().__init__(*args, prefix=f"q{answer.question.number}", initial=initial, **kwargs)
        self.answer = answer
        self.fields["level"].queryset = levels
        self.helper = _helper()


class ReopenForm(TextRulesForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text="Recorded in the round's log, for example “Re-scoring after the autumn "
        "workshop”.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ShareForm(TextRulesForm):
    """Who sees a round: the partners it is shared with now (untick to stop), and more named by
    their exact name or code — never chosen from a list of every organisation."""

    keep = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Shared with",
        help_text="Untick a partner to stop sharing with it.",
    )
    add = OrganisationsField(
        label="Share with",
        help_text="Partners to add, one per line: each one's exact name or its code (NHS ODS "
        "code or UKPRN) as the partner gives it to you. Each can see this round's scores and "
        "compare them with its own. Sharing is one-way: it shows you nothing of theirs.",
    )

    def __init__(self, *args, organisation: Organisation, shared=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        shared = list(shared)
        if shared:
            self.fields["keep"].queryset = Organisation.objects.filter(
                pk__in=[org.pk for org in shared]
            )
            self.initial.setdefault("keep", shared)
        else:
            del self.fields["keep"]
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        added = cleaned.get("add") or []
        if any(org.pk == self.organisation.pk for org in added):
            self.add_error("add", "That is this round's own organisation: it always sees it.")
        partners = list(cleaned.get("keep") or [])
        partners += [org for org in added if org not in partners]
        cleaned["partners"] = partners
        return cleaned


class ImportForm(TextRulesForm):
    file = forms.FileField(
        label="Spreadsheet",
        help_text="A CSV file or an Excel workbook (.xlsx) in the shape of this round's export.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class CompareForm(TextRulesForm):
    first = forms.ModelChoiceField(queryset=Assessment.objects.none(), label="Compare")
    second = forms.ModelChoiceField(queryset=Assessment.objects.none(), label="with")

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        rounds = selectors.visible_rounds(organisation)
        for name in ("first", "second"):
            self.fields[name].queryset = rounds
            self.fields[name].label_from_instance = self._label(organisation)

    @staticmethod
    def _label(organisation):
        def label(assessment):
            whose = "" if assessment.organisation_id == organisation.pk else (
                f"{assessment.organisation.short_name or assessment.organisation.name}: "
            )
            return f"{whose}{assessment.name} ({date_format(assessment.assessed_on, 'j M Y')})"

        return label

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            raise forms.ValidationError("Pick two different rounds.")
        return cleaned
