"""`manage.py db_worker`: django_tasks_db's worker with a lease, so a job whose worker dies is
run again by another (see `totem.jobs`). Same options as the original."""

from django_tasks_db.management.commands import db_worker as original

from ... import jobs


class Command(original.Command):
    help = "Run a database background worker (jobs of a dead worker are run again: totem.jobs)"

    def handle(self, *args, **options):
        # The original builds `Worker` by its module's name: hand it the leased one for this run.
        original.Worker = jobs.worker_class()
        return super().handle(*args, **options)
