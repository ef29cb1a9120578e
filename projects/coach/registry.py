"""Findings and the registry of rules that produce them.

A rule is a small function decorated with ``@rule(code, *subjects)``. It looks at one subject
(a statement, or the fields of an objective or indicator) and returns a ``Hint`` (message and
suggestion) when it has something to say, ``None`` otherwise. The registry turns hints into
``Finding``s carrying the rule's code, so a code is written down in one place only.

Adding a rule is adding one decorated function; rules run in the order they are defined.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple


@dataclass(frozen=True)
class Finding:
    """Something the coach noticed: a stable ``code``, a plain-English ``message`` saying what
    and why, and a ``suggestion`` giving a concrete way to rewrite it."""

    code: str
    message: str
    suggestion: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "suggestion": self.suggestion}


class Hint(NamedTuple):
    """What a rule returns when it fires; the registry adds the code."""

    message: str
    suggestion: str


@dataclass(frozen=True)
class Rule:
    code: str
    subjects: frozenset[str]
    check: Callable[[Any], Hint | None]
    #: When a final rule fires, no later rule runs (nothing else is worth saying).
    final: bool = False

    @property
    def description(self) -> str:
        return (self.check.__doc__ or "").strip()


RULES: list[Rule] = []


def rule(code: str, *subjects: str, final: bool = False):
    """Register the decorated function as the rule for ``code`` on ``subjects``."""

    def register(check: Callable[[Any], Hint | None]) -> Callable[[Any], Hint | None]:
        RULES.append(Rule(code, frozenset(subjects), check, final))
        return check

    return register


def run_rules(subject_kind: str, subject: Any) -> list[Finding]:
    """The findings of every rule registered for ``subject_kind`` on ``subject``."""
    findings = []
    for registered in RULES:
        if subject_kind not in registered.subjects:
            continue
        hint = registered.check(subject)
        if hint is None:
            continue
        findings.append(Finding(registered.code, hint.message, hint.suggestion))
        if registered.final:
            break
    return findings
