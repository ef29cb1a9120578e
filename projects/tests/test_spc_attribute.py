"""p, p' and u charts against hand-worked examples, and the same rules as the XmR chart.

Hand-worked p chart: numerators 10, 12, 8, 15, 9, 11 of 100 each
    p-bar = 65 / 600 = 0.108333
    sigma = sqrt(0.108333 x 0.891667 / 100) = 0.0310801
    limits = 0.108333 +- 3 x 0.0310801 -> 0.015093 .. 0.201574
    a month of 50 instead: sigma = sqrt(0.108333 x 0.891667 / 50) -> upper 0.240195
Laney p': z = (p - p-bar) / sigma = -0.26812, 0.37537, -0.91162, 1.34062, -0.58987, 0.05362
    moving ranges 0.64350, 1.28700, 2.25225, 1.93050, 0.64350 -> mean 1.351347
    sigma_z = 1.351347 / 1.128 = 1.198003
    limits = 0.108333 +- 3 x 0.0310801 x 1.198003 -> 0 (clipped from -0.003369) .. 0.220035
Hand-worked u chart: 4, 6, 5, 3, 7, 5 events per 2 units each
    u-bar = 30 / 12 = 2.5; sigma = sqrt(2.5 / 2) = 1.118034
    limits = 2.5 +- 3.354102 -> 0 (clipped) .. 5.854102
"""

from datetime import date

import pytest

from projects import spc
from projects.spc_attribute import CHART_P, CHART_P_PRIME, CHART_U, attribute_analyse

NUMERATORS = [10, 12, 8, 15, 9, 11]


def month(index: int) -> date:
    return date(2024 + index // 12, index % 12 + 1, 1)


def triples(numerators, denominators):
    return [(month(i), x, n) for i, (x, n) in enumerate(zip(numerators, denominators, strict=True))]


def test_p_chart_limits_by_hand():
    result = attribute_analyse(triples(NUMERATORS, [100] * 6), chart=CHART_P, direction=spc.UP)
    limits = result.segments[0].limits
    assert result.chart_type == CHART_P
    assert limits.mean == pytest.approx(0.108333, abs=1e-6)
    assert limits.sigma == pytest.approx(0.0310801, abs=1e-7)
    assert limits.upper == pytest.approx(0.201574, abs=1e-6)
    assert limits.lower == pytest.approx(0.015093, abs=1e-6)
    assert [p.value for p in result.points] == pytest.approx([0.10, 0.12, 0.08, 0.15, 0.09, 0.11])
    assert result.variation == spc.VARIATION_COMMON


def test_p_chart_limits_follow_each_denominator():
    result = attribute_analyse(
        triples(NUMERATORS, [100, 100, 100, 100, 100, 50]), chart=CHART_P, direction=spc.UP
    )
    centre = 65 / 550  # p-bar over every month, the small one included
    small = result.point_limits[-1]
    assert small.upper == pytest.approx(centre + 3 * (centre * (1 - centre) / 50) ** 0.5)
    assert small.upper > result.point_limits[0].upper  # a smaller month has wider limits
    # With p-bar 0.108333 a month of 50 has the hand-worked upper limit 0.240195.
    alone = attribute_analyse(
        triples([*NUMERATORS, 5], [100] * 6 + [50]),
        chart=CHART_P,
        direction=spc.UP,
        baseline_count=6,
    )
    assert alone.point_limits[-1].upper == pytest.approx(0.240195, abs=1e-6)


def test_laney_p_prime_limits_by_hand():
    result = attribute_analyse(
        triples(NUMERATORS, [100] * 6), chart=CHART_P_PRIME, direction=spc.UP
    )
    limits = result.segments[0].limits
    assert limits.mr_bar == pytest.approx(1.198003, abs=1e-6)  # sigma_z
    assert limits.upper == pytest.approx(0.220035, abs=1e-6)
    assert limits.lower == 0.0  # -0.003369 kept in 0..1


def test_u_chart_limits_by_hand():
    result = attribute_analyse(
        triples([4, 6, 5, 3, 7, 5], [2] * 6), chart=CHART_U, direction=spc.DOWN
    )
    limits = result.segments[0].limits
    assert limits.mean == pytest.approx(2.5)
    assert limits.sigma == pytest.approx(1.118034, abs=1e-6)
    assert limits.upper == pytest.approx(5.854102, abs=1e-6)
    assert limits.lower == 0.0


def test_the_same_rules_and_icons_as_xmr():
    # Twelve steady months of 10% on 100, then 30 of 100: outside the upper limit; where lower
    # is better (falls, say) that is a concern.
    base = triples([10, 11, 9, 10, 12, 8, 10, 11, 9, 10, 10, 10, 30], [100] * 13)
    result = attribute_analyse(base, chart=CHART_P, direction=spc.DOWN)
    assert spc.RULE_OUTSIDE_LIMITS in result.points[-1].rules
    assert result.variation == spc.VARIATION_CONCERN
    # Fewer than six periods: a run chart, no verdicts, as for XmR.
    short = attribute_analyse(triples([1, 2, 3], [10] * 3), chart=CHART_U, direction=spc.UP)
    assert short.chart_type == spc.CHART_RUN and short.variation == spc.NOT_ENOUGH_DATA


def test_a_marked_change_point_rebases_and_a_target_gives_assurance():
    values = triples([10] * 8 + [40] * 8, [100] * 16)
    result = attribute_analyse(
        values, chart=CHART_P, direction=spc.UP, target=0.2, change_points=[month(8)]
    )
    assert len(result.segments) == 2
    assert result.segments[1].limits.mean == pytest.approx(0.40)
    assert result.assurance == spc.ASSURANCE_PASSING  # 0.2 below the new lower limit


@pytest.mark.parametrize(("numerator", "denominator"), [(5, 0), (-1, 10), (11, 10)])
def test_impossible_figures_are_refused(numerator, denominator):
    with pytest.raises(ValueError):
        attribute_analyse([(month(0), numerator, denominator)], chart=CHART_P, direction=spc.UP)
