from decimal import Decimal

import pytest

from projects.templatetags.totem_format import with_unit


@pytest.mark.parametrize(
    "value,unit,shown",
    [
        (Decimal("4.8000"), "£", "£4.8"),
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
