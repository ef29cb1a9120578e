"""Writes of the notifications app: create notifications (once each), email them by preference,
mark them read, set preferences and unsubscribe."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from people.mail import email_queue

from .kinds import DEFAULT_DELIVERY, Delivery, Kind
from .models import Notification, Preference

DIGEST_HOUR = 7  # digests go out from 07:00, local time; weekly ones on Mondays
UNSUBSCRIBE_SALT = "notifications.unsubscribe"
BATCH = 1000


@dataclass(frozen=True)
class NewNotification:
    """What a notification will say, before it is stored: `key` makes it this one."""

    key: str
    recipient_id: int
    kind: str
    title: str
    url: str
    project_id: int | None = None
    body: str = ""
    indicator_id: int | None = None
    period_start: object = None


def deliveries_for(user_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """(user id, kind) → delivery, for the preferences people have set: one query."""
    rows = Preference.objects.filter(user_id__in=set(user_ids))
    return {(user_id, kind): delivery for user_id, kind, delivery in rows.values_list(
        "user_id", "kind", "delivery"
    )}


def email_after(delivery: str, now: datetime) -> datetime | None:
    """When a notification delivered by `delivery` is emailed: now, the next digest, or never."""
    if delivery == Delivery.AT_ONCE:
        return now
    if delivery == Delivery.OFF:
        return None
    local = timezone.localtime(now)
    slot = timezone.make_aware(datetime.combine(local.date(), time(DIGEST_HOUR)))
    if delivery == Delivery.WEEKLY:
        slot += timedelta(days=(7 - local.weekday()) % 7)
    if slot <= now:
        slot += timedelta(days=7 if delivery == Delivery.WEEKLY else 1)
    return slot


def notifications_create(
    *, items: Iterable[NewNotification], now: datetime | None = None
) -> list[Notification]:
    """Store each item unless its key was stored before; returns the ones stored now.

    The unique key is the guarantee: of two sweeps inserting the same key at the same moment,
    the database keeps one row, and only the sweep whose row it is goes on to email it."""
    now = now or timezone.now()
    items = list(items)
    deliveries = deliveries_for(item.recipient_id for item in items)
    token = uuid.uuid4().hex
    rows = [
        Notification(
            recipient_id=item.recipient_id,
            kind=item.kind,
            project_id=item.project_id,
            indicator_id=item.indicator_id,
            period_start=item.period_start,
            title=item.title[:300],
            body=item.body,
            url=item.url,
            dedupe_key=item.key,
            email_after=email_after(
                deliveries.get((item.recipient_id, item.kind), DEFAULT_DELIVERY[item.kind]), now
            ),
            sweep=token,
        )
        for item in items
    ]
    created = []
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        Notification.objects.bulk_create(batch, ignore_conflicts=True)
        keys = [row.dedupe_key for row in batch]
        created += Notification.objects.filter(dedupe_key__in=keys, sweep=token)
    return created


# --- email ------------------------------------------------------------------------------------


def unsubscribe_token(user, kinds: Iterable[str]) -> str:
    return signing.dumps({"u": user.pk, "k": sorted(set(kinds))}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_read(token: str) -> tuple[int, list[str]]:
    """The user id and kinds a signed unsubscribe link names; ValidationError if tampered."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        kinds = [Kind(kind) for kind in data["k"]]
        return int(data["u"]), kinds
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise ValidationError("This unsubscribe link is not valid.") from error


def email_deliver(*, user_ids: list[int], now: datetime | None = None) -> dict[int, int]:
    """Email each of these people every notification whose time has come, in one message each;
    returns how many each message carried. The rows are claimed with FOR UPDATE SKIP LOCKED, so
    two sweeps never email the same row, and only what each reader may still see at this moment
    goes in: the rest are dropped."""
    now = now or timezone.now()
    sent = {}
    with transaction.atomic():
        pending = Notification.objects.filter(
            recipient_id__in=user_ids, emailed_at=None, email_after__lte=now
        ).select_for_update(skip_locked=True, of=("self",))
        pending_ids = list(pending.values_list("pk", flat=True))
        if not pending_ids:
            return sent
        rows = (
            Notification.objects.filter(pk__in=pending_ids)
            .visible()
            .unresolved()
            .select_related("project", "recipient")
            .order_by("recipient_id", "created_at", "pk")
        )
        by_user: dict[int, list[Notification]] = {}
        for row in rows:
            by_user.setdefault(row.recipient_id, []).append(row)
        Notification.objects.filter(pk__in=pending_ids).update(emailed_at=now)
        for user_rows in by_user.values():
            user = user_rows[0].recipient
            if user.email and user.is_active:
                _email(user, user_rows)
                sent[user.pk] = len(user_rows)
    return sent


def _email(user, rows: list[Notification]) -> None:
    kinds = {row.kind for row in rows}
    token = unsubscribe_token(user, kinds)
    unsubscribe_url = reverse("notifications:unsubscribe", args=[token])
    subject = rows[0].title if len(rows) == 1 else f"{len(rows)} things in Totem need you"
    site_url = settings.SITE_URL.rstrip("/")
    email_queue(
        to=user.email,
        subject=subject,
        template="notifications/email/notifications",
        context={
            "user": user,
            "rows": rows,
            "unsubscribe_url": site_url + unsubscribe_url,
            "preferences_url": site_url + reverse("notifications:preferences"),
            "kinds": [Kind(kind).label for kind in sorted(kinds)],
            "action_url": site_url + rows[0].url if len(rows) == 1 else "",
            "action_label": "Open in Totem",
        },
        headers={
            "List-Unsubscribe": f"<{site_url}{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        dedupe_key=f"notifications:{user.pk}:{rows[0].pk}:{rows[-1].pk}:{len(rows)}",
        user=user,
    )


# --- inbox and preferences -----------------------------------------------------------------


def notification_mark_read(*, user, notification_id: int) -> bool:
    updated = Notification.objects.filter(pk=notification_id, recipient=user, read_at=None).update(
        read_at=timezone.now()
    )
    return bool(updated)


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_set(*, user, deliveries: dict[str, str]) -> None:
    for kind, delivery in deliveries.items():
        preference = Preference(user=user, kind=Kind(kind), delivery=Delivery(delivery))
        preference.full_clean(validate_unique=False, validate_constraints=False)
        Preference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )
    # What is waiting to be emailed follows the new choice.
    now = timezone.now()
    for kind, delivery in deliveries.items():
        Notification.objects.filter(recipient=user, kind=kind, emailed_at=None).update(
            email_after=email_after(delivery, now)
        )


def unsubscribe(*, token: str) -> tuple[object, list[str]]:
    """Turn off email of the kinds a signed link names; returns (user, kinds)."""
    user_id, kinds = unsubscribe_read(token)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise ValidationError("This unsubscribe link is not valid.")
    preferences_set(user=user, deliveries=dict.fromkeys(kinds, Delivery.OFF))
    return user, kinds
