"""Review statements with the outcome coach, for scripting and for checking whole documents.

    python manage.py review_statements --kind impact --json < wings.txt

Reads one statement per line from standard input (UTF-8). Blank lines are skipped, and spaces
around a statement are ignored, so a document can be piped in as it is. With ``--json`` it
writes one JSON object per statement, in input order, non-ASCII text kept as it is::

    {"text": "...", "ok": false,
     "findings": [{"code": "...", "message": "...", "suggestion": "..."}]}

Without ``--json`` it prints a readable report and a summary line.
"""

import json
import sys

from django.core.management.base import BaseCommand

from projects.coach import KINDS, review_statement


class Command(BaseCommand):
    help = (
        "Review statements (one per line on standard input; blank lines are skipped) with the "
        "outcome coach, and report the findings."
    )
    # Tests and callers may pass the input stream: call_command(..., stdin=io.StringIO(...)).
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=KINDS, help="What the statements are.")
        parser.add_argument(
            "--json",
            action="store_true",
            help='Write one JSON object per statement: {"text", "ok", "findings"}.',
        )

    def handle(self, *args, **options):
        stdin = options.get("stdin") or sys.stdin
        if hasattr(stdin, "reconfigure"):
            stdin.reconfigure(encoding="utf-8", errors="replace")
        reviewed = to_review = 0
        for line in stdin:
            text = line.strip()
            if not text:
                continue
            findings = review_statement(text, options["kind"])
            reviewed += 1
            to_review += bool(findings)
            if options["json"]:
                self._write_json(text, findings)
            else:
                self._write_readable(text, findings)
        if not options["json"]:
            self.stdout.write(
                f"\n{reviewed} statement(s): {reviewed - to_review} ok, {to_review} to review."
            )

    def _write_json(self, text, findings):
        result = {
            "text": text,
            "ok": not findings,
            "findings": [finding.as_dict() for finding in findings],
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _write_readable(self, text, findings):
        if not findings:
            self.stdout.write(self.style.SUCCESS("ok      ") + text)
            return
        self.stdout.write(self.style.WARNING("REVIEW  ") + text)
        for finding in findings:
            self.stdout.write(f"        {finding.code}: {finding.message}")
            self.stdout.write(f"        try: {finding.suggestion}")
