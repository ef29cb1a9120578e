"""Benchmark of the reminder sweep, digests and the My work home page (issue 15).

    .venv/bin/python bench/notifications.py [--projects 1000] [--people 3000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/totem_i15_bench .venv/bin/python \
        bench/notifications.py --keep-database

Builds (in a throw-away SQLite database unless DATABASE_URL names an empty one) `--projects`
projects of 40 monthly indicators each (1,000 → 40,000 indicators), `--people` people, each
project with a lead, two contributors and a governor, each indicator owned by one of them and
its latest value one, two or three months back (so figures are not due, due or overdue). Then:

- the sweep with half the indicators, and again with all of them, from empty: seconds and
  queries (the query count must not grow with the indicators: it depends on the people emailed);
- a second sweep straight after (nothing new): seconds and queries;
- a digest: rendering one person's email of ten notifications, median ms;
- My work for a person on 50 projects and on 5: median ms and queries (must be equal).

Exits non-zero when a budget is missed.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_SWEEP_S, BUDGET_DIGEST_MS, BUDGET_HOME_MS = 60, 20, 100


def setup_django(directory: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "totem.settings_test"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{directory}/bench.sqlite3")
    # As in production: each email queued is a row for the worker (who is not running here).
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def months_back(today: date, n: int) -> date:
    index = today.year * 12 + today.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def build(projects: int, people: int, indicators_per_project: int, *, start: int = 0):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from projects.models import (
        Impact,
        Indicator,
        Measurement,
        Organisation,
        Project,
        ProjectRole,
        Task,
    )

    User = get_user_model()
    if not User.objects.exists():
        User.objects.bulk_create(
            User(
                username=f"person{n}",
                email=f"person{n}@example.nhs.uk",
                first_name="Person",
                last_name=str(n),
            )
            for n in range(people)
        )
    users = list(User.objects.order_by("pk").values_list("pk", flat=True))
    organisation, _ = Organisation.objects.get_or_create(name="Bench NHS Trust")
    if not Project.objects.exists():
        Project.objects.bulk_create(
            Project(title=f"Project {p}", lead_organisation=organisation) for p in range(projects)
        )
        rows = []
        for n, project_id in enumerate(Project.objects.order_by("pk").values_list("pk", flat=True)):
            for r, role in enumerate(("lead", "contributor", "contributor", "governor")):
                rows.append(
                    ProjectRole(
                        project_id=project_id, user_id=users[(n * 3 + r) % len(users)], role=role
                    )
                )
        ProjectRole.objects.bulk_create(rows)
    roles = {}
    for project_id, user_id, role in ProjectRole.objects.values_list(
        "project_id", "user_id", "role"
    ):
        if role != "governor":
            roles.setdefault(project_id, []).append(user_id)
    today = timezone.localdate()
    added = timezone.now() - timedelta(days=800)
    new_indicators = []
    for project_id, owners in roles.items():
        task = Task.objects.filter(project_id=project_id).first() or Task.objects.create(
            project_id=project_id, title="Task"
        )
        impact = Impact.objects.filter(task=task).first() or Impact.objects.create(
            project_id=project_id, task=task, statement="Impact"
        )
        for i in range(start, start + indicators_per_project):
            new_indicators.append(
                Indicator(
                    project_id=project_id,
                    impact=impact,
                    position=i,
                    name=f"Indicator {i}",
                    frequency="monthly",
                    owner_person_id=owners[i % len(owners)],
                    created_at=added,
                )
            )
    Indicator.objects.bulk_create(new_indicators, batch_size=5000)
    created = Indicator.objects.filter(
        position__gte=start, position__lt=start + indicators_per_project
    )
    Measurement.objects.bulk_create(
        (
            Measurement(
                project_id=project_id, indicator_id=pk, date=months_back(today, 1 + pk % 3), value=1
            )
            for pk, project_id in created.values_list("pk", "project_id")
        ),
        batch_size=5000,
    )


def timed_sweep():
    from django.db import connection

    from notifications.sweep import sweep

    queries = []  # counted, not kept: a sweep runs more than Django's debug log holds

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        summary = sweep()
        seconds = time.perf_counter() - started
    return seconds, len(queries), summary


def reset_notifications():
    from notifications.models import Notification
    from people.models import OutboxMessage

    Notification.objects.all().delete()
    OutboxMessage.objects.all().delete()


def digest_ms(repeat: int) -> float:
    from django.contrib.auth import get_user_model
    from django.template.loader import get_template

    from notifications.models import Notification

    user = Notification.objects.values_list("recipient", flat=True).first()
    user = get_user_model().objects.get(pk=user)
    rows = list(Notification.objects.filter(recipient=user).select_related("project")[:10])
    rows = (rows * 10)[:10]
    context = {
        "user": user,
        "rows": rows,
        "site_url": "https://totem.example",
        "unsubscribe_url": "https://totem.example/u/x",
        "preferences_url": "https://t/p",
        "kinds": ["A figure is overdue"],
        "subject": "10 things",
    }
    text, html = (
        get_template(f"notifications/email/notifications.{ext}") for ext in ("txt", "html")
    )
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        text.render(context)
        html.render(context)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def home(user, repeat: int):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    client.get("/")
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/")
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(times), len(queries)


def person_on(projects: int):
    from django.contrib.auth import get_user_model

    from projects.models import Indicator, Project, ProjectRole

    user = get_user_model().objects.create(
        username=f"busy{projects}", email=f"b{projects}@x.nhs.uk"
    )
    chosen = list(Project.objects.order_by("pk").values_list("pk", flat=True)[:projects])
    ProjectRole.objects.bulk_create(
        ProjectRole(project_id=pk, user=user, role="contributor") for pk in chosen
    )
    for pk in chosen:  # two figures of each project are theirs
        ids = list(Indicator.objects.filter(project_id=pk).values_list("pk", flat=True)[:2])
        Indicator.objects.filter(pk__in=ids).update(owner_person=user)
    return user


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup_django(directory)
        failed = []
        build(args.projects, args.people, 20)
        half_s, half_q, half = timed_sweep()
        print(f"sweep, {half.indicators} indicators: {half_s:.1f} s, {half_q} queries — {half}")
        _, half_scan_q, _ = timed_sweep()
        print(f"  of which reading and deciding (a sweep with nothing new): {half_scan_q} queries")
        reset_notifications()
        build(args.projects, args.people, 20, start=20)
        full_s, full_q, full = timed_sweep()
        print(f"sweep, {full.indicators} indicators: {full_s:.1f} s, {full_q} queries — {full}")
        again_s, again_q, again = timed_sweep()
        print(f"sweep again at once: {again_s:.1f} s, {again_q} queries — {again}")
        print("  (a sweep's queries: a fixed number to read and decide, plus about four for each "
              "person emailed, whatever the number of indicators)")
        if full_s >= BUDGET_SWEEP_S:
            failed.append("sweep time")
        if again_q != half_scan_q:
            failed.append("sweep queries grow with the indicators")
        digest = digest_ms(args.repeat * 10)
        print(f"digest of 10 notifications rendered (text + HTML): {digest:.2f} ms median")
        if digest >= BUDGET_DIGEST_MS:
            failed.append("digest")
        busy_ms, busy_q = home(person_on(50), args.repeat)
        few_ms, few_q = home(person_on(5), args.repeat)
        print(f"My work, person on 50 projects: {busy_ms:.1f} ms median, {busy_q} queries")
        print(f"My work, person on 5 projects: {few_ms:.1f} ms median, {few_q} queries")
        if busy_ms >= BUDGET_HOME_MS:
            failed.append("home time")
        if busy_q != few_q:
            failed.append("home queries grow with projects")
        if failed:
            print("MISSED:", ", ".join(failed))
            sys.exit(1)
        print("All within budget.")


if __name__ == "__main__":
    main()
