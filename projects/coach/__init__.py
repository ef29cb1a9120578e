"""The outcome coach: tells a project, as it writes, whether it is task- or outcome-focused.

Pure Python rules (no network, no models) over word lists in ``data/``. The public API:

- ``review_statement(text, kind)`` for an impact, objective, design principle or indicator name;
- ``review_objective(...)``, ``review_indicator(...)`` and ``review_impact_indicators(kinds)``
  for structured records.

Each returns a list of ``Finding(code, message, suggestion)``; an empty list means nothing to
say. The codes are listed in ``projects.coach.rules``.
"""

from projects.coach.fields import (
    INDICATOR_KINDS,
    review_impact_indicators,
    review_indicator,
    review_objective,
)
from projects.coach.registry import RULES, Finding
from projects.coach.rules import KINDS, review_statement

__all__ = [
    "INDICATOR_KINDS",
    "KINDS",
    "RULES",
    "Finding",
    "review_impact_indicators",
    "review_indicator",
    "review_objective",
    "review_statement",
]
