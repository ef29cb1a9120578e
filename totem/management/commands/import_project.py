"""Make a new project from a file written by `export_project` (here or in another
installation), all of it or nothing, and say what was made."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from totem import transfer
from totem.transfer.schema import COUNTED


class Command(BaseCommand):
    help = "Import a project from a JSON file written by export_project."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The project file (JSON).")

    def handle(self, *args, file, **options):
        try:
            raw = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"{file} cannot be read: {error.strerror or error}.") from None
        try:
            project = transfer.project_import(transfer.project_file_load(raw))
        except transfer.TransferError as error:
            raise CommandError(f"{file} was not imported: {error}") from None
        self.stdout.write(summary(project))


def summary(project) -> str:
    report = project.import_report
    counts = ", ".join(
        f"{report.counts[kind.plural]} {kind.plural}" for kind in COUNTED
        if report.counts[kind.plural]
    )
    lines = [f'Imported "{project.title}" as project {project.pk}: {counts or "no rows"}.']
    for what, made, found in (
        ("Organisations", report.organisations_created, report.organisations_found),
        ("Checklist templates", report.templates_created, report.templates_found),
    ):
        if made:
            lines.append(f"{what} created: {', '.join(made)}.")
        if found:
            lines.append(f"{what} already here, used: {', '.join(found)}.")
    if report.people_found:
        lines.append(f"People linked to their accounts here: {', '.join(report.people_found)}.")
    if report.people_created:
        lines.append(
            "People created as inactive accounts without a password (activate them in the "
            f"admin to let them sign in): {', '.join(report.people_created)}."
        )
    return "\n".join(lines)
