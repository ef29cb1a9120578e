"""Jobs survive their worker (totem.jobs): real `manage.py db_worker` processes, one killed
with SIGKILL mid-job, and another finishing it; two workers never running one job at once."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from projects.tests.factories import ProjectFactory
from totem import jobs
from totem.models import Heartbeat, Pack
from totem.packs import services

from .job_tasks import note_run

ROOT = Path(__file__).resolve().parents[2]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
LEASE = 2.0  # seconds, for the worker processes of these tests

needs_shared_db = pytest.mark.skipif(
    "sqlite" in settings.DATABASES["default"]["ENGINE"],
    reason="worker processes cannot share the in-memory SQLite test database (run on PostgreSQL)",
)


def _database_url() -> str:
    params = connection.settings_dict
    user = params["USER"] or "postgres"
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    return f"postgres://{user}{password}@{params['HOST']}:{params['PORT']}/{params['NAME']}"


def start_worker(worker_id: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "totem.settings_test",
        "DATABASE_URL": _database_url(),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "JOB_LEASE_SECONDS": str(LEASE),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
         "--interval", "0.1", "--worker-id", worker_id],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def wait_for(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("gave up waiting")


@pytest.fixture
def workers():
    started = []

    def start(worker_id):
        started.append(start_worker(worker_id))
        return started[-1]

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@needs_shared_db
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_is_finished_by_another(tmp_path, workers):
    notes = tmp_path / "notes"
    with override_settings(TASKS=DB_TASKS):
        result = note_run.enqueue(str(notes), "held", hold_first=True)
    first = workers("first")
    wait_for(lambda: notes.exists() and "start held 1" in notes.read_text())
    os.kill(first.pid, signal.SIGKILL)  # mid-job: no chance to tidy up
    first.wait()

    started = time.monotonic()
    second = workers("second")
    wait_for(lambda: DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL")
    # Taken over within about a lease (plus the new process starting up), not minutes.
    assert time.monotonic() - started < LEASE + 15
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.worker_ids == ["first", "second"]
    assert notes.read_text().splitlines() == [
        f"start held 1 {first.pid}",
        f"start held 2 {second.pid}",
        f"done held 2 {second.pid}",
    ]
    assert Heartbeat.objects.filter(name="worker:second").exists()


@needs_shared_db
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_run_the_same_job(tmp_path, workers):
    notes = tmp_path / "notes"
    with override_settings(TASKS=DB_TASKS):
        # One job runs for three leases: the idle worker, reaping all the while, must leave it
        # alone because its worker keeps beating.
        results = [note_run.enqueue(str(notes), "long", seconds=LEASE * 3)]
        results += [note_run.enqueue(str(notes), f"short{n}", seconds=0.05) for n in range(12)]
    workers("one"), workers("two")
    ids = [r.id for r in results]
    wait_for(
        lambda: DBTaskResult.objects.filter(pk__in=ids, status="SUCCESSFUL").count() == len(ids),
        seconds=60,
    )
    lines = notes.read_text().splitlines()
    starts = [line.split()[1] for line in lines if line.startswith("start")]
    assert sorted(starts) == sorted(["long"] + [f"short{n}" for n in range(12)])  # once each
    jobs_run = DBTaskResult.objects.filter(pk__in=ids)
    assert all(len(job.worker_ids) == 1 for job in jobs_run)
    assert {job.worker_ids[0] for job in jobs_run} == {"one", "two"}  # both did work


# --- in the test's own process: SQLite and PostgreSQL ----------------------------------------


@pytest.fixture
def queued_pack(db, settings):
    """A project's poster, queued for a worker (the database backend, not run at once)."""
    settings.TASKS = DB_TASKS
    project = ProjectFactory()
    return project, services.pack_request(kind=Pack.Kind.POSTER, project=project, user=None)


def _claim_and_die(worker_id: str, pack: Pack, attempt: int) -> DBTaskResult:
    """What a worker does before it is killed mid-render: claim the job, start the pack."""
    job = DBTaskResult.objects.get()
    job.claim(worker_id)
    Pack.objects.filter(pk=pack.pk).update(status=Pack.Status.RENDERING, attempt=attempt)
    return job


@pytest.mark.slow
def test_a_pack_left_being_made_by_a_dead_worker_is_made_by_the_next(queued_pack):
    from django_tasks_db.management.commands.db_worker import Worker

    project, pack = queued_pack
    jobs.beat("worker:alive")
    _claim_and_die("dead", pack, attempt=1)
    Heartbeat.objects.create(name="worker:dead", beat_at="2020-01-01T00:00:00Z")

    assert jobs.reap() == (1, 0)
    assert jobs.reap() == (0, 0)  # queued once, not twice
    job = DBTaskResult.objects.ready().get()  # what the next worker's loop takes
    job.claim("alive")
    Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="alive", excluded_queue_names=[],
    ).run_task(job)  # fmt: skip

    pack.refresh_from_db()
    assert (pack.status, pack.attempt) == (Pack.Status.READY, 2)
    assert DBTaskResult.objects.get().worker_ids == ["dead", "alive"]


def test_the_pack_page_says_which_attempt_is_making_it(queued_pack, client, member_of):
    project, pack = queued_pack
    Pack.objects.filter(pk=pack.pk).update(status=Pack.Status.RENDERING, attempt=2)
    client.force_login(member_of("lead", project=project))
    page = client.get(f"/projects/{project.pk}/packs/{pack.pk}/").content.decode()
    assert "Being made — attempt 2 of 3" in page


def test_a_late_attempt_never_overwrites_the_one_that_took_over(queued_pack):
    _project, pack = queued_pack
    Pack.objects.filter(pk=pack.pk).update(status=Pack.Status.RENDERING, attempt=2)
    assert services.pack_render(pack_id=pack.pk, attempt=1) is None  # can't claim it back
    assert Pack.objects.get(pk=pack.pk).attempt == 2


def test_a_job_whose_workers_keep_dying_is_given_up_and_its_pack_fails(queued_pack):
    _project, pack = queued_pack
    job = _claim_and_die("w1", pack, attempt=1)
    for worker_id in ("w2", "w3"):
        job.status = "READY"
        job.save()
        job.claim(worker_id)

    assert jobs.reap() == (0, 1)
    job.refresh_from_db()
    assert job.status == "FAILED"
    assert job.exception_class_path == "totem.jobs.WorkerLost"
    pack.refresh_from_db()
    assert pack.status == Pack.Status.FAILED
    assert "stopped while making it, 3 times" in pack.error


def test_a_running_job_of_a_beating_worker_is_left_alone(queued_pack):
    _project, pack = queued_pack
    jobs.beat("worker:busy")
    _claim_and_die("busy", pack, attempt=1)
    assert jobs.reap() == (0, 0)
    assert DBTaskResult.objects.get().status == "RUNNING"
