"""Write a project's governors' pack — or its A3 poster, or an organisation's portfolio pack — to
a file, for scripted board papers. The PDF is the same stored version the site serves (made now
if the project changed since the last one), with the same SHA-256."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.models import Organisation, Project
from totem.models import Pack
from totem.packs import services


class Command(BaseCommand):
    help = "Write a governors' pack (or --poster, or --portfolio ORG_ID) to a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("project_id", nargs="?", type=int, help="The project's id.")
        parser.add_argument("-o", "--output", help="The file to write (default: its own name).")
        what = parser.add_mutually_exclusive_group()
        what.add_argument("--poster", action="store_true", help="The A3 poster instead.")
        what.add_argument(
            "--portfolio",
            type=int,
            metavar="ORG_ID",
            help="The portfolio pack of this organisation (every project it leads or shares).",
        )

    def handle(self, *args, project_id=None, output=None, poster=False, portfolio=None, **opts):
        if portfolio is not None:
            if project_id is not None:
                raise CommandError("Give a project id or --portfolio, not both.")
            organisation = Organisation.objects.filter(pk=portfolio).first()
            if organisation is None:
                raise CommandError(f"There is no organisation {portfolio}.")
            pack = services.pack_request(
                kind=Pack.Kind.PORTFOLIO, organisation=organisation, user=None, render_now=True
            )
        else:
            if project_id is None:
                raise CommandError("Give a project id (or --portfolio ORG_ID).")
            project = Project.objects.select_related("lead_organisation").filter(pk=project_id)
            project = project.first()
            if project is None:
                raise CommandError(f"There is no project {project_id}.")
            kind = Pack.Kind.POSTER if poster else Pack.Kind.PROJECT
            pack = services.pack_request(kind=kind, project=project, user=None, render_now=True)
        if not pack.is_ready:
            raise CommandError(f"The PDF could not be made. {pack.error}".strip())
        path = Path(output or pack.download_name)
        with pack.file.open("rb") as stored:
            path.write_bytes(stored.read())
        owner = pack.project or pack.organisation
        self.stdout.write(
            f"Wrote {pack.get_kind_display().lower()} version {pack.version} of {owner} "
            f"to {path}: {pack.pages} page{'s' * (pack.pages != 1)}, {pack.size:,} bytes, "
            f"SHA-256 {pack.sha256}"
        )
