"""The outbox: written with the change that caused it, sent once, kept while SMTP is down."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from people.mail import email_queue, outbox_send, outbox_send_due
from people.models import OutboxMessage
from projects.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def queue(**overrides):
    options = {"to": "ada@example.nhs.uk", "subject": "Totem test message",
               "template": "emails/test_message", "context": {}} | overrides
    return email_queue(**options)


def test_a_message_is_sent_when_its_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(headers={"List-Unsubscribe": "<https://totem.example/u/1>"})
        assert mail.outbox == []  # nothing leaves before the change that caused it is saved
    [sent] = mail.outbox
    assert sent.to == ["ada@example.nhs.uk"] and sent.subject == "Totem test message"
    assert "email from http://127.0.0.1:8000 reaches you" in sent.body
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html" and 'role="presentation"' in html
    assert sent.extra_headers["List-Unsubscribe"] == "<https://totem.example/u/1>"
    assert sent.extra_headers["Message-ID"] == message.message_id
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 1


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue()
            raise RuntimeError("the change failed")
    assert mail.outbox == [] and not OutboxMessage.objects.exists()


def test_a_dedupe_key_is_queued_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert queue(dedupe_key="reminder:7:2026-12-04") is not None
        with transaction.atomic():
            assert queue(dedupe_key="reminder:7:2026-12-04") is None
            assert OutboxMessage.objects.count() == 1  # the caller's transaction is intact
    assert len(mail.outbox) == 1


def test_the_plain_text_part_is_not_html_escaped():
    message = queue(subject="Tom & Jerry\n<tea>")
    assert message.subject == "Tom & Jerry <tea>"  # a header holds no line break
    assert "<title>Tom &amp; Jerry &lt;tea&gt;</title>" in message.body_html
    assert "&amp;" not in message.body_text


def test_a_claimed_message_is_not_sent_again():
    message = queue()
    assert outbox_send(message_id=message.pk) == "sent"
    assert outbox_send(message_id=message.pk) == ""  # a second worker finds nothing to send
    assert len(mail.outbox) == 1


def test_production_forgets_a_sent_body(settings):
    settings.MAIL_KEEP_SENT_BODIES = False
    message = queue()
    outbox_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.body_text == message.body_html == "" and message.status == "sent"


def test_the_outbox_survives_a_mail_server_outage(smtp_server, capsys):
    """A real SMTP server on loopback: down, the message waits with its error; up, it goes once."""
    message = queue()
    assert outbox_send(message_id=message.pk) == "failed"  # the server is down
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED and message.attempts == 1
    assert "Connection refused" in message.last_error or "Errno" in message.last_error
    assert message.next_attempt_at > timezone.now()  # backs off before trying again
    call_command("send_queued_mail")  # not due yet: nothing is tried
    message.refresh_from_db()
    assert message.attempts == 1

    smtp_server.start()
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    call_command("send_queued_mail")
    call_command("send_queued_mail")  # a second sweep, or a second worker, sends nothing more
    assert outbox_send(message_id=message.pk) == ""
    [received] = smtp_server.inbox.messages
    assert received["To"] == "ada@example.nhs.uk" and received["Message-ID"] == message.message_id
    assert received.is_multipart()
    parts = {part.get_content_type() for part in received.walk()}
    assert {"text/plain", "text/html"} <= parts
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 2
    assert message.last_error == ""
    assert "1 sent, 0 kept for a later try" in capsys.readouterr().out


def test_a_message_abandoned_mid_send_is_offered_again():
    message = queue()
    long_ago = timezone.now() - timedelta(hours=1)
    OutboxMessage.objects.update(status=OutboxMessage.Status.SENDING, claimed_at=long_ago)
    assert outbox_send_due() == (1, 0)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_send_test_email_queues_through_the_outbox(capsys):
    call_command("send_test_email", "it@example.nhs.uk")
    assert OutboxMessage.objects.get().to == "it@example.nhs.uk"
    assert "Queued message" in capsys.readouterr().out


def test_site_staff_read_sent_mail_and_open_its_html(client):
    message = queue(subject="You are invited")
    client.force_login(UserFactory(is_staff=True))
    page = client.get(reverse("people:mail-list"))
    assert "You are invited" in page.content.decode()
    detail = client.get(reverse("people:mail-detail", args=[message.pk])).content.decode()
    assert "reaches you" in detail and 'href="http://127.0.0.1:8000"' in detail
    html = client.get(reverse("people:mail-html", args=[message.pk]))
    assert html.content.decode() == message.body_html


def test_other_people_cannot_read_sent_mail(client):
    message = queue()
    client.force_login(UserFactory())
    for name in ("mail-list", "mail-detail", "mail-html"):
        args = [] if name == "mail-list" else [message.pk]
        response = client.get(reverse(f"people:{name}", args=args))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite's shared in-memory test database refuses a second writer "
    "at once ('table is locked') instead of waiting",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_a_message_twice(smtp_server):
    """Twenty messages queued while the mail server is down; it comes back and two senders
    sweep at once, each on its own database connection: every message arrives exactly once."""
    import threading

    messages = [queue(to=f"person{n}@example.nhs.uk") for n in range(20)]  # each fails at once
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    smtp_server.start()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    start = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            start.wait()
            results.append(outbox_send_due())
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    received = sorted(message["To"] for message in smtp_server.inbox.messages)
    assert received == sorted(message.to for message in messages)
    assert sum(sent for sent, _ in results) == 20
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
