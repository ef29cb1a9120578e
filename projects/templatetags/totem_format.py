from django import template

from projects.figures import figure

register = template.Library()


@register.filter
def with_unit(value, unit: str = ""):
    """A number with its unit as people write it: £4.80, £410k, 35%, 3 boards."""
    return figure(value, unit)


@register.filter
def mid_sentence(text: str) -> str:
    """`text` as it reads after "When you": "Map current spend" → "map current spend", but
    "NHS England…", "ICB boards…" and "I…" keep their capitals (a second capital, a digit or a
    lone "I" marks an acronym or a name that must not be lower-cased)."""
    text = str(text or "")
    word = text.split(" ", 1)[0]
    if not word or not word[0].isupper() or word == "I" or word.startswith("I'"):
        return text
    if any(c.isupper() or c.isdigit() for c in word[1:]):
        return text
    return text[0].lower() + text[1:]
