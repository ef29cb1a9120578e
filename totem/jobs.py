"""Background jobs that survive their worker, and heartbeats of background processes.

Every job enqueued through django-tasks' database backend (`django_tasks_db`) and run by
`manage.py db_worker` (Totem's own command, `totem/management/commands/db_worker.py`) gets this
for free — packs today, emails and reminders tomorrow:

- A worker writes a heartbeat (`Heartbeat` "worker:<its id>") every JOB_LEASE_SECONDS / 6 from
  a thread beside its loop, while idle and while a job runs. A running job is *leased* to the
  last worker in its `worker_ids` for as long as that worker keeps beating.
- Every worker, on every beat, *reaps*: a running job whose worker has not beaten for
  JOB_LEASE_SECONDS (the process was killed, its machine died) goes back to the queue and the
  next free worker takes it — as attempt 2, 3… (`TaskContext.attempt`). After
  JOB_MAX_ATTEMPTS attempts it is marked failed with `WorkerLost` and `task_finished` is sent,
  so the job's owner can tell its users (see `totem.packs.tasks`).
- Two workers never run one job at once: claiming and reaping lock the job's row (SQLite:
  an exclusive transaction), and a worker that could not write its heartbeat for nearly a
  lease while running a job stops itself (it must assume the job was given to another).
  A job should still store its result only if it is the latest attempt (`Pack.attempt`).

A job must therefore be safe to run again from the start after a crash: make it idempotent
(write its result once, keyed by what it makes), as `totem.packs.services.pack_render` is.

`beat(name)` is the one way to say "this process is alive" (the clock beats "clock");
`/health/ready` shows every heartbeat's age and the age of the oldest queued job.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from .models import Heartbeat

log = logging.getLogger("totem.jobs")


class WorkerLost(Exception):
    """The worker running a job stopped beating JOB_MAX_ATTEMPTS times: the job is given up."""


def lease_seconds() -> float:
    return float(getattr(settings, "JOB_LEASE_SECONDS", 30))


def max_attempts() -> int:
    return int(getattr(settings, "JOB_MAX_ATTEMPTS", 3))


def beat(name: str, **detail) -> None:
    """Record that the process called `name` is alive now (one row a process, overwritten)."""
    Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": timezone.now(), "detail": detail}
    )


def _locked(queryset):
    """Lock the rows for this transaction (PostgreSQL); SQLite locks the whole database."""
    if connection.vendor == "sqlite":
        return queryset
    return queryset.select_for_update(skip_locked=True)


def _atomic():
    from django_tasks_db.utils import exclusive_transaction

    return exclusive_transaction(None)


def reap(*, backend_name: str = "default") -> tuple[int, int]:
    """Put back in the queue every running job whose worker stopped beating; give up those
    that have had JOB_MAX_ATTEMPTS attempts. Returns (requeued, given up)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    dead_before = timezone.now() - timedelta(seconds=lease_seconds())
    alive = set(
        Heartbeat.objects.filter(name__startswith="worker:", beat_at__gte=dead_before).values_list(
            "name", flat=True
        )
    )
    # Workers that stopped long ago: forget them (a job still leased to one is reaped below).
    Heartbeat.objects.filter(
        name__startswith="worker:", beat_at__lt=dead_before - timedelta(days=1)
    ).delete()
    requeued = given_up = 0
    lost = []
    with _atomic():
        running = _locked(DBTaskResult.objects.running().filter(backend_name=backend_name))
        for job in running:
            owner = job.worker_ids[-1] if job.worker_ids else ""
            if f"worker:{owner}" in alive:
                continue
            if len(job.worker_ids) >= max_attempts():
                job.set_failed(
                    WorkerLost(
                        f"The worker running it stopped {len(job.worker_ids)} times; given up."
                    )
                )
                lost.append(job)
                given_up += 1
            else:
                job.status = TaskResultStatus.READY
                job.save(update_fields=["status"])
                requeued += 1
            log.warning(
                "job %s (%s): worker %s stopped beating; %s after attempt %s",
                job.id,
                job.task_path,
                owner or "?",
                "given up" if job in lost else "queued again",
                len(job.worker_ids),
            )
    for job in lost:  # after commit, so whoever listens sees the job failed
        _send_finished(job)
    return requeued, given_up


def _send_finished(job) -> None:
    from django_tasks_db.compat import task_finished

    try:
        result = job.task_result
        task_finished.send(sender=type(result.task.get_backend()), task_result=result)
    except Exception:  # a task that no longer imports: nothing can listen for it
        log.exception("job %s given up; its task could not be told", job.id)


class Lease(threading.Thread):
    """Beats for a worker and reaps for everyone, every JOB_LEASE_SECONDS / 6."""

    def __init__(self, worker):
        super().__init__(name="job-lease", daemon=True)
        self.worker = worker
        self.interval = lease_seconds() / 6
        self.last_beat = time.monotonic()
        self.stopping = threading.Event()

    def tick(self) -> None:
        try:
            beat(f"worker:{self.worker.worker_id}", pid=os.getpid(), busy=self.worker.running_task)
            self.last_beat = time.monotonic()
            reap(backend_name=self.worker.backend_name)
        except DatabaseError as error:
            log.warning("worker %s could not beat: %s", self.worker.worker_id, error)
        finally:
            close_old_connections()
        silent = time.monotonic() - self.last_beat
        if self.worker.running_task and silent > lease_seconds() - self.interval:
            # Others may already have taken our job: never run it twice at once.
            log.critical(
                "worker %s lost its lease (%.0fs without a beat); stopping",
                self.worker.worker_id,
                silent,
            )
            os._exit(75)

    def run(self) -> None:
        while not self.stopping.wait(self.interval):
            self.tick()


def worker_class():
    """`django_tasks_db`'s worker, with a lease (see the module's docstring)."""
    from django_tasks_db.management.commands.db_worker import Worker

    class LeasedWorker(Worker):
        def run(self) -> None:
            lease = Lease(self)
            lease.tick()  # beat before the first claim
            lease.start()
            try:
                super().run()
            finally:
                lease.stopping.set()

    return LeasedWorker


def queue_health() -> dict:
    """What /health/ready says about background work: the oldest waiting job's age and every
    process's last heartbeat (seconds ago)."""
    now = timezone.now()
    report: dict = {}
    if "django_tasks_db" in settings.INSTALLED_APPS:
        from django_tasks_db.models import DBTaskResult

        oldest = (
            DBTaskResult.objects.ready()
            .order_by("enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first()
        )
        report["oldest_queued_job_seconds"] = (
            round((now - oldest).total_seconds(), 1) if oldest else None
        )
        report["running_jobs"] = DBTaskResult.objects.running().count()
    report["heartbeats"] = {
        beat.name: round((now - beat.beat_at).total_seconds(), 1)
        for beat in Heartbeat.objects.all()[:50]
    }
    return report
