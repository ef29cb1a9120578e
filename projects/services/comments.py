"""Comments by reviewers (governors, contributors, leads) on a project or one item of its chain."""

from django.core.exceptions import ValidationError

from ..models import Comment, Impact, Indicator, Project, Task

MAX_COMMENT_LENGTH = 4000


def comment_create(
    *,
    project: Project,
    author,
    body: str,
    task: Task | None = None,
    impact: Impact | None = None,
    indicator: Indicator | None = None,
) -> Comment:
    """A comment on `project`, or on one task, impact or indicator of it (at most one)."""
    items = [item for item in (task, impact, indicator) if item is not None]
    if len(items) > 1:
        raise ValidationError("A comment is on the project or on one item of its chain.")
    if items and items[0].project_id != project.pk:
        raise ValidationError("That item belongs to another project.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write the comment first."})
    if len(body) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {"body": f"Keep a comment under {MAX_COMMENT_LENGTH} characters."}
        )
    comment = Comment(
        project=project, author=author, body=body, task=task, impact=impact, indicator=indicator
    )
    comment.full_clean()
    comment.save()
    return comment
