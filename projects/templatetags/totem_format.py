from decimal import Decimal

from django import template

register = template.Library()

CURRENCIES = ("£", "$", "€")


@register.filter
def with_unit(value, unit: str = ""):
    """A number with its unit as people write it: £4.8, £410k, 35%, 3 boards."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        value = f"{value.normalize():f}"  # 2.4000 → 2.4, and 1E+2 → 100
    unit = (unit or "").strip()
    if unit.startswith(CURRENCIES):
        return f"{unit[0]}{value}{unit[1:]}"
    if unit == "%":
        return f"{value}%"
    return f"{value} {unit}".strip()
