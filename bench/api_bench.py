"""Benchmark of the API (issue 17).

    .venv/bin/python bench/api_bench.py [--repeat 15] [--database-url postgres://…/totem_bench]

Builds a project of 40 tasks x 2 impacts x 2 indicators x 60 monthly values (the shape of
bench/measures.py) and a 3-task one, in a throw-away SQLite database unless --database-url
names a PostgreSQL database (the projects are deleted again at the end). Reports, with a
read token through Django's test client: the indicators endpoint (all 160 indicators with their
values and SPC state on one page) and the tidy feed (1,000 rows a page), median time and
queries, against the 3-task project's query count; then a 1,000-row batch push with a
read-and-write token (each run rolled back) and the same batch sent again (recorded once).
Exits non-zero when a query count grows with the project, the indicators endpoint takes 150 ms
of CPU or more (CPU time: wall-clock time on a shared machine measures its neighbours), or the
push 2 s or more.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measures  # noqa: E402  (bench/measures.py: the same project shape)

INDICATORS_BUDGET_MS = 150
PUSH_BUDGET_MS = 2000


def setup(database_url: str | None, directory: str) -> None:
    sys.path.insert(0, str(measures.ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "totem.settings_test"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{directory}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(call, repeat: int) -> tuple[float, float, int]:
    """Median wall-clock ms, median CPU ms of this process (the app's own work, less
    disturbed by other programs on a busy machine), and the queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm up
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    with CaptureQueriesContext(connection) as queries:
        call()
    return statistics.median(times) * 1000, statistics.median(cpu) * 1000, len(queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--database-url", default=None)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup(options.database_url, directory)
        return run(options)


def run(options) -> int:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone
    from rest_framework.test import APIClient

    from api import services
    from projects.models import Indicator, ProjectRole

    user, _ = get_user_model().objects.get_or_create(username="api-bench")
    small, _ = measures.build("API bench small", tasks=3, months=60)
    large, _ = measures.build("API bench large", tasks=40, months=60)
    try:
        for project in (small, large):
            ProjectRole.objects.create(project=project, user=user, role="lead")
        expiry = timezone.now() + timedelta(days=1)
        clients = {}
        for scope in ("read", "read-write"):
            _, secret = services.token_create(
                user=user, name=f"bench {scope}", scope=scope, expires_at=expiry
            )
            clients[scope] = APIClient()
            clients[scope].credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        reader = clients["read"]

        def get(url):
            def call():
                response = reader.get(url)
                assert response.status_code == 200, response.content[:300]
                return response

            return call

        print(f"40 tasks, 160 indicators x 60 values; median of {options.repeat} requests")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(
            f"{'endpoint':<34} {'median ms':>10} {'CPU ms':>8} {'queries':>8} "
            f"{'queries (3 tasks)':>18}"
        )
        failed = False
        for label, path in (
            ("indicators (all 160, one page)", "indicators/?page_size=200"),
            ("tidy feed (1,000 rows a page)", "tidy/?page_size=1000"),
            ("chain", "chain/"),
        ):
            ms, cpu, count = timed(get(f"/api/v1/projects/{large.pk}/{path}"), options.repeat)
            _, _, small_count = timed(get(f"/api/v1/projects/{small.pk}/{path}"), 1)
            notes = []
            if count != small_count:
                notes.append("grows with the project")
            if path.startswith("indicators") and cpu >= INDICATORS_BUDGET_MS:
                notes.append(f"over {INDICATORS_BUDGET_MS} ms")
            failed |= bool(notes)
            flag = f"  <- {', '.join(notes)}" if notes else ""
            print(f"{label:<34} {ms:>10.1f} {cpu:>8.1f} {count:>8} {small_count:>18}{flag}")

        indicators = list(Indicator.objects.filter(project=large).order_by("pk"))
        rows = [
            {
                "indicator": indicators[n % len(indicators)].pk,
                "period": measures.month(60 + n // len(indicators)).isoformat(),
                "value": 10 + n % 7,
                "note": "from the warehouse" if n % 50 == 0 else "",
            }
            for n in range(1000)
        ]
        url = f"/api/v1/projects/{large.pk}/measurements/batches/"
        writer = clients["read-write"]
        pushes, push_cpu, replays = [], [], []
        for run_number in range(max(3, options.repeat // 3)):
            batch = {"idempotency_key": f"bench-{run_number}", "rows": rows}
            with transaction.atomic():
                start, start_cpu = time.perf_counter(), time.process_time()
                first = writer.post(url, batch, format="json")
                pushes.append(time.perf_counter() - start)
                push_cpu.append(time.process_time() - start_cpu)
                start = time.perf_counter()
                again = writer.post(url, batch, format="json")
                replays.append(time.perf_counter() - start)
                assert first.status_code == 201, first.content[:500]
                assert first.json()["created"] == 1000, first.json()
                assert again.status_code == 200 and again.json()["replayed"], again.content
                transaction.set_rollback(True)
        push_ms = statistics.median(pushes) * 1000
        cpu_ms = statistics.median(push_cpu) * 1000
        replay_ms = statistics.median(replays) * 1000
        over = push_ms >= PUSH_BUDGET_MS
        failed |= over
        flag = f"  <- over {PUSH_BUDGET_MS} ms" if over else ""
        print(f"{'batch push, 1,000 new values':<34} {push_ms:>10.1f} {cpu_ms:>8.1f}{flag}")
        print(f"{'the same batch again (recorded once)':<34} {replay_ms:>10.1f}")
    finally:
        for project in (small, large):
            project.delete()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
