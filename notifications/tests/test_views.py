"""My work, the inbox, preferences, unsubscribe without signing in, and mentions."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.kinds import Delivery, Kind
from notifications.models import Notification, Preference
from notifications.sweep import sweep
from people.models import OutboxMessage
from projects.models import Comment, Measurement
from projects.tests.factories import ProjectFactory, ProjectRoleFactory, UserFactory
from totem.tests.factories import ready_pack

from .conftest import NOW


def test_my_work_lists_the_figures_i_own_with_a_link_to_enter_them(owned, client):
    indicator, owner = owned
    client.force_login(owner)
    response = client.get(reverse("home"))
    work = response.context["work"]
    [item] = work.figures
    assert item.indicator == indicator and item.due.needs_figure
    assert item.url in response.text
    Measurement.objects.create(
        project=indicator.project, indicator=indicator, date=timezone.localdate(), value=1
    )
    assert not client.get(reverse("home")).context["work"].figures


def test_a_newcomer_sees_how_to_start(db, client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert "Welcome to Totem" in response.text
    assert "When a project lead gives you a role" in response.text


def test_a_governor_sees_the_pack_waiting_for_a_decision(project, member_of, client):
    governor = member_of("governor")
    pack = ready_pack(project=project)
    client.force_login(governor)
    response = client.get(reverse("home"))
    assert response.context["work"].decisions == [pack]
    assert reverse("review:decision-create", args=[project.pk]) in response.text


def test_the_home_page_reads_a_fixed_number_of_queries_however_many_projects(
    owned, client
):
    indicator, owner = owned
    client.force_login(owner)
    client.get(reverse("home"))  # the first request of a session reads a little more
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for _ in range(5):
        project = ProjectFactory()
        ProjectRoleFactory(project=project, user=owner, role="contributor")
    client.get(reverse("home"))  # computes and keeps the new projects' outcome-focus scores
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))
    assert len(many) == len(few)


def test_inbox_mark_read_and_mark_all_read(owned, client):
    indicator, owner = owned
    sweep(now=NOW)
    services.notifications_create(items=[services.NewNotification(
        key="x", recipient_id=owner.pk, kind=Kind.MENTIONED, project_id=indicator.project_id,
        title="Mentioned", url="/",
    )])
    client.force_login(owner)
    first = Notification.objects.filter(recipient=owner).first()
    client.post(reverse("notifications:notification-read", args=[first.pk]))
    assert Notification.objects.filter(recipient=owner, read_at=None).count() == 1
    response = client.get(reverse("notifications:inbox"))
    assert response.context["unread_notifications"]() == 1
    assert 'id="unread-count">1<' in response.text
    client.post(reverse("notifications:notifications-read-all"))
    assert not Notification.objects.filter(recipient=owner, read_at=None).exists()


def test_nobody_can_mark_anothers_notification(owned, client):
    indicator, owner = owned
    sweep(now=NOW)
    note = Notification.objects.get(recipient=owner)
    client.force_login(UserFactory())
    client.post(reverse("notifications:notification-read", args=[note.pk]))
    client.post(reverse("notifications:notifications-read-all"))
    note.refresh_from_db()
    assert note.read_at is None


def test_the_inbox_hides_projects_i_can_no_longer_see(owned, client):
    indicator, owner = owned
    sweep(now=NOW)
    owner.project_roles.all().delete()
    client.force_login(owner)
    response = client.get(reverse("notifications:inbox"))
    assert response.context["rows"] == [] and indicator.name not in response.text


def test_preferences_have_defaults_and_save(db, client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("notifications:preferences"))
    assert response.context["form"]["decision_recorded"].value() == Delivery.DAILY
    data = {kind.value: Delivery.AT_ONCE for kind in Kind}
    data["mentioned"] = Delivery.WEEKLY
    client.post(reverse("notifications:preferences"), data)
    assert Preference.objects.get(user=user, kind="mentioned").delivery == Delivery.WEEKLY
    bad = client.post(reverse("notifications:preferences"), {**data, "mentioned": "hourly"})
    assert bad.status_code == 200 and "not one of the available choices" in bad.text


def test_unsubscribe_works_without_signing_in(db, client):
    user = UserFactory()
    token = services.unsubscribe_token(user, [Kind.FIGURE_DUE])
    url = reverse("notifications:unsubscribe", args=[token])
    page = client.get(url)  # a link scanner's GET changes nothing
    assert page.status_code == 200 and "A figure I own is due" in page.text
    assert not Preference.objects.exists()
    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", with no cookie or token.
    done = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "no longer emails you" in done.text
    assert Preference.objects.get(user=user, kind="figure_due").delivery == Delivery.OFF


def test_a_tampered_unsubscribe_link_is_refused(db, client):
    user = UserFactory()
    token = services.unsubscribe_token(user, [Kind.FIGURE_DUE])
    response = client.post(reverse("notifications:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 400 and not Preference.objects.exists()


def test_a_mention_notifies_the_member_named_and_nobody_outside(project, member_of):
    author, named = member_of("governor"), member_of("contributor")
    named.username = "ada.lovelace"
    named.save()
    outsider = UserFactory(username="grace")
    Comment.objects.create(
        project=project, author=author, body="@ada.lovelace, and @grace: the costs?"
    )
    sweep(now=timezone.now())
    [note] = Notification.objects.all()
    assert note.recipient == named and note.kind == Kind.MENTIONED
    assert "the costs?" in note.body and note.url.endswith(f"#comment-{Comment.objects.get().pk}")
    assert OutboxMessage.objects.filter(to=named.email).count() == 1
    assert not OutboxMessage.objects.filter(to=outsider.email).exists()
    sweep(now=timezone.now() + datetime.timedelta(minutes=1))
    assert Notification.objects.count() == 1


def test_a_new_governors_pack_asks_the_governors_for_a_decision(project, member_of):
    governor, lead = member_of("governor"), member_of("lead")
    pack = ready_pack(project=project, user=lead)
    type(pack).objects.filter(pk=pack.pk).update(rendered_at=timezone.now(), requested_by=lead)
    sweep(now=timezone.now())
    assert Notification.objects.get(recipient=governor).kind == Kind.DECISION_REQUESTED
    assert Notification.objects.get(recipient=lead).kind == Kind.PACK_READY


def test_a_person_given_a_role_by_someone_else_is_told_and_sees_it_on_my_work(
    project, lead, client
):
    from simple_history.utils import update_change_reason  # noqa: F401  (history is recorded)

    from projects.services import project_role_set

    newcomer = UserFactory()
    from simple_history.models import HistoricalRecords

    HistoricalRecords.context.request = type("R", (), {"user": lead})()  # as a request would
    try:
        project_role_set(project=project, user=newcomer, role="governor")
    finally:
        del HistoricalRecords.context.request
    project_role_set(project=project, user=lead, role="lead")  # a change, not an invitation
    sweep(now=timezone.now())
    [note] = Notification.objects.filter(kind=Kind.INVITATION)
    assert note.recipient == newcomer and "as governor" in note.title
    client.force_login(newcomer)
    assert note.title in client.get(reverse("home")).text
