"""Every write about packs and decisions. Views, tasks and commands call these.

- `pack_request` answers "the pack of this content": the stored one when nothing it shows has
  changed, otherwise a new version, queued for the background worker (or rendered at once).
- `pack_render` makes the PDF and keeps it in the default storage with its SHA-256.
- `decision_record` records a governor's decision on one exact, rendered pack.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from projects.models import Organisation, Project

from .. import pdf
from ..models import Decision, Pack
from . import kinds

log = logging.getLogger("totem.packs")

MAX_SHRINK = 3  # a one-page layout is tried at most this many sizes smaller


def _owner(pack: Pack) -> dict:
    """What a pack's versions are numbered within: its project, or organisation and round."""
    if pack.project_id:
        return {"project_id": pack.project_id}
    return {"organisation_id": pack.organisation_id, "assessment_id": pack.assessment_id}


def content_for(
    kind: str, *, project: Project | None = None, organisation=None, user=None, assessment=None
):
    if kind == Pack.Kind.PROJECT:
        return kinds.project_pack(project)
    if kind == Pack.Kind.POSTER:
        return kinds.poster(project)
    if kind == Pack.Kind.ROUND:
        return kinds.round_report(assessment)
    return kinds.portfolio(organisation, list(kinds.portfolio_projects(organisation, user)))


def pack_request(
    *,
    kind: str,
    user,
    project: Project | None = None,
    organisation: Organisation | None = None,
    assessment=None,
    render_now: bool = False,
) -> Pack:
    """The pack of the current content of `project` (or of `organisation`'s portfolio as
    `user` may see it): the existing one if that content was asked for before, else a new
    version, queued for the background worker — or rendered here with `render_now`.

    A self-assessment report is of `organisation`'s round `assessment`.

    A pack that failed, or has waited far longer than a render may take, is queued again.
    """
    content = content_for(
        kind, project=project, organisation=organisation, user=user, assessment=assessment
    )
    if project is not None:
        owner = {"project": project}
    else:
        owner = {"organisation": organisation, "assessment": assessment}
    pack, created = _get_or_create(kind, owner, content, user)
    if created:
        _start(pack, render_now)
    elif pack.status == Pack.Status.FAILED or pack_is_stuck(pack):
        pack_retry(pack=pack, render_now=render_now)
    else:
        return pack
    pack.refresh_from_db()
    return pack


def _get_or_create(kind: str, owner: dict, content, user) -> tuple[Pack, bool]:
    for _attempt in range(3):
        existing = Pack.objects.filter(kind=kind, fingerprint=content.fingerprint, **owner).first()
        if existing is not None:
            return existing, False
        latest = Pack.objects.filter(kind=kind, **owner).aggregate(top=Max("version"))["top"]
        try:
            with transaction.atomic():
                pack = Pack.objects.create(
                    kind=kind,
                    version=(latest or 0) + 1,
                    fingerprint=content.fingerprint,
                    project_ids=sorted(content.project_ids),
                    assessment_ids=sorted(content.assessment_ids),
                    requested_by=user if getattr(user, "pk", None) else None,
                    **owner,
                )
        except IntegrityError:
            continue  # someone asked at the same moment: take theirs, or the next version
        return pack, True
    raise RuntimeError("Could not allocate a pack version after three attempts.")


def pack_is_stuck(pack: Pack) -> bool:
    """Waiting or rendering for much longer than a render may take: the worker was stopped."""
    if not pack.is_pending:
        return False
    since = pack.started_at or pack.created_at
    return timezone.now() - since > timedelta(seconds=settings.PDF_RENDER_TIMEOUT * 2 + 300)


def pack_retry(*, pack: Pack, render_now: bool = False) -> None:
    Pack.objects.filter(pk=pack.pk).update(status=Pack.Status.QUEUED, error="", started_at=None)
    _start(pack, render_now)


def _start(pack: Pack, render_now: bool) -> None:
    if render_now:
        pack_render(pack_id=pack.pk)
        return
    from .tasks import render_pack  # the task module imports these services

    render_pack.enqueue(pack.pk)


def pack_render(*, pack_id: int, attempt: int = 1) -> Pack | None:
    """Make the PDF of a queued pack. Returns None when another worker already has it.

    The content is worked out again here, at render time (see `content_to_render`), and what
    the PDF shows — its projects and rounds, and their fingerprint — is stored in the same
    save that makes the pack ready. Who may download the pack is decided from that record
    alone (`totem.review.access.may_read_pack`), so it can never say less than the file holds.

    `attempt` is the run of the background job (totem.jobs): attempt 2 takes over a pack left
    "being made" by a worker that died, and only the latest attempt stores its result.
    """
    claimed = Pack.objects.filter(
        Q(status=Pack.Status.QUEUED) | Q(status=Pack.Status.RENDERING, attempt__lt=attempt),
        pk=pack_id,
    ).update(status=Pack.Status.RENDERING, started_at=timezone.now(), attempt=attempt)
    if not claimed:
        return None
    pack = Pack.objects.select_related(
        "project__lead_organisation", "organisation", "assessment__framework"
    ).get(pk=pack_id)
    try:
        content = content_to_render(pack)
        rendered = _render(pack, content)
    except pdf.PdfError as error:
        return _fail(pack, str(error), attempt)
    except Exception:
        log.exception("pack %s failed", pack.pk)
        _fail(
            pack,
            "The PDF could not be made because of an error in Totem. It has been logged.",
            attempt,
        )
        raise
    digest = hashlib.sha256(rendered).hexdigest()
    pack.file.save(f"{pack.kind}.pdf", ContentFile(bytes(rendered)), save=False)
    pack.sha256 = digest
    pack.size = len(rendered)
    pack.pages = rendered.pages
    pack.render_seconds = round(rendered.seconds, 3)
    pack.status = Pack.Status.READY
    pack.rendered_at = timezone.now()
    pack.error = ""
    pack.project_ids = sorted(content.project_ids)
    pack.assessment_ids = sorted(content.assessment_ids)
    pack.fingerprint = _fingerprint_for(pack, content.fingerprint)
    if not _store_if_latest(pack, attempt, *_RESULT_FIELDS):
        pack.file.delete(save=False)  # a later attempt took over: its result is the one kept
        return None
    log.info("pack %s rendered: %s pages in %.2fs", pack.pk, pack.pages, rendered.seconds)
    return pack


# What a finished render writes, in one conditional UPDATE: the file and the record of what it
# shows go together, or not at all.
_RESULT_FIELDS = (
    "file",
    "sha256",
    "size",
    "pages",
    "render_seconds",
    "status",
    "rendered_at",
    "error",
    "project_ids",
    "assessment_ids",
    "fingerprint",
)


def _store_if_latest(pack: Pack, attempt: int, *fields: str) -> bool:
    """Save `fields` of `pack` unless a later attempt has taken it over since."""
    values = {name: getattr(pack, name) for name in fields}
    return bool(Pack.objects.filter(pk=pack.pk, attempt=attempt).update(**values))


def content_to_render(pack: Pack):
    """The content of `pack` as it is now. A portfolio shows the projects it was asked for
    that its requester may still see and that are not archived — never one more: a role given
    while it waited does not add a project to a pack other readers were promised."""
    if pack.kind != Pack.Kind.PORTFOLIO:
        return content_for(
            pack.kind, project=pack.project, organisation=pack.organisation,
            assessment=pack.assessment,
        )
    projects = kinds.portfolio_projects(pack.organisation, pack.requested_by)
    return kinds.portfolio(pack.organisation, projects.filter(pk__in=pack.project_ids))


def _fingerprint_for(pack: Pack, rendered: str) -> str:
    """The key the pack is found by from now on: the fingerprint of what it shows. When the
    content changed while it waited into content another version of the same owner already
    has, this one keeps a key nobody asks for (it stays downloadable by its page)."""
    if rendered == pack.fingerprint:
        return rendered
    others = Pack.objects.filter(kind=pack.kind, fingerprint=rendered, **_owner(pack))
    if not others.exclude(pk=pack.pk).exists():
        return rendered
    return hashlib.sha256(f"{rendered}:superseded:{pack.pk}".encode()).hexdigest()


def _fail(pack: Pack, message: str, attempt: int) -> Pack:
    pack.status = Pack.Status.FAILED
    pack.error = message
    _store_if_latest(pack, attempt, "status", "error")
    return pack


def _render(pack: Pack, content):
    meta = kinds.PackMeta(
        kind=pack.kind,
        version=pack.version,
        made_on=timezone.localdate(pack.created_at),
        previous=previous_pack(pack),
    )
    shrink = 0
    while True:
        rendered = pdf.render_pdf(content.template, content.context(meta, shrink=shrink))
        if not content.one_page or rendered.pages == 1 or shrink >= MAX_SHRINK:
            return rendered
        shrink += 1


def previous_pack(pack: Pack) -> Pack | None:
    return (
        Pack.objects.filter(
            kind=pack.kind, status=Pack.Status.READY, version__lt=pack.version, **_owner(pack)
        )
        .order_by("-version")
        .first()
    )


# --- decisions ------------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    project: Project,
    pack: Pack,
    user,
    outcome: str,
    decided_on: date,
    conditions: str = "",
    decided_by: str = "",
) -> Decision:
    """Record a decision on one rendered version of the project's governors' pack."""
    if pack.project_id != project.pk or pack.kind != Pack.Kind.PROJECT:
        raise ValidationError({"pack": "Choose a governors' pack of this project."})
    if not pack.is_ready:
        raise ValidationError({"pack": "This pack has not been made yet: wait until it is ready."})
    if outcome == Decision.Outcome.APPROVED_WITH_CONDITIONS and not conditions.strip():
        raise ValidationError({"conditions": "Write the conditions of the approval."})
    decision = Decision(
        project=project,
        pack=pack,
        outcome=outcome,
        conditions=conditions.strip(),
        decided_on=decided_on,
        decided_by=decided_by.strip(),
        pack_sha256=pack.sha256,
        recorded_by=user,
    )
    decision.full_clean()
    decision.save()
    return decision


def pack_file_intact(pack: Pack) -> bool:
    """Whether the stored file still has the checksum recorded when it was made."""
    digest = hashlib.sha256()
    with pack.file.open("rb") as stored:
        for chunk in iter(lambda: stored.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest() == pack.sha256
