from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from totem.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo organisations, users and project (development only; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="Where the server will listen, to print the right sign-in address "
            "(`make run PORT=8001` passes 127.0.0.1:8001).",
        )

    def handle(self, *args, address="127.0.0.1:8000", **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only: run with DEBUG=1.")
        logins = load_demo()
        if address.isdigit():  # a bare port, as runserver accepts it
            address = f"127.0.0.1:{address}"
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Sign in at http://{address}/"))
        for username, password, role in logins:
            self.stdout.write(f"  {role:<13} username: {username:<10} password: {password}")
        self.stdout.write(
            "Emails are not sent: the worker prints them on this console and keeps them at "
            "http://127.0.0.1:8000/mail/ (sign in as staff)."
        )
