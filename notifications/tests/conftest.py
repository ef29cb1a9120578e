import datetime

import pytest
from django.utils import timezone

from projects.models import Indicator
from projects.tests.factories import IndicatorFactory

# A Wednesday in March: January's monthly figure is in, February's was due by 28 Feb and is past
# a 7-day grace period (overdue from 8 March); escalation (14 days more) from 22 March.
NOW = timezone.make_aware(datetime.datetime(2026, 3, 11, 9, 0))


@pytest.fixture
def owned(project, chain, lead, member_of):
    """A monthly indicator owned by a contributor, with January's value: February's is overdue."""
    from projects.models import Measurement

    _, impact, indicator = chain
    owner = member_of("contributor")
    owner.first_name, owner.last_name = "Ada", "Owner"
    owner.save()
    Indicator.objects.filter(pk=indicator.pk).update(
        frequency="monthly",
        owner_person=owner,
        created_at=timezone.make_aware(datetime.datetime(2025, 6, 1)),
    )
    Measurement.objects.create(
        project=project, indicator=indicator, date=datetime.date(2026, 1, 1), value=5
    )
    indicator.refresh_from_db()
    return indicator, owner


@pytest.fixture
def another_indicator(chain):
    _, impact, _ = chain
    return IndicatorFactory(impact=impact, name="Second")
