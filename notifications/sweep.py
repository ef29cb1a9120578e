"""The sweep: find what is due or new, store each notification once, email what is due.

Run by `manage.py send_reminders` (the clock runs it with --loop). It reads, in a fixed number
of queries whatever the number of indicators: the scheduled indicators with their latest value,
the roles on live projects, and the comments, packs and decisions of the last few days. Every
notification has a key that the database holds unique, so a sweep run twice, or two sweeps on
two machines at once, store and email each one once; a sweep that dies half way is run again.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone

from projects.access import Need, rights
from projects.models import Comment, Project, ProjectRole
from projects.selectors.due import due_rows, row_due
from totem.models import Decision, Pack

from . import services
from .kinds import Kind
from .models import Notification
from .selectors import figure_entry_url
from .services import NewNotification

EVENT_WINDOW = timedelta(days=7)  # comments, packs and decisions younger than this are read
KEY_CHECK_BATCH = 10_000  # under SQLite's limit of 32,766 parameters a query
EMAIL_BATCH = 200  # people emailed in one transaction (their rows' ids are parameters too)
MENTION = re.compile(r"(?<![\w@])@([\w.+-]*\w)")
Role = ProjectRole.Role


@dataclass
class SweepSummary:
    indicators: int = 0
    created: int = 0
    emailed_people: int = 0
    emailed_notifications: int = 0

    def __str__(self):
        return (
            f"Read {self.indicators} scheduled indicators; {self.created} new notifications; "
            f"emailed {self.emailed_notifications} to {self.emailed_people} people."
        )


class Roles:
    """Who holds which role on every live project: one query."""

    def __init__(self):
        self.by_project: dict[int, dict[int, str]] = defaultdict(dict)
        rows = ProjectRole.objects.filter(project__archived_at=None)
        for project_id, user_id, role in rows.values_list("project_id", "user_id", "role"):
            self.by_project[project_id][user_id] = role

    def may(self, project_id: int, user_id: int | None, need: Need) -> bool:
        return need in rights(self.by_project.get(project_id, {}).get(user_id))

    def with_role(self, project_id: int, role: str) -> list[int]:
        return [u for u, r in self.by_project.get(project_id, {}).items() if r == role]

    def members(self, project_id: int) -> dict[int, str]:
        return self.by_project.get(project_id, {})


def figure_notifications(roles: Roles, today, summary: SweepSummary) -> list[NewNotification]:
    """A reminder to each owner whose figure is due or overdue, and one to the project's leads
    when it is past the second threshold."""
    items = []
    live = Project.objects.filter(archived_at=None)
    titles = dict(live.values_list("pk", "title"))
    for row in due_rows(live).iterator(chunk_size=5000):
        summary.indicators += 1
        state = row_due(row, today=today)
        if not state.needs_figure:
            continue
        indicator_id, project_id, name, _, _, owner = row[:6]
        common = {
            "project_id": project_id,
            "indicator_id": indicator_id,
            "period_start": state.period.start,
            "url": figure_entry_url(project_id, state.period.start),
        }
        if owner and roles.may(project_id, owner, Need.EDIT):
            kind = Kind.FIGURE_OVERDUE if state.is_overdue else Kind.FIGURE_DUE
            verb = "is overdue" if state.is_overdue else f"is due by {state.due_on:%-d %b}"
            items.append(NewNotification(
                key=f"{kind}:{indicator_id}:{state.period.start}:{owner}",
                recipient_id=owner,
                kind=kind,
                title=f"{name} — the figure for {state.period.label} {verb}",
                body=titles[project_id],
                **common,
            ))
        if state.escalated(today):
            for lead in roles.with_role(project_id, Role.LEAD):
                if lead == owner:
                    continue
                items.append(NewNotification(
                    key=f"escalated:{indicator_id}:{state.period.start}:{lead}",
                    recipient_id=lead,
                    kind=Kind.FIGURE_OVERDUE,
                    title=f"{name} — the figure for {state.period.label} is still overdue "
                    f"(due {state.due_on:%-d %b})",
                    body=f"{titles[project_id]}: you lead this project, so you are told once.",
                    **common,
                ))
    return items


def mention_notifications(roles: Roles, since: datetime) -> list[NewNotification]:
    """Each member named as @username in a recent comment, unless they wrote it."""
    from django.contrib.auth import get_user_model

    comments = list(
        Comment.objects.filter(created_at__gte=since, body__contains="@", project__archived_at=None)
        .select_related("project", "author")
    )
    handles = {m.lower() for c in comments for m in MENTION.findall(c.body)}
    users = {
        username.lower(): pk
        for pk, username in get_user_model()
        .objects.filter(username__iregex=r"^(" + "|".join(map(re.escape, handles)) + ")$")
        .values_list("pk", "username")
    } if handles else {}
    items = []
    for comment in comments:
        author = comment.author.get_full_name() or comment.author.username if comment.author else ""
        for handle in {m.lower() for m in MENTION.findall(comment.body)}:
            user_id = users.get(handle)
            if user_id is None or user_id == comment.author_id:
                continue
            if not roles.may(comment.project_id, user_id, Need.VIEW):
                continue  # named, but not on the project: told nothing
            items.append(NewNotification(
                key=f"mentioned:{comment.pk}:{user_id}",
                recipient_id=user_id,
                kind=Kind.MENTIONED,
                project_id=comment.project_id,
                title=f"{author or 'Someone'} mentioned you on {comment.project.title}",
                body=comment.body[:500],
                url=reverse("review:project-review", args=[comment.project_id])
                + f"#comment-{comment.pk}",
            ))
    return items


def review_notifications(roles: Roles, since: datetime) -> list[NewNotification]:
    """Governors' packs waiting for a decision, decisions recorded, packs ready."""
    items = []
    packs = (
        Pack.objects.filter(status=Pack.Status.READY, rendered_at__gte=since)
        .filter(project__archived_at=None)
        .annotate(decided=Exists(Decision.objects.filter(pack=OuterRef("pk"))))
        .select_related("project")
    )
    for pack in packs:
        url = (
            reverse("review:pack-detail", args=[pack.project_id, pack.pk])
            if pack.project_id
            else reverse("review:org-pack-detail", args=[pack.organisation_id, pack.pk])
        )
        if pack.kind == Pack.Kind.PROJECT and not pack.decided:
            for governor in roles.with_role(pack.project_id, Role.GOVERNOR):
                items.append(NewNotification(
                    key=f"decision_requested:{pack.pk}:{governor}",
                    recipient_id=governor,
                    kind=Kind.DECISION_REQUESTED,
                    project_id=pack.project_id,
                    title=f"{pack.project.title}: version {pack.version} of the governors' "
                    "pack waits for your decision",
                    url=url,
                ))
        requester = pack.requested_by_id
        sees = pack.project_id is None or roles.may(pack.project_id, requester, Need.VIEW)
        if requester and sees:
            items.append(NewNotification(
                key=f"pack_ready:{pack.pk}",
                recipient_id=requester,
                kind=Kind.PACK_READY,
                project_id=pack.project_id,
                title=f"Ready: {pack}",
                url=url,
            ))
    decisions = Decision.objects.filter(
        recorded_at__gte=since, project__archived_at=None
    ).select_related("project", "pack")
    for decision in decisions:
        for user_id, role in roles.members(decision.project_id).items():
            if user_id == decision.recorded_by_id or role == Role.VIEWER:
                continue
            items.append(NewNotification(
                key=f"decision_recorded:{decision.pk}:{user_id}",
                recipient_id=user_id,
                kind=Kind.DECISION_RECORDED,
                project_id=decision.project_id,
                title=f"{decision.project.title}: {decision.get_outcome_display().lower()} "
                f"on version {decision.pack.version} of the governors' pack",
                body=decision.conditions,
                url=reverse("review:project-review", args=[decision.project_id]),
            ))
    return items


def invitation_notifications(roles: Roles, since: datetime) -> list[NewNotification]:
    """Each person given a role on a project by someone else (an invitation to an existing
    account takes effect at once), read from the roles' history."""
    added = (
        ProjectRole.history.filter(
            history_type="+", history_date__gte=since, history_user__isnull=False
        )
        .exclude(history_user_id=F("user_id"))
        .select_related("project", "history_user")
    )
    items = []
    for record in added:
        if not roles.may(record.project_id, record.user_id, Need.VIEW):
            continue  # removed since, or the project archived
        who = record.history_user
        by = f" by {who.get_full_name() or who.username}" if who else ""
        items.append(NewNotification(
            key=f"invitation:{record.project_id}:{record.user_id}:{record.history_id}",
            recipient_id=record.user_id,
            kind=Kind.INVITATION,
            project_id=record.project_id,
            title=f"You were added to {record.project.title} as "
            f"{ProjectRole.Role(record.role).label.lower()}{by}",
            url=reverse("projects:project-detail", args=[record.project_id]),
        ))
    return items


def email_due(now: datetime, summary: SweepSummary) -> None:
    """Email everyone whose notifications' time has come, a batch of people at a time."""
    waiting = Notification.objects.filter(emailed_at=None, email_after__lte=now)
    people = sorted(set(waiting.values_list("recipient_id", flat=True)))
    for start in range(0, len(people), EMAIL_BATCH):
        sent = services.email_deliver(user_ids=people[start : start + EMAIL_BATCH], now=now)
        summary.emailed_people += len(sent)
        summary.emailed_notifications += sum(sent.values())


def sweep(*, now: datetime | None = None) -> SweepSummary:
    now = now or timezone.now()
    today = timezone.localdate(now)
    summary = SweepSummary()
    roles = Roles()
    items = figure_notifications(roles, today, summary)
    items += mention_notifications(roles, now - EVENT_WINDOW)
    items += review_notifications(roles, now - EVENT_WINDOW)
    items += invitation_notifications(roles, now - EVENT_WINDOW)
    # Most candidates were stored by an earlier sweep: skip those before inserting (a query per
    # 10,000 candidates);
    # the unique key still decides between two sweeps that race.
    keys = [item.key for item in items]
    stored = set()
    for start in range(0, len(keys), KEY_CHECK_BATCH):
        batch = keys[start : start + KEY_CHECK_BATCH]
        stored.update(
            Notification.objects.filter(dedupe_key__in=batch).values_list("dedupe_key", flat=True)
        )
    fresh = [item for item in items if item.key not in stored]
    summary.created = len(services.notifications_create(items=fresh, now=now))
    email_due(now, summary)
    return summary
