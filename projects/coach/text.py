"""A statement read once for every rule: normalised text, the promise it opens with, its
figures and dates.

The rules only read English. Text in another language is handled safely (nothing is flagged
because of words the coach does not know), but only its figures and years are understood.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
        "\u2014": "-",
    }
)
_SPACES = re.compile(r"\s+")
# Bullets, quotes and list numbers pasted in front of a statement: "1. ", "(b) ", "- ", "...".
_LIST_MARKER = re.compile(
    r"^(?:[^\w\s]+\s*|(?:\d{1,2}|[a-h]|[ivx]{1,4})[.)]\s+|\((?:\d{1,2}|[a-h])\)\s+)+"
)
_WORD = re.compile(r"\w[\w'-]*")

# "We will", "the project team aims to", "to": the promise in front of what the statement says
# will be done. Statements are matched after it, so "We will hold workshops" is read as "hold
# workshops".
_SUBJECT = (
    r"(?:we|i|they|you|our\s+(?:project\s+)?(?:team|project|programme|partnership)"
    r"|the\s+(?:project\s+)?(?:team|project|programme|partnership|partners|trusts?|colleges?))"
)
_INTENT = (
    r"(?:will|shall|must|should|can|would|are\s+going\s+to|is\s+going\s+to"
    r"|(?:plan|plans|intend|intends|aim|aims|want|wants|need|needs|hope|hopes|pledge|pledges"
    r"|commit|commits|propose|proposes|seek|seeks|try|tries|strive|strives|continue|continues"
    r"|expect|expects)\s+to|be\s+able\s+to|also|then|first|jointly|to)"
)
_PREAMBLE = re.compile(rf"^(?:{_SUBJECT}\s+)?(?:{_INTENT}\s+)*")

_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
_COUNT_WORD = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen"
    r"|twenty[\s-]four|thirty[\s-]six)"
)
_PERIOD = r"(?:academic\s+|financial\s+|calendar\s+|school\s+|spring\s+|summer\s+|autumn\s+)?"
# Deadlines and time frames. "within 30 days" is deliberately absent: with days, hours or weeks
# it is usually a service standard ("invoices paid within 30 days"), i.e. a figure, not a date.
_DATE = re.compile(
    "|".join(
        [
            rf"(?<!\w)(?:by|before|until|till|in|from|during|for|end\s+of)\s+(?:the\s+end\s+of\s+)?"
            rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH}(?!\w)(?:\s+\d{{4}})?",
            rf"(?<!\w)\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?!\w)(?:\s+\d{{4}})?",
            rf"(?<!\w){_MONTH}\s+\d{{4}}(?!\w)",
            r"(?<![\w£$€.,])(?:19|20)\d\d(?:\s*[/-]\s*(?:20)?\d\d)?(?![\w%])",
            r"(?<!\w)q[1-4](?!\w)",
            rf"(?<!\w)(?:by|before|until|within|in|at|over|during|this|next)\s+"
            rf"(?:the\s+)?(?:end\s+of\s+)?(?:(?:the|this|next|first|current|coming)\s+)*"
            rf"{_PERIOD}(?:year|term|quarter|semester)(?:[\s-]end)?(?!\w)",
            rf"(?<!\w)(?:within|over|in|during)\s+(?:the\s+)?(?:next\s+|first\s+|coming\s+)?"
            rf"{_COUNT_WORD}\s+(?:months?|years?)(?!\w)",
            r"(?<!\w)(?:year[\s-]end|end\s+of\s+(?:the\s+)?(?:term|year))(?!\w)",
            r"(?<!\w)by\s+week\s+\w+",
        ]
    )
)
_CENTURY = re.compile(r"(?<!\w)\d+(?:st|nd|rd|th)\s+century(?!\w)")
_FIGURE = re.compile(
    r"\d|%|£|\$|€|(?<!\w)(?:zero|none|all|every|half|halves|halve[sd]?|halving|double[sd]?"
    r"|doubling|treble[sd]?|triple[sd]?|(?:a|one|two)\s+thirds?|(?:a|one|three)\s+quarters?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|forty|fifty|hundred|thousand|million|billion)(?!\w)"
)
# "from 9%" on its own is where a measure starts, not where it should end up.
_STARTING_FIGURE = re.compile(
    r"(?<!\w)from\s+[£$€]?\d[\d,.]*\s*(?:%|per\s*cent|k|m|bn|million)?(?!\w)"
)
_CONSEQUENCE = re.compile(
    r"(?<!\w)(?:so\s+that|so\s+(?:they|we|he|she|staff|patients|learners|students|managers)"
    r"|which\s+means|meaning\s+that|measured\s+by|as\s+shown\s+by|evidenced\s+by"
    r"|instead\s+of|rather\s+than)(?!\w)"
)


def normalise(text: str) -> str:
    """``text`` with Unicode compatibility forms, curly quotes and dashes made plain and runs
    of white space collapsed to one space."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return _SPACES.sub(" ", text).strip()


class Statement:
    """One statement of a given ``kind``, with what the rules need to know about it."""

    def __init__(self, text: str, kind: str) -> None:
        self.kind = kind
        self.text = normalise(text)
        #: The text lower-cased for matching, without any bullet or list number in front.
        self.lower = _LIST_MARKER.sub("", self.text.casefold())
        plain = re.sub(r"'ll(?!\w)", " will", self.lower)
        preamble = _PREAMBLE.match(plain)
        #: What the statement says will be done or be different, after any promise.
        self.core = plain[preamble.end() :]
        #: Whether it opens with a promise or a subject: "We will ...", "The team aims to ...".
        self.promised = preamble.end() > 0

    @cached_property
    def words(self) -> list[str]:
        """The words, lower-cased, in order."""
        return _WORD.findall(self.lower)

    @cached_property
    def has_date(self) -> bool:
        """Whether it names a date or a time frame ("by March 2027", "within two years")."""
        return _DATE.search(self.lower) is not None

    @cached_property
    def _without_dates(self) -> str:
        # "the 21st century" is neither a date to meet nor a figure to reach.
        text = _CENTURY.sub(" ", self.lower)
        return _DATE.sub(" ", text) if self.has_date else text

    @cached_property
    def has_figure(self) -> bool:
        """Whether it has a figure other than a date: a number, a percentage, "all", "half"."""
        return _FIGURE.search(self._without_dates) is not None

    @cached_property
    def has_target_figure(self) -> bool:
        """Whether it has a figure to reach, not only a starting point ("from 9%")."""
        return _FIGURE.search(_STARTING_FIGURE.sub(" ", self._without_dates)) is not None

    @cached_property
    def observable(self) -> bool:
        """Whether anything in it could be observed: a figure, a date or a "so that" clause."""
        return self.has_figure or self.has_date or bool(_CONSEQUENCE.search(self.lower))
