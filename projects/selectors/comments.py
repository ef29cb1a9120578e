"""Comment threads of a project and of each item of its chain, in one query."""

from dataclasses import dataclass, field

from ..models import Comment, Project

# What a thread is on: "project", or "<kind>-<pk>" for a task, impact or indicator.
ITEM_KINDS = ("task", "impact", "indicator")


def thread_key(comment: Comment) -> str:
    for kind in ITEM_KINDS:
        pk = getattr(comment, f"{kind}_id")
        if pk:
            return f"{kind}-{pk}"
    return "project"


@dataclass
class Threads:
    by_key: dict[str, list[Comment]] = field(default_factory=dict)

    def on(self, key: str) -> list[Comment]:
        return self.by_key.get(key, [])

    @property
    def count(self) -> int:
        return sum(len(comments) for comments in self.by_key.values())


def comment_threads(project: Project) -> Threads:
    """Every comment on `project`, oldest first, grouped by what it is on."""
    threads = Threads()
    comments = Comment.objects.filter(project=project).select_related("author")
    for comment in comments.order_by("created_at", "pk"):
        threads.by_key.setdefault(thread_key(comment), []).append(comment)
    return threads


def attach_threads(tasks, threads: Threads) -> None:
    """Set `.thread` and `.thread_key` on each task, impact and indicator of a chain loaded by
    `project_chain`, so a template shows each item's comments with no further query."""
    for task in tasks:
        _attach(task, "task", threads)
        for impact in task.impacts.all():
            _attach(impact, "impact", threads)
            for indicator in impact.indicators.all():
                _attach(indicator, "indicator", threads)


def _attach(item, kind: str, threads: Threads) -> None:
    item.thread_key = f"{kind}-{item.pk}"
    item.thread = threads.on(item.thread_key)
