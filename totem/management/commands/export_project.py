"""Write a whole project to one JSON file, for `import_project` in another installation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.models import Project
from totem import transfer


class Command(BaseCommand):
    help = "Write a project (chain, measurements, checklists, comments, decisions…) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("project_id", type=int, help="The project's id.")
        parser.add_argument("-o", "--output", help="The file to write (default: standard output).")

    def handle(self, *args, project_id, output=None, **options):
        project = Project.objects.filter(pk=project_id).first()
        if project is None:
            raise CommandError(f"There is no project {project_id}.")
        try:
            text = transfer.dumps(transfer.project_export(project))
        except transfer.TransferError as error:
            raise CommandError(str(error)) from None
        if output is None:
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {project.title} (project {project.pk}) to {output}.")
