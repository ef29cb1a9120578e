"""The lead's download of a whole project as one file (see totem.transfer)."""

import logging

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from projects.access import Need, get_project_for_user

from . import TransferError, dumps, project_export

log = logging.getLogger("totem.transfer")


@require_safe
def project_export_download(request, project_id):
    project = get_project_for_user(request.user, project_id, need=Need.MANAGE)
    try:
        data = project_export(project)
    except TransferError as error:
        messages.error(request, f"The project could not be exported. {error}")
        return redirect("projects:project-edit", project.pk)
    log.info("project exported user=%s project=%s", request.user.pk, project.pk)
    response = HttpResponse(dumps(data), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{download_name(project)}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


def download_name(project) -> str:
    words = slugify(project.title)[:60].strip("-") or "project"
    return f"{words}-{timezone.localdate().isoformat()}.json"
