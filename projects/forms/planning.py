"""Forms for the planning record. They validate and render; services save."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from ..models import Dependency, DesignPrinciple, Idea, PrincipleScore, Project, Risk, Scenario
from ..selectors.planning import linkable_projects
from ..text import TextRulesForm
from .chain import VersionedForm
from .coach import coach_field
from .widgets import DateInput

DATE = DateInput()
LIKELIHOOD_CHOICES = [
    (1, "1 — rare"),
    (2, "2 — unlikely"),
    (3, "3 — possible"),
    (4, "4 — likely"),
    (5, "5 — almost certain"),
]
IMPACT_CHOICES = [
    (1, "1 — negligible"),
    (2, "2 — minor"),
    (3, "3 — moderate"),
    (4, "4 — major"),
    (5, "5 — severe"),
]


def _rows(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PrincipleForm(VersionedForm):
    class Meta:
        model = DesignPrinciple
        fields = ["statement", "rationale", "agreed_on", "agreed_by"]
        widgets = {"statement": _rows(2), "rationale": _rows(2), "agreed_on": DATE}
        labels = {"statement": "Principle", "agreed_on": "Agreed on", "agreed_by": "Agreed by"}
        help_texts = {
            "statement": "A criterion that helps choose between options — not one every option "
            "would meet. For example “advice is self-service wherever possible”.",
            "rationale": "Why this principle: what it protects or changes.",
            "agreed_by": "For example the joint programme board.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        coach_field(self.helper, "statement", "principle")


class ScenarioForm(VersionedForm):
    class Meta:
        model = Scenario
        fields = [
            "title",
            "description",
            "expected_outcomes",
            "likelihood",
            "recommendation",
            "reasons",
        ]
        widgets = {
            "description": _rows(2),
            "expected_outcomes": _rows(2),
            "reasons": _rows(2),
            "likelihood": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        }
        labels = {"likelihood": "Likelihood of proceeding (%)"}
        help_texts = {
            "likelihood": "From 0 to 100: how likely the partners are to go ahead with it.",
            "expected_outcomes": "What would be different if this scenario went ahead.",
            "reasons": "Why this recommendation.",
        }


class ScenarioChooseForm(VersionedForm):
    class Meta:
        model = Scenario
        fields = ["chosen_on", "chosen_by"]
        widgets = {"chosen_on": DATE}
        labels = {"chosen_on": "Decided on", "chosen_by": "Decided by"}
        help_texts = {"chosen_by": "Who made the decision, for example the joint board."}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].required = True
        if not self.instance.chosen_on:
            self.initial["chosen_on"] = timezone.localdate()
        if not self.instance.chosen_by and user is not None:
            self.initial["chosen_by"] = user.get_full_name() or user.username


class IdeaForm(VersionedForm):
    class Meta:
        model = Idea
        fields = ["note", "task_title", "intended_impact"]
        widgets = {"note": _rows(2), "intended_impact": _rows(2)}
        labels = {
            "task_title": "Alternative or additional task: when you…",
            "intended_impact": "Its intended impact: you should evaluate the extent to which "
            "you have…",
        }

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("note", "").strip() or cleaned.get("task_title", "").strip()):
            raise forms.ValidationError("Write a note, or a task, or both.")
        return cleaned


class IdeaTaskForm(TextRulesForm):
    """Turn an idea into a task and its impact: both are needed, the impact is the point."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label="Task: when you…", max_length=300)
    impact = forms.CharField(
        label="Impact: you should evaluate the extent to which you have…", widget=_rows(2)
    )

    def __init__(self, *args, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update(
            version=idea.version, title=idea.task_title, impact=idea.intended_impact
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class RiskForm(VersionedForm):
    likelihood = forms.TypedChoiceField(choices=LIKELIHOOD_CHOICES, coerce=int, initial=3)
    impact = forms.TypedChoiceField(choices=IMPACT_CHOICES, coerce=int, initial=3)

    class Meta:
        model = Risk
        fields = [
            "kind",
            "title",
            "description",
            "likelihood",
            "impact",
            "owner",
            "mitigation",
            "status",
        ]
        widgets = {"description": _rows(2), "mitigation": _rows(2)}
        labels = {"kind": "This is a", "mitigation": "Mitigation or response"}


class DependencyForm(VersionedForm):
    class Meta:
        model = Dependency
        fields = ["description", "other_project", "other_project_name", "owner", "status"]
        widgets = {"description": _rows(2)}
        labels = {
            "description": "What this project needs from the other one",
            "other_project": "The other project, if it is in Totem",
            "other_project_name": "…or its name, if it is not",
        }

    def __init__(self, *args, project: Project, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible = linkable_projects(user).exclude(pk=project.pk).order_by("title")
        current = self.instance.other_project_id
        if current and not visible.filter(pk=current).exists():
            # Linked by someone who can see that project: this user may neither see nor
            # change the link, only the rest.
            del self.fields["other_project"]
            self.fields["other_project_name"].help_text = (
                "This dependency is linked to a project in Totem you have no role on; the link "
                "stays as it is."
            )
            self.hidden_link = True
        else:
            self.fields["other_project"].queryset = visible
            self.fields["other_project"].empty_label = "Not in Totem, or none"
            self.hidden_link = False

    def clean(self):
        cleaned = super().clean()
        linked = cleaned.get("other_project") or self.hidden_link
        if not linked and not cleaned.get("other_project_name", "").strip():
            self.add_error(
                "other_project_name", "Choose the other project, or write its name."
            )
        return cleaned


class ScoresForm(TextRulesForm):
    """The whole matrix at once: a choice per scenario × principle, plus the score each cell
    had when the form was opened, so that a cell someone else changed since is not lost."""

    CHOICES = [("", "—")] + list(PrincipleScore.Score.choices)

    def __init__(self, *args, matrix, **kwargs):
        super().__init__(*args, **kwargs)
        self.matrix = matrix
        for row in matrix.rows:
            for cell in row.cells:
                name = self.cell_name(row.scenario, cell.principle)
                self.fields[name] = forms.ChoiceField(
                    choices=self.CHOICES,
                    required=False,
                    label=f"{row.scenario.title} against “{cell.principle.statement}”",
                    initial=cell.score,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )
                self.fields[f"was-{name}"] = forms.ChoiceField(
                    choices=self.CHOICES,
                    required=False,
                    widget=forms.HiddenInput,
                    initial=cell.score,
                )

    @staticmethod
    def cell_name(scenario, principle) -> str:
        return f"score-{scenario.pk}-{principle.pk}"

    def cells(self) -> dict[tuple[int, int], tuple[str, str]]:
        """(scenario id, principle id) -> (the score seen when opened, the score chosen)."""
        found = {}
        for row in self.matrix.rows:
            for cell in row.cells:
                name = self.cell_name(row.scenario, cell.principle)
                found[(row.scenario.pk, cell.principle.pk)] = (
                    self.cleaned_data[f"was-{name}"],
                    self.cleaned_data[name],
                )
        return found

    def by_principle(self):
        """For the template: a row per principle, with a bound field per scenario."""
        for principle, cells in self.matrix.by_principle:
            yield principle, [self[self.cell_name(cell.scenario, principle)] for cell in cells]
