"""Packs for tests that need one without rendering a PDF."""

import hashlib

from django.core.files.base import ContentFile

from totem.models import Pack
from totem.packs import services

FAKE_PDF = b"%PDF-1.7\n% a stored pack\n%%EOF\n"


def ready_pack(kind=Pack.Kind.PROJECT, *, project=None, organisation=None, user=None,
               assessment=None, data=FAKE_PDF):
    """A ready pack of the current content, as if the worker had made it."""
    content = services.content_for(
        kind, project=project, organisation=organisation, user=user, assessment=assessment
    )
    if project:
        owner = {"project": project}
    else:
        owner = {"organisation": organisation, "assessment": assessment}
    version = Pack.objects.filter(kind=kind, **owner).count() + 1
    pack = Pack.objects.create(
        kind=kind, version=version, fingerprint=content.fingerprint, status=Pack.Status.READY,
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), pages=3,
        project_ids=list(content.project_ids), **owner,
    )
    pack.file.save("pack.pdf", ContentFile(data))
    return pack
