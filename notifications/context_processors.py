from .selectors import unread_count


def inbox(request):
    """The unread count for the bell in the header: one query, for people signed in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A callable: counted only when a template shows it.
    return {"unread_notifications": lambda: unread_count(user)}
