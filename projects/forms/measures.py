"""Forms for indicators over time. They validate and render; services save."""

from datetime import date
from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.core import signing

from .. import imports
from ..models import BaselineEntry, ChangePoint, Indicator, Measurement, Objective
from ..text import TextRulesForm, TextRulesModelForm
from .chain import VersionedForm
from .coach import coach_field
from .widgets import DateInput

DATE_INPUT = DateInput()
IMPORT_SALT = "projects.measurement-import"
IMPORT_MAX_AGE = 60 * 60  # seconds a checked file may wait for "Save"


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class MeasurementForm(TextRulesModelForm):
    class Meta:
        model = Measurement
        fields = ["date", "value", "note", "evidence"]
        widgets = {"date": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "date": "The date, or the first day of the period (a month: its 1st). A value "
            "already recorded for this date is replaced; the old one stays in the history.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def validate_unique(self):
        """Re-entering a date is allowed: the service replaces the value."""


class SpcSettingsForm(VersionedForm):
    class Meta:
        model = Indicator
        fields = ["spc_baseline_end"]
        widgets = {"spc_baseline_end": DATE_INPUT}


class ChangePointForm(TextRulesModelForm):
    class Meta:
        model = ChangePoint
        fields = ["date", "reason"]
        widgets = {"date": DATE_INPUT}
        labels = {"date": "The process changed from", "reason": "What changed"}
        help_texts = {
            "reason": "For example: new payroll system live. New limits are computed from "
            "the points from this date on."
        }

    def __init__(self, *args, **kwargs):
        # Its own ids: the indicator page also shows the measurement form, with a date field.
        kwargs.setdefault("auto_id", "id_change_point_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def validate_unique(self):
        """The service's full_clean checks one change point per date, with the indicator."""


class QuickEntryForm(TextRulesForm):
    """One value and note per indicator for one period; a blank value leaves it alone."""

    date = forms.DateField(
        widget=DATE_INPUT,
        label="Period",
        help_text="The date the figures are for: for monthly figures, the 1st of the month.",
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            pk = row.indicator.pk
            self.fields[f"value_{pk}"] = forms.DecimalField(
                max_digits=18,
                decimal_places=4,
                required=False,
                label=f"Value for {row.indicator.name}",
            )
            self.fields[f"note_{pk}"] = forms.CharField(
                required=False, label=f"Note for {row.indicator.name}"
            )
            if row.current is not None:
                self.initial.setdefault(f"value_{pk}", row.current.value.normalize())
                self.initial.setdefault(f"note_{pk}", row.current.note)

    def entries(self):
        """(row, value, note) for each indicator given a value."""
        for row in self.rows:
            value = self.cleaned_data.get(f"value_{row.indicator.pk}")
            if value is not None:
                yield row, value, self.cleaned_data.get(f"note_{row.indicator.pk}", "")

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(True for _ in self.entries()):
            raise forms.ValidationError("Enter at least one value.")
        return cleaned

    def bound_rows(self):
        """Each row with its value and note fields, for a table."""
        for row in self.rows:
            pk = row.indicator.pk
            yield row, self[f"value_{pk}"], self[f"note_{pk}"]


class ImportForm(TextRulesForm):
    file = forms.FileField(
        label="CSV or Excel file",
        help_text=f"At most {imports.MAX_BYTES // 1024 // 1024} MB and {imports.MAX_ROWS:,} "
        "rows, with the columns indicator, date and value (note and evidence if you like).",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    @classmethod
    def refused_for_size(cls, size: int) -> "ImportForm":
        """The form as it stands when an upload is refused on its announced size, unread."""
        form = cls(data={}, files={})
        form.is_valid()
        form.errors["file"] = form.error_class([_too_big(size)])
        return form

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(_too_big(upload.size))  # before reading it into memory
        data = b"".join(upload.chunks())
        try:
            self.sheet = imports.read_spreadsheet(data)
        except imports.ImportRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return upload


def _too_big(size: int) -> str:
    return (
        f"The file is {size / 1024 / 1024:.1f} MB; the largest file that can be imported is "
        f"{imports.MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
    )


def sign_rows(project_id: int, rows) -> str:
    """The checked rows, signed so the "Save" step can trust them without the file."""
    payload = {
        "project": project_id,
        "rows": [
            [r.line, r.indicator_id, r.date.isoformat(), str(r.value), r.note, r.evidence]
            for r in rows
        ],
    }
    return signing.dumps(payload, salt=IMPORT_SALT, compress=True)


class ImportConfirmForm(TextRulesForm):
    rows = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, project_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.project_id = project_id

    def clean_rows(self):
        try:
            payload = signing.loads(
                self.cleaned_data["rows"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE
            )
        except signing.SignatureExpired as error:
            raise forms.ValidationError(
                "This check is more than an hour old: upload the file again."
            ) from error
        except signing.BadSignature as error:
            raise forms.ValidationError(
                "These rows were changed after the check: upload the file again."
            ) from error
        if payload.get("project") != self.project_id:
            raise forms.ValidationError("These rows were checked for another project.")
        return [
            (indicator_id, date.fromisoformat(day), Decimal(value), note, evidence)
            for _line, indicator_id, day, value, note, evidence in payload["rows"]
        ]


class ObjectiveForm(VersionedForm):
    class Meta:
        model = Objective
        fields = [
            "statement",
            "indicator",
            "baseline_value",
            "baseline_date",
            "target_value",
            "deadline",
        ]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 2}),
            "baseline_date": DATE_INPUT,
            "deadline": DATE_INPUT,
        }
        labels = {"target_value": "Target"}
        help_texts = {
            "statement": "Metric, baseline, target and deadline in one sentence: “reduce "
            "legal costs by 20% within the first year”.",
            "baseline_value": "Where the indicator stood at the start. Leave blank to use the "
            "indicator's baseline.",
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        coach_field(self.helper, "statement", "objective")
        self.fields["indicator"].queryset = Indicator.objects.filter(project=project).order_by(
            "impact__task__position", "impact__position", "position", "pk"
        )
        self.fields["indicator"].empty_label = "Not measured yet"

    def clean(self):
        cleaned = super().clean()
        indicator = cleaned.get("indicator")
        if indicator is not None:
            # The indicator's own baseline is the natural starting point of an objective.
            if cleaned.get("baseline_value") is None and indicator.baseline_value is not None:
                cleaned["baseline_value"] = indicator.baseline_value
            if cleaned.get("baseline_date") is None and indicator.baseline_date is not None:
                cleaned["baseline_date"] = indicator.baseline_date
        baseline_date, deadline = cleaned.get("baseline_date"), cleaned.get("deadline")
        if baseline_date and deadline and deadline < baseline_date:
            self.add_error("deadline", "The deadline must be after the baseline date.")
        baseline, target = cleaned.get("baseline_value"), cleaned.get("target_value")
        if baseline is not None and target is not None and baseline == target and not indicator:
            self.add_error(
                "target_value",
                "The target equals the baseline: choose the indicator, so that its direction "
                "says whether higher or lower is better.",
            )
        return cleaned


class BaselineEntryForm(VersionedForm):
    class Meta:
        model = BaselineEntry
        fields = list(imports.BASELINE_COLUMNS)
        widgets = {
            "as_of": DATE_INPUT,
            "volumes": forms.Textarea(attrs={"rows": 2}),
            "performance": forms.Textarea(attrs={"rows": 2}),
            "operating_model": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"as_of": "Date of the figures", "budget": "Budget (£ a year)"}
