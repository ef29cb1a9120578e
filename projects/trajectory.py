"""Objective status: how far from baseline to target, and whether the trend gets there in time.

Pure Python with no Django import. `objective_status()` answers the two questions a measurable
objective ("reduce legal costs by 20% within the first year") raises: how much of the distance
from baseline to target have we travelled, and does the trajectory reach the target by the
deadline? The rule is `TRAJECTORY_RULE`, written to be shown on the page as it stands.

Choices:

- Which way is better follows from the objective's own numbers: a target above the baseline
  means up. `direction` (the indicator's) is needed only when the target equals the baseline,
  a hold-the-line objective, which is met while values are at least as good as the target.
- Only measurements dated after the baseline date and on or before `today` count. Earlier ones
  describe the world before the baseline; later-dated ones are typing mistakes or forecasts.
- Distance travelled is (latest value - baseline) / (target - baseline): 0 at the baseline,
  1 at the target, negative when things went the wrong way, above 1 when the target is beaten.
- Before the deadline (and on the deadline day) the status is on track, at risk or off track by
  the fitted line. The baseline counts as the first value of the line, so that one measurement
  already gives a direction; with more than `RECENT_POINTS - 1` measurements only the recent
  ones count, because the question is where things are heading now.
- After the deadline the status is final: achieved or missed, from the last value on or before
  the deadline. A value dated after the deadline describes a later period and does not count.
- No usable measurement (or none on or before a past deadline) is "no-data", never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from projects import spc
from projects.figures import figure
from projects.spc import DOWN, RELATIVE_TOLERANCE, UP, clean_series, finite_float

ON_TRACK = "on-track"
AT_RISK = "at-risk"
OFF_TRACK = "off-track"
NO_DATA = "no-data"
ACHIEVED = "achieved"
MISSED = "missed"

RECENT_POINTS = 6
AT_RISK_FRACTION = 0.75

TRAJECTORY_RULE = (
    f"A straight line is fitted by least squares through the last {RECENT_POINTS} values (the "
    "baseline counts as the first value) and read on the deadline: on track if it has reached "
    f"the target by then, at risk if it is at least {AT_RISK_FRACTION:.0%} of the way from "
    "baseline to target, and off track otherwise; once the deadline has passed, the last value "
    "on or before it says whether the objective was achieved or missed."
)


@dataclass(frozen=True)
class Trajectory:
    status: str  # ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA, ACHIEVED or MISSED
    direction: str  # UP or DOWN: which way is better for this objective
    distance_travelled: float | None  # latest value: 0 at baseline, 1 at target
    latest_date: date | None
    latest_value: float | None
    projected_value: float | None  # the fitted line on the deadline, before the deadline only
    projected_distance: float | None  # the same as a fraction of the way to the target
    summary: str
    rule: str = TRAJECTORY_RULE


def objective_status(
    *,
    baseline_value: float | Decimal,
    baseline_date: date,
    target_value: float | Decimal,
    deadline: date,
    measurements: Iterable[tuple[date, float | Decimal]],
    today: date,
    direction: str | None = None,
    unit: str = "",
) -> Trajectory:
    """Status of one objective on `today`; `measurements` are (date, value) in any order."""
    baseline = finite_float(baseline_value)
    target = finite_float(target_value)
    if deadline < baseline_date:
        raise ValueError("the deadline is before the baseline date")
    better = UP if target > baseline else DOWN if target < baseline else direction
    if better not in (UP, DOWN):
        raise ValueError("the target equals the baseline: say which direction is better")
    gap = target - baseline
    tolerance = RELATIVE_TOLERANCE * max(abs(baseline), abs(target))

    def meets(value: float) -> bool:
        return value >= target - tolerance if better == UP else value <= target + tolerance

    def distance(value: float) -> float | None:
        return (value - baseline) / gap if gap else None

    usable = [(when, v) for when, v in clean_series(measurements) if baseline_date < when <= today]
    latest_date, latest_value = usable[-1] if usable else (None, None)
    facts = {
        "direction": better,
        "distance_travelled": None if latest_value is None else distance(latest_value),
        "latest_date": latest_date,
        "latest_value": latest_value,
    }
    target_text = f"{figure(target, unit)} by {_day(deadline)}"

    if today > deadline:
        final = [(when, value) for when, value in usable if when <= deadline]
        if not final:
            summary = f"No measurement on or before the deadline for {target_text}."
            return Trajectory(NO_DATA, **facts, **_unprojected(), summary=summary)
        when, value = final[-1]
        status = ACHIEVED if meets(value) else MISSED
        summary = (
            f"{status.capitalize()}: the last value before the deadline, {figure(value, unit)} "
            f"on {_day(when)}, {'met' if status == ACHIEVED else 'did not meet'} the target "
            f"of {target_text}."
        )
        return Trajectory(status, **facts, **_unprojected(), summary=summary)

    if not usable:
        summary = f"No measurements since the baseline yet; the target is {target_text}."
        return Trajectory(NO_DATA, **facts, **_unprojected(), summary=summary)

    fitted = [(baseline_date, baseline), *usable][-RECENT_POINTS:]
    projected = _line_at(fitted, deadline)
    projected_distance = distance(projected)
    if meets(projected):
        status = ON_TRACK
        verdict = "the trend reaches the target"
    elif projected_distance is not None and projected_distance >= AT_RISK_FRACTION:
        status = AT_RISK
        verdict = f"the trend gets {projected_distance:.0%} of the way"
    else:
        status = OFF_TRACK
        if projected_distance is None:
            verdict = "the trend ends short of the target"
        elif projected_distance < 0:
            verdict = "the trend heads away from the target"
        else:
            verdict = f"the trend gets only {projected_distance:.0%} of the way"
    travelled = facts["distance_travelled"]
    if travelled is None:
        so_far = ""
    elif travelled < 0:  # not "-50% of the way": say which way it went
        so_far = f" further from the target than at the baseline ({figure(latest_value, unit)});"
    else:
        so_far = f" {travelled:.0%} of the way so far;"
    summary = f"{status.replace('-', ' ').capitalize()}:{so_far} {verdict} ({target_text})."
    return Trajectory(
        status,
        **facts,
        projected_value=projected,
        projected_distance=projected_distance,
        summary=summary,
    )


def _unprojected() -> dict[str, None]:
    return {"projected_value": None, "projected_distance": None}


def _day(when: date) -> str:
    return f"{when.day} {when:%b %Y}"


def _line_at(points: Sequence[tuple[date, float]], when: date) -> float:
    """The least-squares line through `points` (at distinct dates, two or more), read at `when`."""
    origin = points[0][0].toordinal()
    xs = [day.toordinal() - origin for day, _ in points]
    ys = [value for _, value in points]
    mean_x = sum(xs) / len(xs)
    mean_y = sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    return mean_y + slope * (when.toordinal() - origin - mean_x)


# --- one status: the trajectory and the chart's assurance together ------------------------------

DECIDED_BY_DEADLINE = "deadline"
DECIDED_BY_ASSURANCE = "assurance"
DECIDED_BY_TRAJECTORY = "trajectory"

STATUS_RULE = (
    "One status per objective, the same on this page, the poster, the portfolio dashboard and "
    "the governors' pack. Once the deadline has passed the last value decides: achieved or "
    "missed. Before it, when the indicator's SPC chart has process limits and a target, its "
    "assurance decides: a process that will consistently meet the target is on track, one that "
    "will consistently miss it is off track, whatever the trend line says. Otherwise (the target "
    "lies within the limits, or there are too few points for limits) the trend line decides."
)

_STATUS_WORDS = {
    ON_TRACK: "on track",
    AT_RISK: "at risk",
    OFF_TRACK: "off track",
    ACHIEVED: "achieved",
    MISSED: "missed",
    NO_DATA: "no data",
}


@dataclass(frozen=True)
class Verdict:
    status: str  # ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA, ACHIEVED or MISSED
    decided_by: str  # DECIDED_BY_*
    reconciled: str  # one sentence when the trend line or the chart's icons say otherwise


def decide_status(trajectory_status: str, *, assurance: str, variation: str) -> Verdict:
    """The one status of an objective from its trajectory status and its indicator's SPC
    assurance and variation (spc.ASSURANCE_*, spc.VARIATION_*), by STATUS_RULE."""
    if trajectory_status in (ACHIEVED, MISSED, NO_DATA):
        return Verdict(trajectory_status, DECIDED_BY_DEADLINE, "")
    decided = {spc.ASSURANCE_PASSING: ON_TRACK, spc.ASSURANCE_FAILING: OFF_TRACK}.get(assurance)
    if decided is not None:
        reconciled = ""
        if decided != trajectory_status:
            chart = "meet" if decided == ON_TRACK else "miss"
            reconciled = (
                f"The chart's limits say the process will consistently {chart} the target, so "
                f"the objective is {_STATUS_WORDS[decided]} although the trend line alone reads "
                f"{_STATUS_WORDS[trajectory_status]}."
            )
        return Verdict(decided, DECIDED_BY_ASSURANCE, reconciled)
    reconciled = ""
    if variation == spc.VARIATION_IMPROVEMENT and trajectory_status != ON_TRACK:
        reconciled = (
            "The indicator is improving (a special cause of improvement), but not yet fast "
            f"enough to reach the target by the deadline: {_STATUS_WORDS[trajectory_status]}."
        )
    elif variation == spc.VARIATION_CONCERN and trajectory_status == ON_TRACK:
        reconciled = (
            "The latest point is a special cause of concern; the trend line still reaches the "
            "target, so the objective stays on track while that point is looked into."
        )
    return Verdict(trajectory_status, DECIDED_BY_TRAJECTORY, reconciled)
