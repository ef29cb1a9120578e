"""Figures as a board paper writes them: `figure(4.8, "£")` is "£4.80", `figure(144, "£k")` is
"£144k", `figure(35, "%")` is "35%", `figure(3, "boards")` is "3 boards".

Pure Python, so that sentences made outside templates (objective status) and the `with_unit`
template filter write numbers the same way.
"""

from decimal import Decimal, InvalidOperation

CURRENCIES = ("£", "$", "€")


def plain_number(value) -> str:
    """Thousands separated, at most two decimals, no trailing zeros: 1,240,000 · 2.4 · 0.75."""
    text = f"{Decimal(str(value)):,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def figure(value, unit: str = "") -> str:
    """`value` with its `unit` as people write it; money in pounds and pence (£4.80)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return f"{value} {unit}".strip()
    unit = (unit or "").strip()
    if unit.startswith(CURRENCIES):
        pence = number != number.to_integral_value()
        text = f"{number:,.2f}" if pence else f"{number:,.0f}"
        sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
        return f"{sign}{unit[0]}{text}{unit[1:]}"
    text = plain_number(number)
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip()
