"""Benchmark of the pages that show indicators over time (issue 4).

    .venv/bin/python bench/measures.py [--repeat 15]

Builds, in a throw-away SQLite database, a project of 40 tasks x 2 impacts x 2 indicators x 60
monthly measurements (and a 3-task project of the same shape, to compare query counts), then
reports for the poster (plain and coloured by status), the project page, the Indicators page,
the chain editor and one indicator's chart page: the median time per request through Django's
test client and the number of queries. Last, an SPC chart of 500 points: analysed, laid out
and drawn as SVG, with no database involved. Exits non-zero when a query count grows with the
project or the fastest 500-point chart takes 50 ms or more.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPC_BUDGET_MS = 50


def setup_django(directory: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "totem.settings_test"
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def month(index: int) -> date:
    return date(2021 + index // 12, index % 12 + 1, 1)


def build(title: str, *, tasks: int, months: int):
    """The project, built with bulk inserts (services would take minutes and add nothing to
    what is measured here: reads)."""
    from projects.models import Impact, Indicator, Measurement, Organisation, Project, Task

    organisation, _ = Organisation.objects.get_or_create(name="Bench NHS Trust")
    project = Project.objects.create(title=title, lead_organisation=organisation)
    task_rows = Task.objects.bulk_create(
        Task(project=project, position=t, title=f"Task {t} with a title of a usual length")
        for t in range(tasks)
    )
    impacts = Impact.objects.bulk_create(
        Impact(project=project, task=task, position=i, statement=f"Impact {i} of {task.title}")
        for task in task_rows
        for i in range(2)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            project=project,
            impact=impact,
            position=k,
            name=f"Indicator {k} of {impact.pk}",
            kind="leading" if k == 0 else "lagging",
            direction="up",
            target_value=20,
            frequency="monthly",
        )
        for impact in impacts
        for k in range(2)
    )
    Measurement.objects.bulk_create(
        Measurement(
            project=project,
            indicator=indicator,
            date=month(m),
            value=10 + (m * 7 + indicator.pk) % 5 + (3 if m > months // 2 else 0),
        )
        for indicator in indicators
        for m in range(months)
    )
    return project, indicators[0]


def measure(client, url: str, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200, url  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times) * 1000, len(queries)


def spc_500(repeat: int) -> tuple[float, float]:
    """Median and fastest ms to analyse, lay out and draw a 500-point SPC chart (no database).
    The fastest is what the code costs on a quiet machine; the median shows the noise."""
    from django.template.loader import render_to_string

    from projects.models import Indicator, Measurement
    from projects.selectors import measures as selectors

    indicator = Indicator(pk=1, name="500 points", direction="up", target_value=20, unit="%")
    values = [
        Measurement(date=date(2000, 1, 1).fromordinal(730000 + d), value=10 + d % 7)
        for d in range(500)
    ]
    indicator._prefetched_objects_cache = {"measurements": values, "change_points": []}
    times = []
    for _ in range(repeat):
        indicator.__dict__.pop("_totem_analysis", None)
        start = time.perf_counter()
        chart = selectors.indicator_chart(indicator)
        svg = render_to_string(
            "projects/measures/_chart.html", {"chart": chart, "indicator": indicator}
        )
        times.append(time.perf_counter() - start)
    assert svg.count('class="spc-point ') == 500
    return statistics.median(times) * 1000, min(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="requests per page (median)")
    parser.add_argument("--months", type=int, default=60, help="measurements per indicator")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup_django(directory)
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.urls import reverse

        from projects.models import ProjectRole

        user = get_user_model().objects.create_user("bench", password="bench-password-1")
        small, small_indicator = build("Small", tasks=3, months=options.months)
        large, large_indicator = build("Large", tasks=40, months=options.months)
        for project in (small, large):
            ProjectRole.objects.create(project=project, user=user, role="lead")
        client = Client()
        client.force_login(user)
        pages = [
            ("poster", "projects:project-poster", ""),
            ("poster coloured by status", "projects:project-poster", "?colour=status"),
            ("project page", "projects:project-detail", ""),
            ("indicators page", "projects:indicator-list", ""),
            ("chain editor", "projects:project-chain", ""),
            ("one indicator's chart page", "projects:indicator-detail", ""),
        ]
        print(
            f"40 tasks x 2 impacts x 2 indicators x {options.months} measurements "
            f"({160 * options.months:,} values); median of {options.repeat} requests"
        )
        print(f"{'page':<28} {'median ms':>10} {'queries':>8} {'queries (3 tasks)':>18}")
        failed = False
        for label, name, query in pages:
            if name == "projects:indicator-detail":
                args_large, args_small = (
                    [large.pk, large_indicator.pk],
                    [small.pk, small_indicator.pk],
                )
            else:
                args_large, args_small = [large.pk], [small.pk]
            ms, count = measure(client, reverse(name, args=args_large) + query, options.repeat)
            _, small_count = measure(client, reverse(name, args=args_small) + query, 1)
            flag = "" if count == small_count else "  <- grows with the project"
            failed |= count != small_count
            print(f"{label:<28} {ms:>10.1f} {count:>8} {small_count:>18}{flag}")
        spc_ms, fastest = spc_500(options.repeat)
        verdict = "ok" if fastest < SPC_BUDGET_MS else f"over the {SPC_BUDGET_MS} ms budget"
        print(
            f"{'SPC chart of 500 points':<28} {spc_ms:>10.1f} {'0':>8}"
            f"  fastest {fastest:.1f} ms: {verdict}"
        )
        failed |= fastest >= SPC_BUDGET_MS
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
