"""The coach's word lists, read once from ``projects/coach/data/*.txt``.

Each file holds one entry per line; ``#`` starts a comment and blank lines are ignored, so an
admin can extend a list without touching code. An entry is a phrase, optionally followed by
extra forms after bars (``hold | held``). Phrases are matched case-insensitively, a hyphen in a
phrase matches a space or a hyphen in the text, and ``*`` stands for up to two words.

Every list is compiled into one regular expression the first time it is used and cached for the
life of the process (``functools.cache``): reviewing a statement never reads a file.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")

_SEPARATOR = r"[\s-]+"
_WILDCARD = r"(?:[\w'.]+[\s-]+){0,2}"
_DOUBLES_FINAL_CONSONANT = re.compile(r"[^aeiou]*[aeiou][bdgklmnprt]")


@cache
def entries(name: str) -> tuple[tuple[str, ...], ...]:
    """The entries of ``data/<name>.txt``, each as the tuple of its forms, lower-cased."""
    text = (DATA_DIR / f"{name}.txt").read_text(encoding="utf-8")
    found = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip().casefold()
        if line:
            found.append(tuple(form.strip() for form in line.split("|") if form.strip()))
    return tuple(found)


@cache
def words(name: str) -> frozenset[str]:
    """Every form in ``data/<name>.txt`` as a set, for checking single words."""
    return frozenset(form for entry in entries(name) for form in entry)


_BEFORE_WORD = r"(?<!\w)"
_AFTER_WORD = r"(?!\w)"
_END = ""


def _atoms(phrase: str) -> list[str]:
    """``phrase`` as a list of regular-expression atoms: one per character, a separator
    between words, a wildcard for ``*`` and word boundaries at either end."""
    tokens = phrase.replace("-", " ").split()
    atoms = [_BEFORE_WORD] if tokens and re.match(r"\w", tokens[0]) else []
    for position, token in enumerate(tokens):
        if token == "*":
            atoms.append(_WILDCARD)
            continue
        atoms.extend(re.escape(character) for character in token)
        if position < len(tokens) - 1:
            atoms.append(_SEPARATOR)
    if tokens and re.search(r"\w$", tokens[-1]):
        atoms.append(_AFTER_WORD)
    return atoms


def phrase_pattern(phrase: str) -> str:
    """Regular-expression source matching ``phrase`` as whole words (see the module docstring)."""
    return "".join(_atoms(phrase))


def _trie_pattern(node: dict) -> str:
    # Ending here is tried last, so that "at some point in the future" beats "at some point".
    atoms = sorted((atom for atom in node if atom != _END), key=lambda atom: atom == _AFTER_WORD)
    branches = [atom + _trie_pattern(node[atom]) for atom in atoms]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        body = f"(?:{body})?"
    return body


def alternation(forms: set[str] | frozenset[str]) -> re.Pattern[str]:
    """One compiled pattern matching any of ``forms``.

    The phrases are merged into a trie first ("transform", "transformation" become
    ``transform(?:ation)?``), so the engine tries a handful of branches at each position
    instead of every phrase: this is what keeps the coach fast. Longer phrases win.
    """
    root: dict = {}
    for form in sorted(forms):
        node = root
        for atom in _atoms(form):
            node = node.setdefault(atom, {})
        node[_END] = {}
    return re.compile(_trie_pattern(root))


@cache
def phrases(name: str) -> re.Pattern[str]:
    """A pattern matching any entry of ``data/<name>.txt`` as written."""
    return alternation(words(name))


def _inflect_head(phrase: str, inflect) -> str:
    head, space, rest = phrase.partition(" ")
    return inflect(head) + space + rest


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


def _present_participle(verb: str) -> str:
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    if _DOUBLES_FINAL_CONSONANT.fullmatch(verb):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def _past(verb: str) -> str:
    if verb.endswith("e"):
        return verb + "d"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ied"
    if _DOUBLES_FINAL_CONSONANT.fullmatch(verb):
        return verb + verb[-1] + "ed"
    return verb + "ed"


@cache
def verb_forms(name: str, tense: str) -> frozenset[str]:
    """Forms of the verbs in ``data/<name>.txt``.

    ``tense`` is ``"present"`` (base, -s and -ing forms: "hold", "holds", "holding"),
    ``"base"`` (base and -ing forms only: "issue", "issuing", since "issues" is mostly a noun)
    or ``"past"`` (-ed forms and the irregular forms listed after bars: "held", "written").
    """
    forms: set[str] = set()
    for base, *irregular in entries(name):
        if tense in ("present", "base"):
            forms |= {base, _inflect_head(base, _present_participle)}
            if tense == "present":
                forms.add(_inflect_head(base, _third_person))
        elif tense == "past":
            forms.add(_inflect_head(base, _past))
            forms.update(irregular)
        else:
            raise ValueError(f"unknown tense {tense!r}")
    return frozenset(forms)


@cache
def verbs(name: str, tense: str) -> re.Pattern[str]:
    """A pattern matching the verbs of ``data/<name>.txt`` in ``tense`` (see ``verb_forms``)."""
    return alternation(verb_forms(name, tense))


def _plural(noun: str) -> str:
    if noun.endswith(("s", "sh", "ch", "x", "z")):
        return noun + "es"
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    return noun + "s"


@cache
def noun_forms(name: str) -> frozenset[str]:
    """The nouns of ``data/<name>.txt``, singular and plural."""
    forms: set[str] = set()
    for singular, *irregular in entries(name):
        *leading, last = singular.split(" ")
        forms |= {singular, " ".join([*leading, _plural(last)]), *irregular}
    return frozenset(forms)


@cache
def nouns(name: str) -> re.Pattern[str]:
    """A pattern matching the nouns of ``data/<name>.txt``, singular or plural."""
    return alternation(noun_forms(name))
