"""The reminder sweep: `send_reminders` once, or `send_reminders --loop` as the clock."""

import signal
import time

from django.core.management.base import BaseCommand

from notifications.sweep import sweep
from totem.jobs import beat


class Command(BaseCommand):
    help = "Find figures due, mentions, packs and decisions; notify and email each person once."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Sweep again every --every s.")
        parser.add_argument("--every", type=int, default=60, help="Seconds between sweeps.")

    def handle(self, *args, loop=False, every=60, **options):
        stopping = []
        if loop:  # finish the sweep under way, then stop
            signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while True:
            summary = sweep()
            beat("clock", last_sweep=str(summary))  # its age shows on /health/ready
            self.stdout.write(str(summary))
            if not loop:
                return
            for _ in range(every):
                if stopping:
                    return
                time.sleep(1)
