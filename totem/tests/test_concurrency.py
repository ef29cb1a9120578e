"""Real concurrency against PostgreSQL: threads, each with its own connection and transaction.

SQLite serialises every write, so these run on PostgreSQL only (CI runs the suite on both).
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from projects import services
from projects.models import Measurement, Task
from projects.services.measures import measurement_record
from projects.tests.factories import IndicatorFactory, TaskFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs a database with real concurrency"
    ),
]


def run_together(count, work):
    """Start `count` threads on `work(i)` at the same instant; return results or exceptions."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def runner(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread met
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_writers_saving_the_same_task_one_wins_the_other_is_told():
    task = TaskFactory(title="Original")
    version = task.version

    def save(i):
        copy = Task.objects.get(pk=task.pk)  # each writer opened the same version
        return services.chain_item_update(item=copy, version=version, title=f"Writer {i}")

    results = run_together(2, save)
    conflicts = [r for r in results if isinstance(r, services.ConflictError)]
    winners = [r for r in results if isinstance(r, Task)]
    assert len(conflicts) == 1 and len(winners) == 1, results
    task.refresh_from_db()
    assert task.title == winners[0].title
    assert task.version == version + 1
    assert conflicts[0].current.title == task.title


def test_fifty_parallel_measurements_for_one_indicator_all_land():
    indicator = IndicatorFactory()
    user = UserFactory()
    first = datetime.date(2026, 1, 5)

    def record(i):
        return measurement_record(
            indicator=indicator,
            date=first + datetime.timedelta(weeks=i),
            value=Decimal(i),
            user=user,
        )

    results = run_together(50, record)
    assert not [r for r in results if isinstance(r, Exception)], results
    values = Measurement.objects.filter(indicator=indicator).values_list("value", flat=True)
    assert sorted(values) == [Decimal(i) for i in range(50)]
