"""Benchmark of the portfolio dashboard (issue 16).

    .venv/bin/python bench/portfolio.py [--projects 500] [--repeat 10]

Builds, in a throw-away SQLite database, a portfolio of 500 projects x 40 indicators (10 tasks x
2 impacts x 2 indicators) with 24 monthly values each and two objectives per project, stores
every indicator's SPC state the way the services do, then reports the median time of the
dashboard page (cache warm: the outcome-focus scores computed once) and of its summary
selector alone, with their number of queries, and the number of queries for a 3-project
portfolio. Exits non-zero when the page takes 300 ms or more or a query count grows.

SQLite by default; BENCH_DATABASE_URL=postgres://…/totem_bench measures on PostgreSQL as
production runs (the database named there is dropped and created again).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date

import measures
from measures import measure, month, setup_django

BUDGET_MS = 300


def build(user, organisation, *, projects: int, months: int, start: int = 0) -> None:
    """Projects built with bulk inserts; the SPC state stored by the same service the writes
    call (projects.services.spc_state)."""
    from projects.models import (
        Impact,
        Indicator,
        Measurement,
        Objective,
        Project,
        ProjectRole,
        Task,
    )
    from projects.services.spc_state import project_spc_refresh

    made = Project.objects.bulk_create(
        Project(title=f"Project {start + n:04}", lead_organisation=organisation)
        for n in range(projects)
    )
    ProjectRole.objects.bulk_create(
        ProjectRole(project=p, user=user, role="governor") for p in made
    )
    tasks = Task.objects.bulk_create(
        Task(project=p, position=t, title=f"Task {t}: hold the payroll workshops")
        for p in made
        for t in range(10)
    )
    impacts = Impact.objects.bulk_create(
        Impact(project_id=t.project_id, task=t, position=i, statement="Fewer payslip errors")
        for t in tasks
        for i in range(2)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            project_id=i.project_id,
            impact=i,
            position=k,
            name=f"Indicator {k}",
            kind="leading" if k == 0 else "lagging",
            direction="up",
            target_value=14,
            frequency="monthly",
        )
        for i in impacts
        for k in range(2)
    )
    Measurement.objects.bulk_create(
        (
            Measurement(
                project_id=ind.project_id,
                indicator=ind,
                date=month(m),
                value=10 + (m * 7 + ind.pk) % 5 + (3 if m > months // 2 else 0),
            )
            for ind in indicators
            for m in range(months)
        ),
        batch_size=5000,
    )
    first = {}
    for ind in indicators:
        first.setdefault(ind.project_id, ind)
    Objective.objects.bulk_create(
        Objective(
            project_id=pid,
            position=o,
            statement=f"Objective {o}",
            indicator=ind,
            baseline_value=10,
            baseline_date=date(2020, 12, 1),
            target_value=15,
            deadline=date(2027, 3, 31),
        )
        for pid, ind in first.items()
        for o in range(2)
    )
    project_spc_refresh(project_ids=[p.pk for p in made])


def setup_postgres(url: str) -> None:
    """A fresh database at `url`, migrated."""
    import psycopg2

    base, name = url.rsplit("/", 1)
    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    sys.path.insert(0, str(measures.ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "totem.settings_test"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="cProfile the selector")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        if os.environ.get("BENCH_DATABASE_URL"):
            setup_postgres(os.environ["BENCH_DATABASE_URL"])
        else:
            setup_django(directory)
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse
        from django.utils import timezone

        from projects.models import Membership, Organisation
        from totem.review.portfolio import portfolio_summaries

        users = get_user_model().objects
        big_user = users.create_user("big", password="bench-password-1")
        small_user = users.create_user("small", password="bench-password-1")
        big_org = Organisation.objects.create(name="Big NHS Trust")
        small_org = Organisation.objects.create(name="Small NHS Trust")
        Membership.objects.create(user=big_user, organisation=big_org)
        Membership.objects.create(user=small_user, organisation=small_org)
        started = time.perf_counter()
        build(big_user, big_org, projects=options.projects, months=options.months)
        build(small_user, small_org, projects=3, months=options.months, start=9000)
        print(f"built in {time.perf_counter() - started:.0f} s")

        client = Client()
        client.force_login(big_user)
        url = reverse("review:portfolio")
        ms, count = measure(client, url, options.repeat)
        org_ms, org_count = measure(
            client, reverse("review:org-dashboard", args=[big_org.pk]), options.repeat
        )
        small = Client()
        small.force_login(small_user)
        _, small_count = measure(small, url, 1)

        today = timezone.localdate()
        times, cpu = [], []
        for _ in range(options.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            rows = portfolio_summaries(big_user, today=today)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        # CPU time of this process: what the code costs, whatever else the machine runs.
        page_cpu = []
        for _ in range(options.repeat):
            start_cpu = time.process_time()
            client.get(url)
            page_cpu.append(time.process_time() - start_cpu)
        with CaptureQueriesContext(connection) as queries:
            portfolio_summaries(big_user, today=today)
        if options.profile:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.runcall(portfolio_summaries, big_user, today=today)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
            profile = cProfile.Profile()
            profile.runcall(client.get, url)
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        selector_ms = statistics.median(times) * 1000
        assert len(rows) == options.projects

        indicators = options.projects * 40
        print(
            f"{options.projects} projects x 40 indicators ({indicators:,}) x {options.months} "
            f"values; median of {options.repeat}"
        )
        print(f"{'':<34} {'median ms':>10} {'queries':>8} {'queries (3 projects)':>21}")
        print(f"{'dashboard, all projects':<34} {ms:>10.1f} {count:>8} {small_count:>21}")
        print(f"{'dashboard, one organisation':<34} {org_ms:>10.1f} {org_count:>8}")
        print(f"{'summary selector alone':<34} {selector_ms:>10.1f} {len(queries):>8}")
        print(
            f"CPU of this process (median): page {statistics.median(page_cpu) * 1000:.1f} ms, "
            f"selector {statistics.median(cpu) * 1000:.1f} ms; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        failed = ms >= BUDGET_MS or count != small_count
        print("ok" if not failed else f"FAILED: budget {BUDGET_MS} ms, or queries grow")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
