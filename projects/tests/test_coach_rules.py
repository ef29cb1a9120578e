"""The outcome coach's rules: each firing and not firing, the structured checks, and the edges
(empty text, very long text, other languages, odd case and punctuation). No database needed."""

import dataclasses
import re

import pytest

from projects.coach import (
    KINDS,
    RULES,
    Finding,
    review_impact_indicators,
    review_indicator,
    review_objective,
    review_statement,
    wordlists,
)
from projects.coach import rules as rules_module


def codes(text, kind):
    return [finding.code for finding in review_statement(text, kind)]


# (code, kind, text): the rule for `code` must fire on `text`.
FIRES = [
    ("empty", "impact", ""),
    ("empty", "objective", "   \n\t "),
    ("too-long", "impact", "Learners attend more of their lessons. " * 10),
    ("task-not-impact", "impact", "We will hold workshops to identify issues"),
    ("task-not-impact", "impact", "Write a report setting out the options"),
    ("task-not-impact", "impact", "We will launch a social media campaign"),
    ("task-not-impact", "impact", "Produce an implementation plan"),
    ("task-not-impact", "impact", "Develop a communications strategy"),
    ("task-not-impact", "impact", "Workshops held with all ward managers"),
    ("task-not-impact", "impact", "Senior managers will be trained in Action Readiness"),
    ("task-not-impact", "impact", "We will demand a meeting with the regional director"),
    ("task-not-impact", "impact", "Confirm the issue to be resolved"),
    ("task-not-impact", "objective", "Hold six workshops with heads of department by June 2026"),
    ("vague", "impact", "We aim to make a very real difference to the lives of ordinary people"),
    ("vague", "impact", "Transform the service"),
    ("vague", "impact", "Continue to improve going forward"),
    ("vague", "impact", "Better services for everyone"),
    ("vague", "impact", "Services that are fit for the 21st century"),
    ("vague", "indicator_name", "Success"),
    ("vague", "principle", "Transform corporate services"),
    ("buzzword", "impact", "A paradigm shift in corporate services"),
    ("buzzword", "impact", "Achieve a step-change in performance"),
    ("buzzword", "impact", "Deliver channel shift"),
    ("buzzword", "impact", "Embed a high-impact culture"),
    ("deferred", "impact", "We will develop impact metrics at some point in the future"),
    ("deferred", "objective", "Eventually halve late payments"),
    ("no-beneficiary", "impact", "Improved outcomes"),
    ("no-beneficiary", "impact", "Enhanced wellbeing across the organisation"),
    ("not-measurable", "objective", "We will reduce waiting times"),
    ("not-measurable", "objective", "Reduce waiting times by March 2027"),
    ("no-target", "objective", "Reduce DNA rates from 9% by March 2027"),
    ("no-deadline", "objective", "Reduce waiting times by 20%"),
    ("applies-to-every-option", "principle", "The HR team will deliver high quality advice"),
    ("applies-to-every-option", "principle", "Provide value for money"),
    ("measures-activity", "indicator_name", "Number of meetings held"),
    ("measures-activity", "indicator_name", "Attendance at steering group meetings"),
    ("measures-activity", "indicator_name", "Webinar views"),
    ("measures-activity", "indicator_name", "Hours spent in training sessions"),
]

# (code, kind, text): the rule for `code` must stay quiet on `text`, usually a near miss.
QUIET = [
    ("empty", "impact", "Secured the buy-in of governors and SMT"),
    ("too-long", "impact", "Learners attend more of their lessons."),
    ("task-not-impact", "impact", "Secured the buy-in of governors and SMT"),
    ("task-not-impact", "impact", "Defined the starting point against which progress is measured"),
    ("task-not-impact", "impact", "Confirmed the scope with all four trusts"),
    ("task-not-impact", "impact", "Managers who attended the workshops publish rotas early"),
    ("task-not-impact", "impact", "Fewer meetings are needed to agree each decision"),
    ("task-not-impact", "impact", "Governors approve the business case without asking for more"),
    ("task-not-impact", "impact", "Share of queries resolved at first contact rises to 80%"),
    ("task-not-impact", "impact", "Unions understand the proposals before consultation opens"),
    ("task-not-impact", "impact", "Employers report that apprentices arrive work-ready"),
    ("task-not-impact", "objective", "Reduce waiting times by 20% by March 2027"),
    ("vague", "impact", "Transform how learners apply, so that 80% apply online by 2026"),
    ("vague", "impact", "A clear way forward"),
    ("vague", "impact", "Clear mandate for change"),
    ("vague", "indicator_name", "Outpatient DNA rate"),
    ("buzzword", "impact", "Channel shift: 60% of appointment changes made online by April 2027"),
    ("buzzword", "impact", "Trust and friendship among the partners"),
    ("deferred", "objective", "Eventually, by March 2027, all departments use one finance system"),
    ("deferred", "impact", "Guaranteed that feasibility work will not be wasted"),
    ("no-beneficiary", "impact", "Improved outcomes for learners with an EHCP"),
    ("no-beneficiary", "impact", "Increased savings and/or income"),
    ("no-beneficiary", "impact", "The confidence to proceed"),
    ("not-measurable", "objective", "Reduce waiting times by 20% by March 2027"),
    ("not-measurable", "objective", "All staff complete mandatory training by 31 March 2026"),
    ("no-target", "objective", "Cut DNA rates from 9% to 6% by March 2027"),
    ("no-deadline", "objective", "Reduce legal costs by 20% within the first year"),
    ("no-deadline", "objective", "Increase payroll accuracy by 2.5% by the end of 2026/27"),
    ("applies-to-every-option", "principle", "Advice is self-service, wherever possible"),
    (
        "applies-to-every-option",
        "principle",
        "High-quality clinical coding is done by the coding team, not by clinicians",
    ),
    ("measures-activity", "indicator_name", "Percentage of payroll queries resolved first time"),
    ("measures-activity", "indicator_name", "Weekly attendance rate of level 2 learners"),
    ("measures-activity", "indicator_name", "Share of estates jobs completed on the first visit"),
]


def _ids(cases):
    return [f"{code}:{text[:40]}" for code, _, text in cases]


@pytest.mark.parametrize(("code", "kind", "text"), FIRES, ids=_ids(FIRES))
def test_rule_fires(code, kind, text):
    assert code in codes(text, kind)


@pytest.mark.parametrize(("code", "kind", "text"), QUIET, ids=_ids(QUIET))
def test_rule_stays_quiet(code, kind, text):
    assert code not in codes(text, kind)


STATEMENT_CODES = {r.code for r in RULES if r.subjects & set(KINDS)}


def test_every_statement_rule_is_tested_both_ways():
    assert STATEMENT_CODES <= {code for code, _, _ in FIRES}
    assert STATEMENT_CODES <= {code for code, _, _ in QUIET}


def test_every_rule_has_a_kebab_case_documented_code_and_a_docstring():
    documented = rules_module.__doc__
    for registered in RULES:
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", registered.code), registered.code
        assert f"``{registered.code}``" in documented, registered.code
        assert registered.description, registered.check.__name__


def test_the_lead_who_writes_hold_workshops_is_told_how_to_make_it_an_impact():
    [finding] = review_statement("We will hold workshops to identify issues", "impact")
    assert finding.code == "task-not-impact"
    assert '"hold workshops"' in finding.message
    assert "so that what?" in finding.suggestion
    assert '"hold workshops"' in finding.suggestion
    assert "who will be different" in finding.suggestion


def test_a_good_impact_has_no_findings():
    text = "Staff in the four trusts' payroll teams resolve 90% of queries at first contact by 2027"
    assert review_statement(text, "impact") == []


def test_findings_are_frozen_and_serialise_to_the_command_shape():
    finding = review_statement("Transform the service", "impact")[0]
    assert isinstance(finding, Finding)
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.code = "other"
    assert finding.as_dict() == {
        "code": finding.code,
        "message": finding.message,
        "suggestion": finding.suggestion,
    }


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind must be one of"):
        review_statement("Transform the service", "wish")


# --- edges --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_gets_only_the_empty_finding(kind, text):
    assert codes(text, kind) == ["empty"]


def test_very_long_text_is_reviewed_and_called_too_long():
    text = "We will hold workshops to identify issues and agree next steps with partners, " * 300
    assert {"too-long", "task-not-impact"} <= set(codes(text, "impact"))


def test_long_text_built_to_make_regular_expressions_backtrack_is_reviewed():
    for text in ("a " * 20_000, "by " * 20_000 + "2027", "x" * 100_000, "-" * 50_000):
        assert "too-long" in codes(text, "objective")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Bydd dysgwyr yn mynychu 92% o'u gwersi erbyn mis Mawrth 2027", "impact"),
        ("Réduire les délais d'attente de 20 % d'ici mars 2027", "objective"),
        ("提高服务质量", "impact"),
        ("تحسين جودة الخدمة", "principle"),
        ("Zahl der Überstunden", "indicator_name"),
    ],
)
def test_text_in_other_languages_is_reviewed_without_false_alarms(text, kind):
    findings = review_statement(text, kind)
    assert all(isinstance(finding, Finding) for finding in findings)
    assert findings == []


@pytest.mark.parametrize(
    "text",
    [
        "WE WILL HOLD WORKSHOPS TO IDENTIFY ISSUES!!!",
        "  we   will\thold\nworkshops  ",
        "We\u2019ll hold workshops\u2026",
        "\uff37\uff45 \uff57\uff49\uff4c\uff4c hold workshops",  # full-width letters
        "...We will hold workshops?",
    ],
)
def test_case_spacing_and_punctuation_do_not_matter(text):
    assert "task-not-impact" in codes(text, "impact")


def test_typographic_hyphens_match_plain_ones():
    assert "buzzword" in codes("A step\u2010change in performance", "impact")
    assert "buzzword" in codes("A STEP CHANGE IN PERFORMANCE", "impact")


def test_word_lists_have_no_duplicate_entries():
    for path in sorted(wordlists.DATA_DIR.glob("*.txt")):
        entries = wordlists.entries(path.stem)
        assert entries, path.name
        assert len(entries) == len(set(entries)), path.name


# --- structured objectives ---------------------------------------------------------------------

GOOD_OBJECTIVE = {
    "statement": "Reduce waiting times by 20% by March 2027",
    "has_measure": True,
    "baseline": "16 weeks",
    "target": "12.8 weeks",
    "deadline": "2027-03-31",
}


def objective_codes(**changes):
    return [f.code for f in review_objective(**{**GOOD_OBJECTIVE, **changes})]


def test_complete_objective_has_no_findings():
    assert objective_codes() == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"has_measure": False}, "not-measurable"),
        ({"baseline": None, "statement": "Cut waiting times to 10 weeks"}, "no-baseline"),
        ({"baseline": "  "}, "relative-target-no-baseline"),
        ({"baseline": None, "statement": "Halve late payments", "target": None}, "no-target"),
        ({"target": ""}, "no-target"),
        ({"deadline": None}, "no-deadline"),
        ({"statement": "Transform the service"}, "vague"),
    ],
)
def test_objective_field_rules_fire(changes, code):
    assert code in objective_codes(**changes)


def test_relative_target_without_baseline_replaces_the_plain_missing_baseline():
    found = objective_codes(statement="Reduce legal costs by 20% within a year", baseline=None)
    assert "relative-target-no-baseline" in found
    assert "no-baseline" not in found


def test_relative_target_can_be_in_the_target_field():
    found = objective_codes(statement="Reduce legal costs", baseline=None, target="-20%")
    assert "relative-target-no-baseline" in found


def test_zero_is_a_recorded_value():
    assert objective_codes(baseline=0, target=0) == []


def test_fields_answer_the_statement_figure_and_date_checks():
    assert objective_codes(statement="We will reduce waiting times") == []


# --- structured indicators ---------------------------------------------------------------------

GOOD_INDICATOR = {
    "name": "Percentage of payroll queries resolved at first contact",
    "kind": "leading",
    "baseline_value": 55,
    "target_value": 90,
    "source": "Payroll helpdesk log",
    "frequency": "monthly",
    "impact_statement": "Staff get their pay queries answered first time",
}


def indicator_codes(**changes):
    return [f.code for f in review_indicator(**{**GOOD_INDICATOR, **changes})]


def test_complete_indicator_has_no_findings():
    assert indicator_codes() == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"baseline_value": None}, "no-baseline"),
        ({"target_value": ""}, "no-target"),
        ({"source": None}, "no-source"),
        ({"frequency": " "}, "no-frequency"),
        ({"frequency": "Annually"}, "infrequent-leading"),
        ({"name": "Number of meetings held"}, "measures-activity"),
        ({"name": "Success"}, "vague"),
    ],
)
def test_indicator_rules_fire(changes, code):
    assert code in indicator_codes(**changes)


def test_a_lagging_indicator_may_be_annual():
    assert indicator_codes(kind="lagging", frequency="annually") == []


def test_counting_activity_is_left_to_the_impact_when_the_impact_is_itself_an_activity():
    found = indicator_codes(name="Number of meetings held", impact_statement="Hold meetings")
    assert "measures-activity" not in found


def test_counting_activity_is_flagged_when_there_is_no_impact_text():
    found = indicator_codes(name="Number of meetings held", impact_statement=None)
    assert "measures-activity" in found


def test_unknown_indicator_kind_is_refused():
    with pytest.raises(ValueError, match="leading or lagging"):
        review_indicator(**{**GOOD_INDICATOR, "kind": "sideways"})


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ([], ["no-indicator"]),
        (["lagging"], ["no-leading-indicator"]),
        (["lagging", "lagging"], ["no-leading-indicator"]),
        (["leading"], []),
        (["lagging", "leading"], []),
    ],
)
def test_impact_indicator_mix(kinds, expected):
    assert [f.code for f in review_impact_indicators(kinds)] == expected


def test_unknown_kind_in_the_indicator_mix_is_refused():
    with pytest.raises(ValueError):
        review_impact_indicators(["leading", "sideways"])


def test_every_field_rule_is_exercised():
    field_codes = {r.code for r in RULES if not r.subjects & set(KINDS)}
    exercised = {
        "not-measurable",
        "no-baseline",
        "relative-target-no-baseline",
        "no-target",
        "no-deadline",
        "no-source",
        "no-frequency",
        "infrequent-leading",
        "no-indicator",
        "no-leading-indicator",
    }
    assert field_codes == exercised


@pytest.mark.parametrize(
    "text",
    [
        "Enhancing collaboration",
        "Improving engagement",
        "Strengthening relationships",
        "Enhanced collaboration across the partnership",
        "Strengthen relationships between partners",
        "Fostering a culture of collaboration",
    ],
)
def test_an_abstract_verb_and_an_abstract_noun_alone_are_vague(text):
    findings = {f.code: f for f in review_statement(text, "impact")}
    assert "vague" in findings
    assert "whose, about what, or by how much" in findings["vague"].message or (
        "could be said of any project" in findings["vague"].message
    )


@pytest.mark.parametrize(
    "text",
    [
        "Enhancing collaboration between ward managers and pharmacists on discharge medicines",
        "Strengthening relationships with local employers",
        "Improving engagement of payroll staff in the design, measured by pulse survey",
        "Strengthening relationships between the three payroll teams so that queries are "
        "resolved in one call",
        "Improving the accuracy of payslips",
    ],
)
def test_the_same_verbs_with_a_who_or_what_are_not_vague(text):
    assert "vague" not in {f.code for f in review_statement(text, "impact")}
