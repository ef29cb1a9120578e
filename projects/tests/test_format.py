from decimal import Decimal

import pytest

from projects.templatetags.totem_format import with_unit


@pytest.mark.parametrize(
    "value,unit,shown",
    [
        (Decimal("4.8000"), "£", "£4.80"),
        (Decimal("144"), "£k", "£144k"),
        (Decimal("1240000"), "£", "£1,240,000"),
        (Decimal("-2.5"), "£", "-£2.50"),
        ("4.28", "£", "£4.28"),
        (Decimal("410"), "£k", "£410k"),
        (Decimal("35.0000"), "%", "35%"),
        (Decimal("100.0000"), "%", "100%"),
        (Decimal("3"), "boards", "3 boards"),
        (Decimal("12.5"), "", "12.5"),
        (None, "%", ""),
    ],
)
def test_numbers_show_with_their_unit_as_people_write_them(value, unit, shown):
    assert with_unit(value, unit) == shown


@pytest.mark.parametrize(
    "title,shown",
    [
        ("Map current legal spend", "map current legal spend"),
        ("NHS England sign-off", "NHS England sign-off"),
        ("ICBs agree the case", "ICBs agree the case"),
        ("I draft the plan", "I draft the plan"),
        ("agree scope", "agree scope"),
        ("", ""),
    ],
)
def test_a_task_title_reads_mid_sentence_after_when_you(title, shown):
    from projects.templatetags.totem_format import mid_sentence

    assert mid_sentence(title) == shown
