"""Send the outbox's due messages: those the mail server refused before, or whose task was lost.

The worker sends each message as soon as it is queued; this command is the safety net that
the clock runs (`--loop`), so a message queued while SMTP was down goes out when it is back.
"""

import signal
import time

from django.core.management.base import BaseCommand

from people.mail import outbox_send_due


class Command(BaseCommand):
    help = "Send queued emails that are due (retries with back-off). --loop keeps going."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="run until stopped")
        parser.add_argument("--interval", type=float, default=60, help="seconds between sweeps")
        parser.add_argument("--limit", type=int, default=100, help="messages per sweep")

    def handle(self, *, loop, interval, limit, **options):
        stopping = []
        if loop:  # finish the message in hand on SIGTERM, then stop
            signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while True:
            sent, failed = outbox_send_due(limit=limit)
            if sent or failed or not loop:
                self.stdout.write(f"{sent} sent, {failed} kept for a later try")
            if not loop or stopping:
                return
            for _ in range(int(interval * 10)):
                if stopping:
                    return
                time.sleep(0.1)
