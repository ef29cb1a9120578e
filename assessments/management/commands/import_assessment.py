from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments import services, spreadsheets
from assessments.models import Assessment


class Command(BaseCommand):
    help = (
        "Import a filled-in spreadsheet (CSV or XLSX, in the shape of the export) into an open "
        "self-assessment round. Every row is checked first: on any error nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int, help="The round's id (see its page's address).")
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", help="Username to record as the author of the changes.")

    def handle(self, *args, round_id, path, user=None, **options):
        assessment = Assessment.objects.select_related("framework").filter(pk=round_id).first()
        if assessment is None:
            raise CommandError(f"There is no self-assessment round {round_id}.")
        author = None
        if user:
            author = get_user_model().objects.filter(username=user).first()
            if author is None:
                raise CommandError(f"There is no user {user!r}.")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            changed = services.assessment_import(
                assessment=assessment, upload=data, filename=path.name, user=author
            )
        except spreadsheets.SpreadsheetError as error:
            for message in error.errors:
                self.stderr.write(message)
            raise CommandError(
                f"Nothing imported: {len(error.errors)} problem(s) in {path.name}."
            ) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Imported {path.name} into “{assessment.name}”: "
                               f"{changed} answer(s) changed.")
        )
