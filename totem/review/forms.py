from django import forms
from django.utils import timezone

from projects.services.comments import MAX_COMMENT_LENGTH
from projects.text import TextRulesForm

from ..models import Decision, Pack


class CommentForm(TextRulesForm):
    on = forms.CharField(widget=forms.HiddenInput, max_length=40)
    body = forms.CharField(
        label="Comment", max_length=MAX_COMMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(TextRulesForm):
    pack = forms.ModelChoiceField(
        queryset=Pack.objects.none(),
        label="The pack decided on",
        empty_label=None,
        help_text="The exact version the governors read. It is kept unchanged with its checksum.",
    )
    outcome = forms.ChoiceField(
        choices=Decision.Outcome.choices, widget=forms.RadioSelect, label="Decision"
    )
    conditions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Conditions or reasons",
        help_text="Required for an approval with conditions.",
    )
    decided_on = forms.DateField(
        label="Date of the decision",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    decided_by = forms.CharField(
        required=False,
        max_length=300,
        label="Decided by",
        help_text="For example: Trust Board, or the SRO.",
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pack"].queryset = Pack.objects.filter(
            project=project, kind=Pack.Kind.PROJECT, status=Pack.Status.READY
        ).order_by("-version")
        self.fields["pack"].label_from_instance = _pack_label
        self.fields["decided_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == Decision.Outcome.APPROVED_WITH_CONDITIONS and not data.get("conditions"):
            self.add_error("conditions", "Write the conditions of the approval.")
        return data


def _pack_label(pack: Pack) -> str:
    made = timezone.localtime(pack.created_at)
    return f"Version {pack.version} of {made.day} {made:%b %Y} — {pack.pages} pages"


class PortfolioFilterForm(TextRulesForm):
    """The dashboard's filters and sort, read from the query string: anything unknown is
    ignored rather than refused, so an old bookmark still opens the page."""

    organisation = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Organisation"
    )
    stage = forms.ChoiceField(required=False, label="Stage")
    status = forms.ChoiceField(required=False, label="Status")
    attention = forms.BooleanField(required=False, label="Needs attention only")
    sort = forms.ChoiceField(required=False, label="Sort by")
    descending = forms.BooleanField(required=False, label="Reverse order")

    def __init__(self, *args, organisations=(), stages=(), statuses=(), sorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        named = [(organisation.pk, organisation.name) for organisation in organisations]
        self.fields["organisation"].choices = [("", "All"), *named]
        self.fields["stage"].choices = [("", "All"), *stages]
        self.fields["status"].choices = [("", "All"), *statuses]
        self.fields["sort"].choices = list(sorts)
        for name in ("organisation", "stage", "status", "sort"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
