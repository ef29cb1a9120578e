"""The sweep: reminders to owners, escalation once, email by preference, never twice, never
across access."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from notifications import services
from notifications.kinds import Delivery, Kind
from notifications.models import Notification
from notifications.sweep import sweep
from people.models import OutboxMessage
from projects.models import Measurement, ProjectRole

from .conftest import NOW

DAY = datetime.timedelta(days=1)


def test_the_owner_of_an_overdue_figure_is_reminded_by_email_with_a_link_to_enter_it(owned):
    indicator, owner = owned
    summary = sweep(now=NOW)
    [note] = Notification.objects.filter(recipient=owner)
    assert note.kind == Kind.FIGURE_OVERDUE and "February 2026" in note.title
    url = reverse("projects:measurement-quick-entry", args=[indicator.project_id])
    assert note.url == url + "?date=2026-02-01"
    [message] = OutboxMessage.objects.filter(to=owner.email)
    assert note.url in message.body_text and indicator.name in message.subject
    assert summary.created == 1 and summary.emailed_people == 1


def test_a_figure_due_but_not_yet_overdue_is_a_due_reminder(owned):
    indicator, owner = owned
    sweep(now=NOW - 8 * DAY)  # 3 March: in the grace period
    assert Notification.objects.get(recipient=owner).kind == Kind.FIGURE_DUE


def test_running_the_sweep_again_sends_nothing_twice(owned):
    sweep(now=NOW)
    again = sweep(now=NOW + datetime.timedelta(minutes=1))
    assert again.created == 0 and again.emailed_people == 0
    assert Notification.objects.count() == 1 and OutboxMessage.objects.count() == 1
    call_command("send_reminders")  # the command, as the clock runs it, today
    sent = OutboxMessage.objects.count()
    call_command("send_reminders")
    assert OutboxMessage.objects.count() == sent


def test_the_lead_is_told_once_when_the_figure_passes_the_second_threshold(owned, lead):
    sweep(now=NOW)
    assert not Notification.objects.filter(recipient=lead).exists()
    sweep(now=NOW + 11 * DAY)  # 22 March: 14 days past the grace period
    sweep(now=NOW + 12 * DAY)
    sweep(now=NOW + 20 * DAY)
    [told] = Notification.objects.filter(recipient=lead)
    assert "still overdue" in told.title
    assert OutboxMessage.objects.filter(to=lead.email).count() == 1


def test_entering_the_figure_clears_the_reminder(owned, client):
    indicator, owner = owned
    sweep(now=NOW)
    client.force_login(owner)
    assert client.get(reverse("notifications:inbox")).context["unread_notifications"]() == 1
    Measurement.objects.create(
        project=indicator.project, indicator=indicator, date=datetime.date(2026, 2, 1), value=6
    )
    response = client.get(reverse("notifications:inbox"))
    assert response.context["unread_notifications"]() == 0
    assert "Entered" in response.text


def test_nobody_is_told_about_a_project_they_can_no_longer_see(owned, lead):
    indicator, owner = owned
    services.preferences_set(user=owner, deliveries={Kind.FIGURE_OVERDUE: Delivery.DAILY})
    sweep(now=NOW)
    assert Notification.objects.filter(recipient=owner).count() == 1
    ProjectRole.objects.filter(user=owner).delete()  # removed before the digest goes
    sweep(now=NOW + 2 * DAY)
    assert not OutboxMessage.objects.filter(to=owner.email).exists()


def test_an_owner_without_a_role_that_may_enter_figures_is_not_reminded(owned):
    indicator, owner = owned
    ProjectRole.objects.filter(user=owner).update(role="viewer")
    sweep(now=NOW)
    assert not Notification.objects.exists()


def test_an_archived_project_reminds_nobody(owned):
    indicator, owner = owned
    type(indicator.project).objects.filter(pk=indicator.project_id).update(archived_at=NOW)
    sweep(now=NOW)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("delivery", [Delivery.DAILY, Delivery.WEEKLY])
def test_digests_gather_notifications_into_one_email_at_the_next_slot(
    owned, another_indicator, delivery
):
    indicator, owner = owned
    type(another_indicator).objects.filter(pk=another_indicator.pk).update(
        frequency="monthly", owner_person=owner, created_at=NOW - 30 * DAY
    )
    services.preferences_set(user=owner, deliveries={Kind.FIGURE_OVERDUE: delivery})
    sweep(now=NOW)
    assert Notification.objects.filter(recipient=owner).count() == 2
    assert not OutboxMessage.objects.filter(to=owner.email).exists()  # waits for the digest
    slot = services.email_after(delivery, NOW)
    assert slot.hour == 7 and (delivery == Delivery.DAILY or slot.weekday() == 0)
    sweep(now=slot)
    [digest] = OutboxMessage.objects.filter(to=owner.email)
    assert digest.subject == "2 things in Totem need you"
    assert indicator.name in digest.body_text and "Second" in digest.body_text


def test_off_means_inbox_only(owned):
    indicator, owner = owned
    services.preferences_set(user=owner, deliveries={Kind.FIGURE_OVERDUE: Delivery.OFF})
    sweep(now=NOW)
    assert Notification.objects.filter(recipient=owner).exists()
    assert not OutboxMessage.objects.exists()


def test_every_email_carries_one_click_unsubscribe_headers(owned):
    sweep(now=NOW)
    message = OutboxMessage.objects.get()
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.headers["List-Unsubscribe"]
    assert link.startswith("<http") and "/notifications/unsubscribe/" in link
    assert link.strip("<>") in message.body_text



def test_the_clock_shows_its_last_sweep_on_the_readiness_check(db, client):
    call_command("send_reminders")  # one sweep, as each turn of the clock's loop
    heartbeats = client.get(reverse("health-ready")).json()["jobs"]["heartbeats"]
    assert 0 <= heartbeats["clock"] < 60  # seconds since its last sweep
