"""Writes of the API: tokens, and batches of measurements pushed by a data warehouse.

A batch is checked by the spreadsheet import's own rules (`projects.imports.check_rows`) and
recorded by the same service as an upload (`measurements_record`), so the API accepts exactly
what the import accepts and records it the same way.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from projects import imports
from projects.models import Indicator, Project
from projects.selectors.measures import indicator_refs
from projects.services.measures import MeasurementEntry, measurements_record

from .models import AccessToken, MeasurementBatch

log = logging.getLogger("totem.api")

TOKEN_PREFIX = "totem_"
MAX_BATCH_ROWS = imports.MAX_ROWS
BATCH_COLUMNS = ("indicator_id", "indicator", "date", "value", "note", "evidence")


def token_hash(secret: str) -> str:
    """A token is 256 random bits, so a fast hash is enough: nothing can be guessed from it."""
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, name: str, scope: str, expires_at: datetime) -> tuple[AccessToken, str]:
    """A new token and its secret; the secret is not stored and cannot be shown again."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(
        user=user,
        name=name.strip(),
        scope=scope,
        expires_at=expires_at,
        key_hash=token_hash(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 4],
    )
    if expires_at <= timezone.now():
        raise ValidationError({"expires_at": "Choose an expiry date in the future."})
    token.full_clean()
    token.save()
    log.info("token created user=%s token=%s name=%r", user.pk, token.pk, token.name)
    return token, secret


def token_revoke(*, token: AccessToken) -> AccessToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log.info("token revoked user=%s token=%s name=%r", token.user_id, token.pk, token.name)
    return token


def token_mark_used(*, token: AccessToken, now: datetime) -> None:
    """Record the use, at most once a minute per token, so reads do not each write a row."""
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= 60:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- pushing measurements ----------------------------------------------------------------------


class BatchRejected(Exception):
    """The batch was not recorded; `errors` says why, row by row (row numbers count from 1)."""

    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


class BatchKeyReused(Exception):
    """The idempotency key was used before for different rows."""


@dataclass(frozen=True)
class BatchResult:
    batch: MeasurementBatch
    replayed: bool  # True: the same batch was recorded before; nothing was recorded now


def batch_fingerprint(rows: list[dict]) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()


def _sheet(rows: list[dict]) -> imports.Sheet:
    """The pushed rows as the import reads a spreadsheet: the heading row is row 0, so the
    import's line numbers are the rows' positions, counted from 1."""
    cells = []
    for number, row in enumerate(rows, start=1):
        indicator = row.get("indicator")
        by_id = isinstance(indicator, int) and not isinstance(indicator, bool)
        cells.append(
            (
                number,
                (
                    indicator if by_id else None,
                    None if by_id else indicator,
                    row.get("period"),
                    row.get("value"),
                    row.get("note"),
                    row.get("evidence"),
                ),
            )
        )
    return imports.Sheet(kind="api", header=BATCH_COLUMNS, rows=tuple(cells))


def _row_errors(checked: imports.Checked) -> list[dict]:
    field_of = {"indicator_id": "indicator", "date": "period"}
    return [
        {"row": e.line, "field": field_of.get(e.column, e.column), "message": e.message}
        for e in checked.errors
    ]


def measurement_batch_push(
    *, project: Project, user, token: AccessToken | None, idempotency_key: str, rows: list[dict]
) -> BatchResult:
    """Record every row or none. A key seen before with the same rows answers with the first
    batch's result and records nothing; with other rows it is refused (BatchKeyReused)."""
    fingerprint = batch_fingerprint(rows)
    earlier = MeasurementBatch.objects.filter(project=project, idempotency_key=idempotency_key)
    found = earlier.first()
    if found is not None:
        return _replay(found, fingerprint)
    if not rows:
        raise BatchRejected([{"row": None, "field": "rows", "message": "The batch is empty."}])
    if len(rows) > MAX_BATCH_ROWS:
        message = f"A batch holds at most {MAX_BATCH_ROWS:,} rows: split it."
        raise BatchRejected([{"row": None, "field": "rows", "message": message}])
    checked = imports.check_rows(_sheet(rows), indicator_refs(project))
    if checked.errors:
        raise BatchRejected(_row_errors(checked))
    binary = [
        {"row": number, "field": key, "message": "This text holds a NUL character: remove it."}
        for number, row in enumerate(rows, start=1)
        for key, value in row.items()
        if isinstance(value, str) and "\x00" in value
    ]
    if binary:
        raise BatchRejected(binary)
    blank = [
        {"row": line, "field": "value", "message": "No period and no value."}
        for line in checked.skipped
    ]
    if blank:
        raise BatchRejected(blank)
    indicators = Indicator.objects.filter(project=project).in_bulk(
        {row.indicator_id for row in checked.rows}
    )
    entries = [
        MeasurementEntry(indicators[r.indicator_id], r.date, r.value, r.note, r.evidence)
        for r in checked.rows
    ]
    try:
        with transaction.atomic():
            # Claim the key first: a second copy of the batch sent at the same moment waits
            # here for this one, then finds the key taken and is answered from it.
            batch = MeasurementBatch.objects.create(
                project=project,
                idempotency_key=idempotency_key,
                fingerprint=fingerprint,
                user=user,
                token=token,
                token_name=token.name if token else "",
                rows=len(entries),
            )
            summary = measurements_record(project=project, entries=entries, user=user)
            batch.created, batch.replaced = summary.created, summary.replaced
            batch.unchanged = summary.unchanged
            batch.save(update_fields=["created", "replaced", "unchanged"])
    except IntegrityError:
        found = earlier.first()
        if found is None:
            raise
        return _replay(found, fingerprint)
    except ValidationError as error:
        raise BatchRejected(
            [{"row": None, "field": None, "message": m} for m in error.messages]
        ) from error
    log.info(
        "api write token=%r user=%s project=%s batch=%s key=%r rows=%d created=%d replaced=%d",
        batch.token_name,
        getattr(user, "pk", None),
        project.pk,
        batch.pk,
        idempotency_key,
        batch.rows,
        batch.created,
        batch.replaced,
    )
    return BatchResult(batch, replayed=False)


def _replay(batch: MeasurementBatch, fingerprint: str) -> BatchResult:
    if batch.fingerprint != fingerprint:
        raise BatchKeyReused(
            f"The idempotency key “{batch.idempotency_key}” was used on "
            f"{batch.recorded_at:%d %b %Y %H:%M} for a different batch: use a new key."
        )
    return BatchResult(batch, replayed=True)
