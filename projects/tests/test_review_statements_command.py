"""The review_statements command: JSON shape, blank lines, long lines, other languages."""

import io
import json

import pytest
from django.core.management import CommandError, call_command


def run(text, *arguments, stdin=None):
    out = io.StringIO()
    call_command("review_statements", *arguments, stdin=stdin or io.StringIO(text), stdout=out)
    return out.getvalue()


def run_json(text, kind="impact"):
    return [json.loads(line) for line in run(text, "--kind", kind, "--json").splitlines()]


def test_json_has_one_object_per_statement_in_the_documented_shape():
    results = run_json(
        "We will hold workshops to identify issues\n"
        "Staff in the payroll teams resolve 90% of queries at first contact by March 2027\n"
    )
    assert [result["ok"] for result in results] == [False, True]
    for result in results:
        assert set(result) == {"text", "ok", "findings"}
        for finding in result["findings"]:
            assert set(finding) == {"code", "message", "suggestion"}
    assert results[0]["text"] == "We will hold workshops to identify issues"
    assert [f["code"] for f in results[0]["findings"]] == ["task-not-impact"]
    assert results[1]["findings"] == []


def test_reads_the_process_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Transform the service\n"))
    out = io.StringIO()
    call_command("review_statements", "--kind", "impact", "--json", stdout=out)
    [result] = [json.loads(line) for line in out.getvalue().splitlines()]
    assert result["ok"] is False
    assert result["findings"][0]["code"] == "vague"


def test_blank_lines_are_skipped_and_surrounding_spaces_ignored():
    results = run_json(
        "\n   \nTransform the service\r\n\t\n  Secured the buy-in of governors  \n\n"
    )
    assert [result["text"] for result in results] == [
        "Transform the service",
        "Secured the buy-in of governors",
    ]


def test_no_input_gives_no_output():
    assert run_json("") == []


def test_very_long_lines_are_reviewed():
    long_line = "Learners attend more of their lessons and " * 5000
    [result] = run_json(long_line + "\n")
    assert len(result["text"]) > 200_000
    assert "too-long" in [f["code"] for f in result["findings"]]


def test_non_english_text_is_written_as_it_is():
    text = "Réduire les délais d’attente de 20 % d’ici mars 2027 — 患者"
    output = run(text + "\n", "--kind", "objective", "--json")
    assert text in output  # not \u-escaped
    assert json.loads(output)["text"] == text


@pytest.mark.parametrize(
    ("kind", "text", "code"),
    [
        ("objective", "We will reduce waiting times", "not-measurable"),
        ("principle", "Provide value for money", "applies-to-every-option"),
        ("impact", "We will launch a high-impact social media campaign", "task-not-impact"),
    ],
)
def test_each_kind_is_reviewed_with_its_own_rules(kind, text, code):
    [result] = run_json(text, kind)
    assert code in [f["code"] for f in result["findings"]]


def test_readable_report_names_the_findings_and_sums_up():
    output = run(
        "We will hold workshops to identify issues\n\nSecured the buy-in of governors\n",
        "--kind",
        "impact",
    )
    assert "REVIEW  We will hold workshops to identify issues" in output
    assert 'task-not-impact: "hold workshops" describes something' in output
    assert 'try: Ask why you would "hold workshops" ("so that what?")' in output
    assert "ok      Secured the buy-in of governors" in output
    assert "2 statement(s): 1 ok, 1 to review." in output


def test_kind_is_required_and_checked():
    with pytest.raises(CommandError):
        run("Transform the service\n", "--kind", "wish")
    with pytest.raises(CommandError):
        run("Transform the service\n")
