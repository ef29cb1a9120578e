"""Reads for the "My work" home page and the inbox, each in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse

from projects.access import Need, rights
from projects.due import Due
from projects.models import Indicator, Project
from projects.selectors.due import indicator_due, with_last_value
from totem.models import Decision, Pack
from totem.review.portfolio import ProjectSummary, summarise_projects

from .kinds import DEFAULT_DELIVERY, Kind
from .models import Notification, Preference


@dataclass(frozen=True)
class FigureItem:
    indicator: Indicator
    project: Project
    due: Due
    url: str  # where the figure is entered


@lru_cache(maxsize=1)
def _entry_url_pattern() -> str:
    return reverse("projects:measurement-quick-entry", args=[0]).replace("/0/", "/{}/")


def figure_entry_url(project_id: int, period_start: date) -> str:
    """Where a period's figures are entered (reverse() once, not once per figure)."""
    return _entry_url_pattern().format(project_id) + f"?date={period_start:%Y-%m-%d}"


@dataclass
class MyWork:
    figures: list[FigureItem] = field(default_factory=list)
    decisions: list[Pack] = field(default_factory=list)
    mentions: list[Notification] = field(default_factory=list)
    invitations: list[Notification] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    glance: list[ProjectSummary] = field(default_factory=list)
    archived: list[Project] = field(default_factory=list)

    @property
    def anything_waiting(self) -> bool:
        return bool(self.figures or self.decisions or self.mentions or self.invitations)


def my_work(user, *, today: date) -> MyWork:
    """What needs `user`, in a fixed number of queries whatever the number of projects and
    indicators (the portfolio summary's, and five)."""
    work = MyWork()
    projects = list(
        Project.objects.for_user(user)
        .select_related("lead_organisation")
        .annotate(task_count=Count("tasks", distinct=True))
        .order_by("title")
    )
    live = {p.pk: p for p in projects if not p.archived_at}
    work.projects = list(live.values())
    work.archived = [p for p in projects if p.archived_at and p.user_role == "lead"]
    editable = [pk for pk, p in live.items() if Need.EDIT in rights(p.user_role)]
    mine = with_last_value(
        Indicator.objects.filter(project_id__in=editable, owner_person=user)
    )
    for indicator in mine:
        project = live[indicator.project_id]
        state = indicator_due(indicator, project, today=today)
        if state.needs_figure:
            url = figure_entry_url(project.pk, state.period.start)
            work.figures.append(FigureItem(indicator, project, state, url))
    work.figures.sort(key=lambda item: (not item.due.is_overdue, item.due.due_on))
    governed = [pk for pk, p in live.items() if Need.DECIDE in rights(p.user_role)]
    latest = {}
    packs = (
        Pack.objects.filter(
            project_id__in=governed, kind=Pack.Kind.PROJECT, status=Pack.Status.READY
        )
        .annotate(decided=Exists(Decision.objects.filter(pack=OuterRef("pk"))))
        .order_by("project_id", "-version")
    )
    for pack in packs:
        latest.setdefault(pack.project_id, pack)
    for pack in latest.values():
        if not pack.decided:
            pack.project = live[pack.project_id]
            work.decisions.append(pack)
    news = (
        Notification.objects.visible_to(user)
        .unread()
        .filter(kind__in=[Kind.MENTIONED, Kind.INVITATION])
        .select_related("project")[:20]
    )
    for note in news:
        (work.mentions if note.kind == Kind.MENTIONED else work.invitations).append(note)
    # At a glance: the portfolio's summary of each project (readiness, outcome focus, Making
    # Data Count icon counts, overdue figures), the same numbers as the dashboard's.
    work.glance = summarise_projects(work.projects, today=today)
    return work


def inbox(user, *, limit: int = 50) -> list[Notification]:
    """The newest notifications `user` may still see, each marked `.done` when its figure has
    since been entered: two queries."""
    rows = list(
        Notification.objects.visible_to(user).select_related("project").order_by("-created_at")[
            :limit
        ]
    )
    open_ids = set(
        Notification.objects.filter(pk__in=[r.pk for r in rows])
        .unresolved()
        .values_list("pk", flat=True)
    )
    for row in rows:
        row.done = row.pk not in open_ids
    return rows


def unread_count(user) -> int:
    return Notification.objects.visible_to(user).unread().unresolved().count()


def preferences(user) -> dict[str, str]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY[kind]) for kind in Kind}
