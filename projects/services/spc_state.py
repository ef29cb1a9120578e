"""Store each indicator's SPC verdicts when what they are computed from changes.

Called by every service that writes an input of the analysis: values (measurements_record,
measurement_delete), change points, the SPC baseline and the indicator's own settings
(direction, target). The verdicts come from `selectors.indicator_analysis`, the function the
chart and the poster use, so the stored state and the chart can never disagree.
"""

from collections.abc import Iterable

from django.db.models import Prefetch
from django.utils import timezone

from ..models import ChangePoint, Indicator, Measurement, SpcState
from ..selectors.measures import indicator_analysis

STATE_FIELDS = [
    "variation",
    "variation_side",
    "assurance",
    "state",
    "points",
    "mean",
    "upper",
    "lower",
    "latest_date",
    "computed_at",
]


def indicators_spc_refresh(*, indicator_ids: Iterable[int]) -> int:
    """Work out and store the SPC state of these indicators: four queries. Returns how many."""
    ids = set(indicator_ids)
    if not ids:
        return 0
    indicators = Indicator.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.only("indicator", "date", "value")),
        Prefetch("change_points", queryset=ChangePoint.objects.order_by("date")),
    )
    states = [spc_state_of(indicator) for indicator in indicators]
    SpcState.objects.bulk_create(
        states,
        update_conflicts=True,
        unique_fields=["indicator"],
        update_fields=[*STATE_FIELDS, "project"],
    )
    return len(states)


def spc_state_of(indicator: Indicator) -> SpcState:
    """The unsaved SpcState row of a loaded indicator."""
    analysis = indicator_analysis(indicator)
    latest = analysis.spc.latest_segment
    limits = latest.limits if latest else None
    return SpcState(
        indicator=indicator,
        project_id=indicator.project_id,
        variation=analysis.variation,
        variation_side=analysis.variation_side or "",
        assurance=analysis.assurance,
        state=analysis.state.code,
        points=analysis.count,
        mean=limits.mean if limits else None,
        upper=limits.upper if limits else None,
        lower=limits.lower if limits else None,
        latest_date=analysis.latest.date if analysis.latest else None,
        computed_at=timezone.now(),
    )


def project_spc_refresh(*, project_ids: Iterable[int] | None = None) -> int:
    """Refresh every indicator of these projects (all projects: None). For data written before
    the state was stored, or loaded around the services (`manage.py spc_refresh`)."""
    indicators = Indicator.objects.all()
    if project_ids is not None:
        indicators = indicators.filter(project_id__in=list(project_ids))
    ids = list(indicators.values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), 500):
        done += indicators_spc_refresh(indicator_ids=ids[start : start + 500])
    return done

