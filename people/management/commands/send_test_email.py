"""Queue a test message through the outbox, to check the SMTP settings end to end."""

from django.core.management.base import BaseCommand
from django.db import transaction

from people.mail import email_queue


class Command(BaseCommand):
    help = "Queue a test email to ADDRESS through the outbox (the worker sends it)."

    def add_arguments(self, parser):
        parser.add_argument("address")

    def handle(self, *, address, **options):
        with transaction.atomic():
            message = email_queue(
                to=address, subject="Totem test message", template="emails/test_message",
                context={},
            )
        self.stdout.write(f"Queued message {message.pk} to {address}; see /mail/ or the admin.")
