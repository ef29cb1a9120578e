from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments import selectors, spreadsheets
from assessments.models import Assessment


class Command(BaseCommand):
    help = (
        "Export a self-assessment round's answers, one row per question (domain, number, "
        "question, level, evidence, next actions), as CSV or XLSX."
    )

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)
        parser.add_argument(
            "--output", type=Path,
            help="File to write; its extension (.csv or .xlsx) picks the format. "
            "Without it, CSV goes to standard output.",
        )

    def handle(self, *args, round_id, output=None, **options):
        assessment = Assessment.objects.select_related("framework").filter(pk=round_id).first()
        if assessment is None:
            raise CommandError(f"There is no self-assessment round {round_id}.")
        rows = spreadsheets.answer_rows(selectors.round_answers(assessment))
        if output is None:
            self.stdout.write(spreadsheets.write_csv(rows).decode("utf-8-sig"), ending="")
            return
        suffix = output.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise CommandError("The output file must end in .csv or .xlsx.")
        if suffix == ".csv":
            body = spreadsheets.write_csv(rows)
        else:
            body = spreadsheets.round_xlsx(assessment, rows)
        output.write_bytes(body)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(rows)} rows to {output}."))
