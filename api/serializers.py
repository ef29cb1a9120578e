"""The shapes of the API's answers and requests, for validation and for the OpenAPI schema.

Reads are built as plain data by `api.selectors` (a 160-indicator project is 10,000 points:
building them through serializer fields would cost most of the time budget); these classes
describe them, and the Schemathesis test checks that every answer conforms.
"""

from rest_framework import serializers

from .services import MAX_BATCH_ROWS


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField(allow_blank=True)
    role = serializers.CharField(help_text="Your role in it: member or admin.")


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    purpose = serializers.CharField(allow_blank=True)
    scope = serializers.CharField(allow_blank=True)
    stage = serializers.CharField()
    lead_organisation = OrganisationRefSerializer()
    partner_organisations = OrganisationRefSerializer(many=True)
    your_role = serializers.CharField(help_text="lead, contributor, governor or viewer")
    archived = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class IndicatorFieldsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    definition = serializers.CharField(allow_blank=True)
    kind = serializers.CharField(help_text="leading or lagging")
    unit = serializers.CharField(allow_blank=True)
    direction = serializers.CharField(help_text="up or down: which way is better")
    frequency = serializers.CharField(allow_blank=True)
    source = serializers.CharField(allow_blank=True)
    owner = serializers.CharField(allow_blank=True)
    baseline_value = serializers.FloatField(allow_null=True)
    baseline_date = serializers.DateField(allow_null=True)
    target_value = serializers.FloatField(allow_null=True)
    target_date = serializers.DateField(allow_null=True)
    updated_at = serializers.DateTimeField()


class ImpactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    statement = serializers.CharField()
    indicators = IndicatorFieldsSerializer(many=True)


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    owner = serializers.CharField(allow_blank=True)
    due = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    impacts = ImpactSerializer(many=True)


class SpcPeriodSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    baseline_end_date = serializers.DateField()
    median = serializers.FloatField()
    mean = serializers.FloatField(allow_null=True)
    upper_limit = serializers.FloatField(allow_null=True)
    lower_limit = serializers.FloatField(allow_null=True)
    trial_limits = serializers.BooleanField()


class SpcSerializer(serializers.Serializer):
    chart_type = serializers.CharField(help_text="xmr (with limits) or run")
    variation = serializers.CharField(
        help_text="The variation icon: common-cause, special-cause-improvement, "
        "special-cause-concern or not-enough-data."
    )
    variation_side = serializers.CharField(
        allow_null=True, help_text="high or low: the letter on the variation icon."
    )
    assurance = serializers.CharField(
        help_text="The assurance icon: consistently-passing, consistently-failing, "
        "hit-and-miss or no-target."
    )
    state = serializers.CharField(help_text="improving, concern, no-signal or no-data")
    state_label = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    trial_limits = serializers.BooleanField()
    periods = SpcPeriodSerializer(many=True)


class ValuePointSerializer(serializers.Serializer):
    period = serializers.DateField()
    value = serializers.FloatField()
    signal = serializers.CharField(help_text="improvement, concern, common or unassessed")
    rules = serializers.ListField(
        child=serializers.CharField(),
        help_text="The SPC rules the point breaks: outside-limits, shift, trend, two-of-three.",
    )


class TaskRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ImpactRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    statement = serializers.CharField()


class IndicatorSerializer(IndicatorFieldsSerializer):
    task = TaskRefSerializer()
    impact = ImpactRefSerializer()
    spc = SpcSerializer()
    values = ValuePointSerializer(many=True)


class TidyRowSerializer(serializers.Serializer):
    task = serializers.CharField()
    impact = serializers.CharField()
    indicator = serializers.CharField()
    indicator_id = serializers.IntegerField()
    kind = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    direction = serializers.CharField()
    baseline = serializers.FloatField(allow_null=True)
    baseline_date = serializers.DateField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    target_date = serializers.DateField(allow_null=True)
    period = serializers.DateField()
    value = serializers.FloatField()
    note = serializers.CharField(allow_blank=True)
    evidence = serializers.CharField(allow_blank=True)
    recorded_by = serializers.CharField(allow_blank=True)
    signal = serializers.CharField(allow_null=True)
    rules = serializers.CharField(allow_blank=True, help_text="Comma-separated rule codes.")
    variation_icon = serializers.CharField(allow_null=True)
    variation_side = serializers.CharField(allow_null=True)
    assurance_icon = serializers.CharField(allow_null=True)
    state = serializers.CharField(allow_null=True)


class ObjectiveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    statement = serializers.CharField()
    indicator_id = serializers.IntegerField(allow_null=True)
    baseline_value = serializers.FloatField(allow_null=True)
    baseline_date = serializers.DateField(allow_null=True)
    target_value = serializers.FloatField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    status_label = serializers.CharField()
    progress_percent = serializers.IntegerField(allow_null=True)
    missing = serializers.ListField(child=serializers.CharField())
    error = serializers.CharField(allow_blank=True)
    updated_at = serializers.DateTimeField()


class ReadinessGapSerializer(serializers.Serializer):
    item = serializers.CharField()
    must_have = serializers.BooleanField()
    answer = serializers.CharField(allow_blank=True)


class ReadinessSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    template = serializers.CharField()
    created_at = serializers.DateTimeField()
    verdict = serializers.CharField()
    ready = serializers.BooleanField()
    must_haves_met = serializers.IntegerField()
    must_haves_applicable = serializers.IntegerField()
    must_haves_not_applicable = serializers.IntegerField()
    questions_answered = serializers.IntegerField()
    questions_total = serializers.IntegerField()
    gaps = ReadinessGapSerializer(many=True)


class RoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = OrganisationRefSerializer()
    framework = serializers.CharField()
    assessed_on = serializers.DateField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)


class RoundAnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    text = serializers.CharField()
    level = serializers.CharField(allow_null=True)


class RoundDomainSerializer(serializers.Serializer):
    name = serializers.CharField()
    counts = serializers.ListField(child=serializers.IntegerField(), help_text="Per level.")
    unscored = serializers.IntegerField()
    answers = RoundAnswerSerializer(many=True)


class RoundResultsSerializer(RoundSerializer):
    levels = serializers.ListField(child=serializers.CharField(), help_text="Lowest first.")
    totals = serializers.ListField(child=serializers.IntegerField())
    scored = serializers.IntegerField()
    unscored = serializers.IntegerField()
    domains = RoundDomainSerializer(many=True)


# --- writes ------------------------------------------------------------------------------------


class BatchRowSerializer(serializers.Serializer):
    """One value. Checked by the spreadsheet import's rules, so the same forms are accepted:
    a period as 2026-04-01 or "Apr 2026", a value as 1234.5 or "1,234.5"."""

    indicator = serializers.JSONField(
        help_text="The indicator's id (a number), or its name (text)."
    )
    period = serializers.JSONField(help_text="The date, or the first day of the period.")
    value = serializers.JSONField(help_text="A number (or text such as “1,234.5”).")
    note = serializers.JSONField(required=False, help_text="Optional; shown on the chart.")
    evidence = serializers.JSONField(required=False, help_text="Optional link or reference.")


class BatchSerializer(serializers.Serializer):
    idempotency_key = serializers.CharField(
        max_length=200,
        help_text="Any text unique to this batch (e.g. “warehouse-2026-04”): a batch sent "
        "again with the same key and rows is recorded once.",
    )
    rows = BatchRowSerializer(many=True, allow_empty=False, min_length=1, max_length=MAX_BATCH_ROWS)


class BatchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    idempotency_key = serializers.CharField()
    replayed = serializers.BooleanField(
        help_text="True when this batch had been recorded before: nothing was recorded now."
    )
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    replaced = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    recorded_at = serializers.DateTimeField()
    token_name = serializers.CharField(allow_blank=True)


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="Counted from 1; null: the batch.")
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class BatchErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = RowErrorSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
