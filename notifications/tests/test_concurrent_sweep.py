"""Two sweeps at the same moment, as two real processes on PostgreSQL, send nothing twice."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from notifications.models import Notification
from people.models import OutboxMessage
from projects.models import Indicator, Measurement
from projects.tests.factories import (
    ImpactFactory,
    ProjectFactory,
    ProjectRoleFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite runs one writer at a time"
)
ROOT = Path(settings.BASE_DIR)


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_store_and_email_each_reminder_once():
    people = [UserFactory() for _ in range(40)]
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=40)
    for p in range(8):
        project = ProjectFactory()
        impact = ImpactFactory(task=TaskFactory(project=project))
        for person in people:
            ProjectRoleFactory(project=project, user=person, role="contributor")
        for n, person in enumerate(people):
            indicator = Indicator.objects.create(
                project=project, impact=impact, name=f"P{p} figure {n}", frequency="monthly",
                owner_person=person, created_at=timezone.now() - datetime.timedelta(days=400),
            )
            Measurement.objects.create(
                project=project, indicator=indicator, date=last_month, value=1
            )
    env = {**os.environ, "DATABASE_URL": _database_url(), "DEBUG": "1"}
    sweeps = [
        subprocess.Popen(
            [sys.executable, "manage.py", "send_reminders"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]
    outputs = [sweep.communicate(timeout=120) for sweep in sweeps]
    assert [sweep.returncode for sweep in sweeps] == [0, 0], outputs
    assert Notification.objects.count() == 8 * 40
    created = sum(int(out.split("; ")[1].split()[0]) for out, _ in outputs)
    assert created == 8 * 40, outputs  # each notification stored by exactly one sweep
    # Every reminder is in exactly one email to its owner, whichever sweep sent it.
    bodies = list(OutboxMessage.objects.values_list("to", "body_text"))
    for note in Notification.objects.select_related("recipient"):
        carrying = [to for to, body in bodies if note.title in body]
        assert carrying == [note.recipient.email], note.title
    assert not Notification.objects.filter(emailed_at=None).exists()
