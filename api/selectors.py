"""What the API reads, as plain data ready for JSON, each in a fixed number of queries.

Every figure comes from the selectors the pages use (`project_chain`, `indicator_analysis`,
`objectives_with_status`, `project_checklists`, `round_results`, `export_row`): the API shows
what the pages show, never a second reckoning of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q

from assessments import selectors as assessment_selectors
from assessments.models import Assessment
from projects import imports
from projects.access import ARCHIVED_RIGHTS, Need
from projects.models import Indicator, Measurement, Membership, Project, Task
from projects.selectors.measures import (
    export_row,
    indicator_analysis,
    objectives_with_status,
    ordered_measurements,
)


def number(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


# --- organisations and projects ---------------------------------------------------------------


def organisations_for_user(user):
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def organisation_data(membership: Membership) -> dict:
    organisation = membership.organisation
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "short_name": organisation.short_name,
        "role": membership.role,
    }


def projects_for_user(user, *, updated_since: datetime | None = None):
    """The projects the user may see: those they hold a role on, and archived ones only when
    they lead them (the rule of `projects.access.rights`, applied in the query)."""
    archived_roles = [role for role, needs in ARCHIVED_RIGHTS.items() if Need.VIEW in needs]
    projects = (
        Project.objects.for_user(user)
        .select_related("lead_organisation")
        .prefetch_related("partner_organisations")
        .order_by("pk")
    )
    projects = projects.filter(Q(archived_at__isnull=True) | Q(user_role__in=archived_roles))
    if updated_since is not None:
        projects = projects.filter(updated_at__gte=updated_since)
    return projects


def project_data(project: Project) -> dict:
    return {
        "id": project.pk,
        "title": project.title,
        "purpose": project.purpose,
        "scope": project.scope,
        "stage": project.stage,
        "lead_organisation": {
            "id": project.lead_organisation_id,
            "name": project.lead_organisation.name,
        },
        "partner_organisations": [
            {"id": o.pk, "name": o.name} for o in project.partner_organisations.all()
        ],
        "your_role": project.user_role,
        "archived": project.archived_at is not None,
        "created_at": project.created_at,
        "updated_at": project.updated_at,
    }


# --- the chain ---------------------------------------------------------------------------------


def _indicator_fields(indicator: Indicator) -> dict:
    return {
        "id": indicator.pk,
        "name": indicator.name,
        "definition": indicator.definition,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "frequency": indicator.frequency,
        "source": indicator.source,
        "owner": indicator.owner,
        "baseline_value": number(indicator.baseline_value),
        "baseline_date": indicator.baseline_date,
        "target_value": number(indicator.target_value),
        "target_date": indicator.target_date,
        "updated_at": indicator.updated_at,
    }


def chain_data(tasks: Sequence[Task]) -> list[dict]:
    """The chain loaded by `project_chain(values=False)`: no queries."""
    return [
        {
            "id": task.pk,
            "title": task.title,
            "description": task.description,
            "owner": task.owner,
            "due": task.due,
            "status": task.status,
            "impacts": [
                {
                    "id": impact.pk,
                    "statement": impact.statement,
                    "indicators": [_indicator_fields(i) for i in impact.indicators.all()],
                }
                for impact in task.impacts.all()
            ],
        }
        for task in tasks
    ]


# --- indicators with their values and SPC state ------------------------------------------------


def chain_indicators(tasks: Sequence[Task]) -> list[Indicator]:
    """Every indicator of a chain loaded by `project_chain`, in order, with `.impact` and
    `.impact.task` set from the loaded rows (no queries)."""
    found = []
    for task in tasks:
        for impact in task.impacts.all():
            impact.task = task
            for indicator in impact.indicators.all():
                indicator.impact = impact
                found.append(indicator)
    return found


def changed_indicator_ids(project: Project, since: datetime) -> set[int]:
    """Indicators whose own fields or values changed since `since`: one query."""
    recorded = Measurement.objects.filter(project=project, recorded_at__gte=since)
    return set(recorded.values_list("indicator_id", flat=True)) | set(
        Indicator.objects.filter(project=project, updated_at__gte=since).values_list(
            "pk", flat=True
        )
    )


def spc_data(indicator: Indicator) -> dict:
    analysis = indicator_analysis(indicator)
    result = analysis.spc
    return {
        "chart_type": result.chart_type,
        "variation": result.variation,
        "variation_side": analysis.variation_side,
        "assurance": result.assurance,
        "state": analysis.state.code,
        "state_label": analysis.state.label,
        "summary": result.summary,
        "trial_limits": result.trial_limits,
        "periods": [
            {
                "start_date": s.start_date,
                "end_date": s.end_date,
                "baseline_end_date": s.baseline_end_date,
                "median": s.median,
                "mean": s.limits.mean if s.limits else None,
                "upper_limit": s.limits.upper if s.limits else None,
                "lower_limit": s.limits.lower if s.limits else None,
                "trial_limits": s.trial_limits,
            }
            for s in result.segments
        ],
    }


def indicator_data(indicator: Indicator) -> dict:
    analysis = indicator_analysis(indicator)
    data = _indicator_fields(indicator)
    data.update(
        task={"id": indicator.impact.task.pk, "title": indicator.impact.task.title},
        impact={"id": indicator.impact.pk, "statement": indicator.impact.statement},
        spc=spc_data(indicator),
        values=[
            {
                # Dates as text here: 10,000 of them through the JSON encoder's fallback
                # would cost more than everything else in the answer.
                "period": p.date.isoformat(),
                "value": p.value,
                "signal": p.classification,
                "rules": list(p.rules),
            }
            for p in analysis.spc.points
        ],
    )
    return data


# --- the tidy feed -----------------------------------------------------------------------------


def tidy_measurements(project: Project, *, updated_since: datetime | None = None):
    """The values of the tidy feed, in the spreadsheet export's order (a queryset to page)."""
    measurements = ordered_measurements(project)
    if updated_since is not None:
        measurements = measurements.filter(recorded_at__gte=updated_since) | measurements.filter(
            indicator__updated_at__gte=updated_since
        )
    return measurements


def tidy_rows(measurements: Iterable[Measurement], indicators: dict[int, Indicator]) -> list[dict]:
    """One row per indicator per period: the spreadsheet export's columns (same names, same
    values) and the period's SPC signal and the indicator's icons. `indicators` are loaded by
    `project_chain`, for their series. No queries."""
    rows = []
    for measurement in measurements:
        row = dict(zip(imports.EXPORT_COLUMNS, export_row(measurement), strict=True))
        for key in ("baseline", "target", "value"):
            row[key] = number(row[key])
        indicator = indicators.get(measurement.indicator_id)
        point = None
        if indicator is not None:
            analysis = indicator_analysis(indicator)
            point = _point_on(analysis.spc.points, measurement.date)
        row["period"] = row.pop("date")
        row.update(
            signal=point.classification if point else None,
            rules=",".join(point.rules) if point else "",
            variation_icon=analysis.variation if indicator else None,
            variation_side=analysis.variation_side if indicator else None,
            assurance_icon=analysis.assurance if indicator else None,
            state=analysis.state.code if indicator else None,
        )
        rows.append(row)
    return rows


def _point_on(points, when: date):
    # The points are few per indicator (a few dozen) and in date order.
    for point in points:
        if point.date == when:
            return point
    return None


# --- objectives --------------------------------------------------------------------------------


def objectives_data(project: Project, *, today: date) -> list[dict]:
    return [
        {
            "id": status.objective.pk,
            "statement": status.objective.statement,
            "indicator_id": status.objective.indicator_id,
            "baseline_value": number(status.objective.baseline_value),
            "baseline_date": status.objective.baseline_date,
            "target_value": number(status.objective.target_value),
            "deadline": status.objective.deadline,
            "status": status.status,
            "status_label": status.status_label,
            "progress_percent": status.progress_percent,
            "missing": list(status.missing),
            "error": status.error,
            "updated_at": status.objective.updated_at,
        }
        for status in objectives_with_status(project, today=today)
    ]


# --- readiness ---------------------------------------------------------------------------------


def readiness_data(project: Project) -> list[dict]:
    return [
        {
            "id": summary.checklist.pk,
            "title": summary.checklist.title,
            "template": str(summary.checklist.template),
            "created_at": summary.checklist.created_at,
            "verdict": summary.verdict,
            "ready": summary.ready,
            "must_haves_met": summary.must_haves_met,
            "must_haves_applicable": summary.must_haves_applicable,
            "must_haves_not_applicable": summary.must_haves_not_applicable,
            "questions_answered": summary.questions_answered,
            "questions_total": summary.questions_total,
            "gaps": [
                {"item": r.item.text, "must_have": r.item.is_must_have, "answer": r.answer}
                for r in summary.gaps
            ],
        }
        for summary in assessment_selectors.project_checklists(project)
    ]


# --- self-assessment rounds --------------------------------------------------------------------


def rounds_for_user(user):
    """Every round one of the user's organisations may read (`visible_rounds` of each)."""
    organisations = [m.organisation for m in organisations_for_user(user)]
    if not organisations:
        return Assessment.objects.none()
    return reduce(or_, (assessment_selectors.visible_rounds(o) for o in organisations))


def round_data(assessment: Assessment) -> dict:
    return {
        "id": assessment.pk,
        "name": assessment.name,
        "organisation": {"id": assessment.organisation_id, "name": assessment.organisation.name},
        "framework": str(assessment.framework),
        "assessed_on": assessment.assessed_on,
        "status": assessment.status,
        "submitted_at": assessment.submitted_at,
    }


def round_results_data(assessment: Assessment) -> dict:
    results = assessment_selectors.round_results(assessment)
    data = round_data(assessment)
    data.update(
        levels=[level.name for level in results.levels],
        totals=results.totals,
        scored=results.scored,
        unscored=results.unscored,
        domains=[
            {
                "name": domain.domain.name,
                "counts": domain.counts,
                "unscored": domain.unscored,
                "answers": [
                    {
                        "question": answer.question.number,
                        "text": answer.question.text,
                        "level": answer.level.name if answer.level_id else None,
                    }
                    for answer in domain.answers
                ],
            }
            for domain in results.domains
        ],
    )
    return data
