"""Work out and store every indicator's SPC state again (after an upgrade, or after values were
loaded around the services)."""

from django.core.management.base import BaseCommand

from projects.services.spc_state import project_spc_refresh


class Command(BaseCommand):
    help = "Store the SPC state (icons, limits) of every indicator, or of the given projects."

    def add_arguments(self, parser):
        parser.add_argument("project_ids", nargs="*", type=int, help="Only these projects.")

    def handle(self, *args, project_ids, **options):
        done = project_spc_refresh(project_ids=project_ids or None)
        self.stdout.write(f"Stored the SPC state of {done} indicator{'s' * (done != 1)}.")
