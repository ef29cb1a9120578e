from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from totem.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo organisations, users and project (development only; idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only: run with DEBUG=1.")
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/"))
        for username, password, role in logins:
            self.stdout.write(f"  {role:<13} username: {username:<10} password: {password}")
        self.stdout.write(
            "Emails are not sent: the worker prints them on this console and keeps them at "
            "http://127.0.0.1:8000/mail/ (sign in as staff)."
        )
