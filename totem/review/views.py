"""Review and sign-off pages. Thin views: access through `projects.access` (and
`review.access` for portfolios), writes through the services, htmx fragments where a part of
the page updates itself, and everything works as a plain page and form post too."""

import base64

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from assessments.access import get_organisation_for_user, get_round
from projects.access import Need, get_in_project, get_project_for_user
from projects.models import Impact, Indicator, Task
from projects.selectors import project_chain, project_people
from projects.selectors.comments import attach_threads, comment_threads
from projects.services.comments import comment_create as create_comment

from .. import jobs
from ..models import Pack
from ..packs import selectors, services
from . import access
from .forms import CommentForm, DecisionForm

ITEMS = {"task": Task, "impact": Impact, "indicator": Indicator}
PACK_CACHE_SECONDS = 24 * 60 * 60


def serve_pack(request, pack: Pack) -> FileResponse:
    """The stored PDF, as it was made: a download, cacheable by the user's own browser only.
    Every pack is served through here, and only to someone who may see all that is in it."""
    access.readable_pack(request.user, pack)
    response = FileResponse(
        pack.file.open("rb"),
        as_attachment=True,
        filename=pack.download_name,
        content_type="application/pdf",
    )
    # A pack never changes once made (a change makes a new version at a new URL).
    response["Cache-Control"] = f"private, max-age={PACK_CACHE_SECONDS}"
    response["ETag"] = f'"{pack.sha256}"'
    digest = base64.b64encode(bytes.fromhex(pack.sha256)).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    return response


# --- the review page and comments -----------------------------------------------------------


@require_safe
def project_review(request, project_id):
    project = get_project_for_user(request.user, project_id)
    tasks = project_chain(project)
    threads = comment_threads(project)
    attach_threads(tasks, threads)
    context = {
        "project": project,
        "tasks": tasks,
        "project_thread": threads.on("project"),
        "comment_count": threads.count,
        "state": selectors.project_pack_state(project),
        "decisions": selectors.project_decisions(project),
        **_mention_context(project),
    }
    return render(request, "review/project_review.html", context)


def _mention_context(project) -> dict:
    """The members a comment may @mention: for the completion list (mentions.js) and, without
    JavaScript, the hint under each comment box."""
    people = [role.user for role in project_people(project)]
    members = [
        {"handle": user.username, "name": user.get_full_name() or user.username}
        for user in sorted(people, key=lambda user: user.username.lower())
    ]
    return {
        "mention_members": members,
        "mention_handles": [f"@{member['handle']}" for member in members],
    }


def _comment_target(project, on: str) -> dict:
    """{"task": the task} (or impact, or indicator) that `on` names ("impact-12"), or {} for
    the project as a whole: the keyword the comment service takes."""
    if on == "project":
        return {}
    kind, _, pk = on.partition("-")
    if kind not in ITEMS or not pk.isdigit():
        raise Http404("No such item.")
    return {kind: get_in_project(project, ITEMS[kind], int(pk))}


@require_POST
def comment_create(request, project_id):
    project = get_project_for_user(request.user, project_id, need=Need.COMMENT)
    form = CommentForm(request.POST)
    on = request.POST.get("on", "project")
    target = _comment_target(project, on)
    if form.is_valid():
        try:
            create_comment(
                project=project, author=request.user, body=form.cleaned_data["body"], **target
            )
        except ValidationError as error:
            form.add_error(None, error)
    if request.htmx:
        context = {
            "project": project,
            "thread": comment_threads(project).on(on),
            "key": on,
            "label": request.POST.get("label", ""),
            "form": form if form.errors else None,
            "flash": "" if form.errors else "Comment added.",
            **_mention_context(project),
        }
        return render(request, "review/_comments.html", context)
    if form.errors:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        messages.success(request, "Comment added.")
    return redirect(reverse("review:project-review", args=[project.pk]) + f"#thread-{on}")


# --- project packs ---------------------------------------------------------------------------


@require_safe
def pack_current(request, project_id):
    """The governors' pack of the project as it is now: the stored PDF at once when nothing has
    changed since it was made, else the progress page of the new version."""
    project = get_project_for_user(request.user, project_id)
    pack = services.pack_request(kind=Pack.Kind.PROJECT, project=project, user=request.user)
    if pack.is_ready:
        return serve_pack(request, pack)
    return redirect("review:pack-detail", project.pk, pack.pk)


@require_safe
def poster_current(request, project_id):
    """The A3 poster: small enough to make while the user waits."""
    project = get_project_for_user(request.user, project_id)
    pack = services.pack_request(
        kind=Pack.Kind.POSTER, project=project, user=request.user, render_now=True
    )
    if pack.is_ready:
        return serve_pack(request, pack)
    return redirect("review:pack-detail", project.pk, pack.pk)


def pack_detail(request, project_id, pack_id):
    """A pack's page: its progress while it is made (updating itself), then its download, its
    checksum and the decisions recorded on it. POST tries a failed or stuck render again."""
    project = get_project_for_user(request.user, project_id)
    pack = access.readable_pack(request.user, get_in_project(project, Pack, pack_id))
    return _pack_page(
        request,
        pack,
        "review/pack_detail.html",
        {"project": project},
        detail=reverse("review:pack-detail", args=[project.pk, pack.pk]),
        download=reverse("review:pack-download", args=[project.pk, pack.pk]),
    )


def _pack_page(request, pack, template, context, *, detail, download):
    if request.method == "POST":
        if pack.status == Pack.Status.FAILED or services.pack_is_stuck(pack):
            services.pack_retry(pack=pack)
        return redirect(detail)
    context.update(
        pack=pack,
        stuck=services.pack_is_stuck(pack),
        max_attempts=jobs.max_attempts(),
        download_url=download,
        decisions=pack.decisions.select_related("recorded_by") if pack.is_ready else [],
    )
    return render(request, "review/_pack_status.html" if request.htmx else template, context)


@require_safe
def pack_download(request, project_id, pack_id):
    project = get_project_for_user(request.user, project_id)
    pack = access.readable_pack(request.user, get_in_project(project, Pack, pack_id))
    if not pack.is_ready:
        return redirect("review:pack-detail", project.pk, pack.pk)
    return serve_pack(request, pack)


# --- decisions -------------------------------------------------------------------------------


def decision_create(request, project_id):
    project = get_project_for_user(request.user, project_id, need=Need.DECIDE)
    form = DecisionForm(request.POST or None, project=project, initial=_chosen_pack(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_record(
                project=project,
                pack=data["pack"],
                user=request.user,
                outcome=data["outcome"],
                conditions=data["conditions"],
                decided_on=data["decided_on"],
                decided_by=data["decided_by"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Decision recorded: {decision.get_outcome_display().lower()} on version "
                f"{decision.pack.version}.",
            )
            return redirect("review:project-review", project.pk)
    return render(request, "review/decision_form.html", {"project": project, "form": form})


def _chosen_pack(request) -> dict:
    pack = request.GET.get("pack", "")
    return {"pack": int(pack)} if pack.isdigit() else {}


# --- an organisation's packs: portfolios and self-assessment reports --------------------------


@require_safe
def portfolio_current(request, organisation_id):
    """The organisation's portfolio pack of the projects this user may see, as they are now."""
    organisation = get_organisation_for_user(request.user, organisation_id)
    pack = services.pack_request(
        kind=Pack.Kind.PORTFOLIO, organisation=organisation, user=request.user
    )
    return _serve_or_wait(request, pack, organisation)


@require_safe
def round_report(request, organisation_id, round_id):
    """The report of one of the organisation's self-assessment rounds, with its change since
    the previous round and the rounds partners have shared."""
    organisation = get_organisation_for_user(request.user, organisation_id)
    assessment = get_round(organisation, round_id)
    pack = services.pack_request(
        kind=Pack.Kind.ROUND, organisation=organisation, assessment=assessment, user=request.user
    )
    return _serve_or_wait(request, pack, organisation)


def _serve_or_wait(request, pack: Pack, organisation):
    if pack.is_ready:
        return serve_pack(request, pack)
    return redirect("review:org-pack-detail", organisation.pk, pack.pk)


def org_pack_detail(request, organisation_id, pack_id):
    organisation = get_organisation_for_user(request.user, organisation_id)
    pack = access.get_organisation_pack(request.user, organisation, pack_id)
    return _pack_page(
        request,
        pack,
        "review/org_pack_detail.html",
        {"organisation": organisation},
        detail=reverse("review:org-pack-detail", args=[organisation.pk, pack.pk]),
        download=reverse("review:org-pack-download", args=[organisation.pk, pack.pk]),
    )


@require_safe
def org_pack_download(request, organisation_id, pack_id):
    organisation = get_organisation_for_user(request.user, organisation_id)
    pack = access.get_organisation_pack(request.user, organisation, pack_id)
    if not pack.is_ready:
        return redirect("review:org-pack-detail", organisation.pk, pack.pk)
    return serve_pack(request, pack)
