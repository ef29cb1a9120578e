"""The outcome coach: rules that tell a project whether what it writes is about tasks or
outcomes.

``review_statement(text, kind)`` reads one statement of a ``kind`` in ``KINDS`` and returns its
findings; an empty list means the coach has nothing to say. The structured checks for
objectives and indicators are in ``projects.coach.fields``. Everything is plain Python: no
network, no models; the word lists are data files in ``projects/coach/data/``.

Finding codes (stable: tools, tests and the project score rely on them)
------------------------------------------------------------------------
Statements, by kind:

``empty`` (every kind)
    Nothing written yet.
``too-long`` (every kind)
    Too long to be one statement.
``task-not-impact`` (impact, objective)
    Describes an activity or an output ("hold workshops", "write a report", "launch a social
    media campaign", "produce a plan") rather than a change.
``vague`` (every kind)
    An aspiration with nothing observable ("make a very real difference", "transform the
    service", "going forward"), or made only of words that fit any project ("Improved
    services").
``buzzword`` (every kind)
    Jargon standing in for content ("paradigm", "step-change", "channel shift", "high-impact")
    in a statement with nothing observable.
``deferred`` (impact, objective, principle)
    A promise put off to no particular time ("at some point in the future").
``no-beneficiary`` (impact)
    Says outcomes, experience, satisfaction ... will improve without saying whose.
``not-measurable`` (objective)
    No figure to aim for ("We will reduce waiting times").
``no-target`` (objective)
    A starting figure but no figure to reach ("Reduce DNA rates from 9%").
``no-deadline`` (objective)
    No date or time frame.
``applies-to-every-option`` (principle)
    So obvious every option would meet it ("deliver high quality advice", "provide value for
    money"), so it cannot help choose between options.
``measures-activity`` (indicator_name)
    Counts activity ("number of meetings held") rather than the change it is meant to cause.

Structured checks (``projects.coach.fields``):

``not-measurable``, ``no-baseline``, ``relative-target-no-baseline``, ``no-target``,
``no-deadline`` (objective fields); ``no-baseline``, ``no-target``, ``no-source``,
``no-frequency``, ``infrequent-leading`` (indicator fields); ``no-indicator``,
``no-leading-indicator`` (the indicators of one impact).
"""

from __future__ import annotations

import re
from functools import cache

from projects.coach import wordlists
from projects.coach.registry import Finding, Hint, rule, run_rules
from projects.coach.text import Statement

IMPACT = "impact"
OBJECTIVE = "objective"
PRINCIPLE = "principle"
INDICATOR_NAME = "indicator_name"
KINDS = (IMPACT, OBJECTIVE, PRINCIPLE, INDICATOR_NAME)

#: Beyond these lengths (characters) a statement is several statements.
MAX_LENGTH = {IMPACT: 300, OBJECTIVE: 400, PRINCIPLE: 300, INDICATOR_NAME: 150}

#: Words that carry no content of their own when deciding whether a statement is all generic.
_FILLER = frozenset(
    "a an the of for to and or in on at by with from into across among between within will "
    "be is are was were been being it its this that these those our their we us all more "
    "much very really truly can could would should must shall".split()
)
_MODIFIERS = (
    r"(?:(?:a|an|the|our|their|some|new|regular|weekly|monthly|quarterly|termly|\d+"
    r"|(?:suite|series|programme|set|range|round|package|pack|number)\s+of)\s+)"
)
_CLAUSE_END = re.compile(r"[,.;:!?]|\s(?:to|so|and|that|which|who|for|with)\s")

_SO_THAT_WHAT = (
    "write down the answer: who will be different, how you would notice, by when. For "
    'example, "We will hold workshops to identify issues" could become "Heads of department '
    'agree the three issues to fix first by June".'
)
_SUGGEST_IMPACT = 'Ask "so that what?" and ' + _SO_THAT_WHAT
_SUGGEST_OBJECTIVE = (
    'Name the measure, the figure and the date: "<change> <measure> from <baseline> to '
    '<target> by <date>", for example "Reduce waiting times by 20% by March 2027".'
)
_SUGGEST_PRINCIPLE = (
    "Say what the principle rules in or out, so that it helps choose between options: for "
    'example "advice is provided by a self-service model, wherever possible" or "for complex '
    'employee relations issues, all advice is bespoke to the individual case".'
)
_SUGGEST_INDICATOR = (
    "Name something you can count or score that moves when the change happens, for example "
    '"percentage of payroll queries resolved at first contact".'
)
_SUGGESTION = {
    IMPACT: _SUGGEST_IMPACT,
    OBJECTIVE: _SUGGEST_OBJECTIVE,
    PRINCIPLE: _SUGGEST_PRINCIPLE,
    INDICATOR_NAME: _SUGGEST_INDICATOR,
}


def review_statement(text: str, kind: str) -> list[Finding]:
    """The coach's findings on one statement; ``kind`` is one of ``KINDS``."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    return run_rules(kind, Statement(text or "", kind))


def _quote(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _found(match: re.Match[str] | None) -> str | None:
    return match.group(0) if match else None


# --- the patterns behind the rules, compiled on first use --------------------------------------


@cache
def _leading_activity() -> re.Pattern[str]:
    """An activity verb (any tense) or a planning verb (base or -ing form, and not a noun as in
    "share of ...") opening the statement."""
    activity = wordlists.verb_forms("activity_verbs", "present") | wordlists.verb_forms(
        "activity_verbs", "past"
    )
    planning = wordlists.verb_forms("planning_verbs", "base")
    return re.compile(
        r"(?:(?:also|then|regularly|jointly|first)\s+)?"
        rf"(?:{_group(activity)}|{_group(planning)}(?!\s+of(?!\w)))"
    )


@cache
def _leading_output() -> re.Pattern[str]:
    """An output verb opening the statement with an output as its object: "develop a strategy"."""
    forms = wordlists.verb_forms("output_verbs", "present") | wordlists.verb_forms(
        "output_verbs", "past"
    )
    return re.compile(_group(forms) + r"[^,.;:]{0,40}?" + _group(wordlists.noun_forms("outputs")))


@cache
def _leading_output_noun() -> re.Pattern[str]:
    """An output opening the statement: "Workshops held ...", "A report on the options ...".

    People in front of the output are its subject, not its description: "employers report
    that ..." is not a report."""
    people = _group(wordlists.noun_forms("beneficiaries"))
    return re.compile(
        rf"{_MODIFIERS}{{0,3}}(?:(?!{people})[\w-]+\s+){{0,2}}?"
        + _group(wordlists.noun_forms("outputs"))
    )


@cache
def _passive_activity() -> re.Pattern[str]:
    """An activity done to someone or something: "staff will be consulted"."""
    return re.compile(
        r"(?<!\w)(?:will|shall|must|should|to|is|are|was|were|been|being|be)\s+"
        r"(?:\w+ly\s+)?(?:be\s+)?" + _group(wordlists.verb_forms("activity_verbs", "past"))
    )


@cache
def _done_anywhere() -> re.Pattern[str]:
    """Any sign of an activity: an activity verb in any form, or an output verb's past form."""
    forms = (
        wordlists.verb_forms("activity_verbs", "present")
        | wordlists.verb_forms("activity_verbs", "past")
        | wordlists.verb_forms("output_verbs", "past")
    )
    return wordlists.alternation(forms)


def _group(forms: frozenset[str]) -> str:
    return "(?:" + wordlists.alternation(forms).pattern + ")"


def _activity(statement: Statement) -> str | None:
    """The words that make ``statement`` an activity or an output, or ``None``."""
    core = statement.core
    for pattern in (_leading_activity(), _leading_output()):
        match = pattern.match(core)
        if match:
            return _clause_from(core, match.start())
    passive = _passive_activity().search(statement.lower)
    if passive:
        return passive.group(0)
    noun = _leading_output_noun().match(core)
    if noun and not wordlists.phrases("change_words").match(core):
        short = len(statement.words) <= 8 and not statement.observable
        if short or _done_anywhere().search(core):
            return _clause_from(core, 0)
    if statement.promised and not wordlists.phrases("change_words").match(core):
        # "We will demand a meeting", "we will settle for a call": an output straight after
        # a promise is the thing being promised.
        first_words = " ".join(core.split(" ", 4)[:4])
        if wordlists.nouns("outputs").search(first_words):
            return _clause_from(core, 0)
    return None


def _clause_from(core: str, start: int) -> str:
    """The verb and its object: up to the end of the first output named, else of the clause."""
    rest = core[start:]
    output = wordlists.nouns("outputs").search(rest)
    if output and output.start() <= 40:
        return rest[: output.end()]
    end = _CLAUSE_END.search(rest, 1)
    clause = rest[: end.start()] if end else rest
    return " ".join(clause.split()[:5])


@cache
def _words_without_content() -> frozenset[str]:
    return (
        wordlists.words("generic_words")
        | wordlists.words("change_words")
        | wordlists.noun_forms("beneficiaries")
    )


# Words a relationship statement may add without naming who, what or how much.
_QUALIFIERS = frozenset(
    "strengthening strengthens closer close stronger strong deeper deepen deepening foster "
    "fostering fostered build building built develop developing developed effective "
    "meaningful greater wider partners partner stakeholders stakeholder system wide "
    "system-wide cross-organisational across levels level".split()
)


def _abstract_relationship(statement: Statement) -> str | None:
    """The abstract noun of a statement made only of a change verb and relationship words
    ("enhancing collaboration", "improving engagement", "strengthening relationships"), or
    None when it names anyone or anything else."""
    nouns = wordlists.words("abstract_nouns")
    content = [word for word in statement.words if word not in _FILLER]
    if not content or len(content) > 8:
        return None
    known = _words_without_content() - wordlists.noun_forms("beneficiaries")
    allowed = known | nouns | _QUALIFIERS | wordlists.words("change_words")
    if not all(word in allowed for word in content):
        return None
    change = [w for w in content if w in wordlists.words("change_words") or w in _QUALIFIERS]
    found = [w for w in content if w in nouns]
    return found[0] if found and change else None


def _all_generic(statement: Statement) -> bool:
    """Whether every word is filler, a change word, a beneficiary or a generic word."""
    generic = wordlists.words("generic_words")
    content = [word for word in statement.words if word not in _FILLER]
    known = _words_without_content()
    return bool(content) and all(w in known for w in content) and any(w in generic for w in content)


# --- the rules, in the order they run ----------------------------------------------------------


@rule("empty", *KINDS, final=True)
def empty(statement: Statement) -> Hint | None:
    """Nothing written yet. When this fires no other rule runs."""
    if statement.text:
        return None
    return Hint("Nothing has been written here yet.", _SUGGESTION[statement.kind])


@rule("too-long", *KINDS)
def too_long(statement: Statement) -> Hint | None:
    """Longer than ``MAX_LENGTH`` for its kind: usually several statements in one."""
    limit = MAX_LENGTH[statement.kind]
    if len(statement.text) <= limit:
        return None
    return Hint(
        f"At {len(statement.text)} characters this is more than one statement; "
        f"aim for fewer than {limit}.",
        "Split it so that each statement says one thing, and keep the detail in the notes.",
    )


@rule("task-not-impact", IMPACT, OBJECTIVE)
def task_not_impact(statement: Statement) -> Hint | None:
    """Describes an activity or an output ("hold workshops", "write a report", "produce a
    plan") instead of what will be different once it is done.

    Fires when the statement, after any promise ("We will ..."), opens with an activity verb
    (hold, write, launch, consult ...), with a planning verb in the present (confirm, explore
    ...), with a verb whose object is an output (develop a strategy), or with an output followed
    by an activity (workshops held); or when something is done to someone ("staff will be
    trained"). Activities mentioned on the way to a change ("managers who attended the
    workshops publish rotas six weeks ahead") do not count.
    """
    activity = _activity(statement)
    if activity is None:
        return None
    activity = _quote(activity)
    if statement.kind == OBJECTIVE:
        suggestion = f'Say what "{activity}" is meant to achieve. {_SUGGEST_OBJECTIVE}'
    else:
        suggestion = f'Ask why you would "{activity}" ("so that what?") and {_SO_THAT_WHAT}'
    return Hint(
        f'"{activity}" describes something the project will do, not what will be different '
        "once it is done.",
        suggestion,
    )


@rule("vague", *KINDS)
def vague(statement: Statement) -> Hint | None:
    """An aspiration with nothing observable ("make a very real difference", "transform the
    service", "going forward"), or a statement made only of words that would fit any project
    ("Improved services"). A figure, a date or a "so that ..." clause makes it concrete enough.
    """
    if statement.observable:
        return None
    phrase = _found(wordlists.phrases("vague_phrases").search(statement.lower))
    if phrase:
        message = f'"{phrase}" is an aspiration: nobody could observe whether it has happened.'
    elif (noun := _abstract_relationship(statement)) is not None:
        message = (
            f'"{_quote(statement.text)}" says {noun} will get better but not whose, about '
            "what, or by how much: nobody could observe whether it has happened."
        )
    elif _all_generic(statement):
        message = f'"{_quote(statement.text)}" could be said of any project; it names nothing '
        message += "anyone could observe."
    else:
        return None
    return Hint(message, _SUGGESTION[statement.kind])


@rule("buzzword", *KINDS)
def buzzword(statement: Statement) -> Hint | None:
    """Jargon standing in for content ("paradigm", "step-change", "channel shift",
    "high-impact"). Allowed when the statement also says something observable, since then the
    word is only a label ("Channel shift: 60% of appointment changes made online by 2027")."""
    if statement.observable:
        return None
    word = _found(wordlists.phrases("buzzwords").search(statement.lower))
    if word is None:
        return None
    return Hint(
        f'"{word}" sounds like content but does not say what will actually happen.',
        "Say in plain words what will change. " + _SUGGESTION[statement.kind],
    )


@rule("deferred", IMPACT, OBJECTIVE, PRINCIPLE)
def deferred(statement: Statement) -> Hint | None:
    """A promise put off to no particular time ("at some point in the future", "in due
    course", "eventually"). A date anywhere in the statement answers it."""
    if statement.has_date:
        return None
    phrase = _found(wordlists.phrases("deferred_phrases").search(statement.lower))
    if phrase is None:
        return None
    return Hint(
        f'"{phrase}" puts this off to no particular time, so it can never be late and never '
        "be checked.",
        "Give it a date, or the first step you will take and when: "
        '"by the end of the spring term ..." or "by March 2027 ...".',
    )


@rule("no-beneficiary", IMPACT)
def no_beneficiary(statement: Statement) -> Hint | None:
    """Says that something only people can have (outcomes, experience, satisfaction,
    wellbeing, retention ...) will improve, without naming whose: "Improved outcomes"."""
    lower = statement.lower
    noun = _found(wordlists.nouns("relational_nouns").search(lower))
    if noun is None or not wordlists.phrases("change_words").search(lower):
        return None
    if wordlists.nouns("beneficiaries").search(lower) or re.search(
        r"(?<!\w)(?:their|his|her|your)(?!\w)", lower
    ):
        return None
    return Hint(
        f"Whose {noun}? The statement does not say who will be different.",
        "Name the people who will notice the change and what they will do or say differently: "
        '"Apprentices in their first year stay on the programme: retention rises from 78% to '
        '85%".',
    )


@rule("not-measurable", OBJECTIVE)
def not_measurable(statement: Statement) -> Hint | None:
    """No figure to aim for, so nobody can say when it has been achieved ("We will reduce
    waiting times"). Dates do not count as figures."""
    if statement.has_figure:
        return None
    return Hint(
        "There is no figure to aim for, so nobody can say when this has been achieved.",
        _SUGGEST_OBJECTIVE,
    )


@rule("no-target", OBJECTIVE)
def no_target(statement: Statement) -> Hint | None:
    """Gives a starting figure but no figure to reach ("Reduce DNA rates from 9%")."""
    if not statement.has_figure or statement.has_target_figure:
        return None
    return Hint(
        "It says where things start but not where they should get to.",
        'Add the target: "from 9% to 6% by March 2027".',
    )


@rule("no-deadline", OBJECTIVE)
def no_deadline(statement: Statement) -> Hint | None:
    """No date or time frame ("Reduce waiting times by 20%")."""
    if statement.has_date:
        return None
    return Hint(
        "There is no date, so progress cannot be tracked against it.",
        'Add when: "by March 2027", "by the end of the 2026/27 academic year", "within two years".',
    )


@rule("applies-to-every-option", PRINCIPLE)
def applies_to_every_option(statement: Statement) -> Hint | None:
    """So obvious that every option would meet it ("deliver high quality advice", "provide
    value for money"): you would not design a service to give bad advice, so the principle
    cannot help choose between options. A principle that also states a choice ("rather than",
    "by default", "self-service", "not by ...") is fine."""
    lower = statement.lower
    phrase = _found(wordlists.phrases("motherhood").search(lower))
    if phrase is None or wordlists.phrases("choice_markers").search(lower):
        return None
    return Hint(
        f'Every option would claim "{phrase}" (nobody designs a service to do the opposite), '
        "so this principle cannot help you choose between options.",
        _SUGGEST_PRINCIPLE,
    )


_COUNTED = re.compile(
    r"(?:total\s+)?(?:number|no\.?|count|#|amount|volume)\s+of\s+|attendance\s+(?:at|of)\s+"
)
_TIME_SPENT = re.compile(r"(?:total\s+)?(?:hours|days|time)\s+(?:spent|of)(?!\w)")


def _counts_activity(name: str) -> bool:
    """Whether an indicator name counts busy-ness: effort spent ("hours spent in training"),
    outputs or activities counted ("number of meetings held"), outputs followed by an
    activity ("meetings held") or outputs' audience ("webinar views")."""
    if _TIME_SPENT.match(name):
        return True
    counted = _COUNTED.match(name)
    if counted:
        rest = name[counted.end() :]
        return bool(wordlists.nouns("outputs").search(rest) or _done_anywhere().search(rest))
    output_first = _leading_output_noun().match(name)
    if output_first and _done_anywhere().search(name, output_first.end()):
        return True
    return bool(
        wordlists.nouns("outputs").search(name) and wordlists.nouns("activity_counts").search(name)
    )


@rule("measures-activity", INDICATOR_NAME)
def measures_activity(statement: Statement) -> Hint | None:
    """Counts activity ("number of meetings held", "attendance at steering group meetings",
    "webinar views") rather than the change it is meant to cause: it rises however little
    changes."""
    if not _counts_activity(statement.lower):
        return None
    return Hint(
        f'"{_quote(statement.text)}" counts activity: it goes up however little changes.',
        'Measure the change the activity is meant to cause: instead of "number of meetings '
        'held", something like "share of heads of department who can name the three '
        'priorities".',
    )
