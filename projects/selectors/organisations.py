"""Which organisations a person is offered, and finding a partner by what they were told.

Nothing in Totem lists the organisations of the installation: a person is offered the
organisations they belong to (as a project's lead, for instance), and names any other — a
partner — by its exact name or its code (`Organisation.code`, e.g. an NHS ODS code), which
they know from the partner, not from Totem.
"""

from django.db.models import Q

from ..models import Organisation

MAX_NAMED = 30  # organisations named at once, e.g. a project's partners


def organisations_of(user):
    """The organisations `user` belongs to, by name."""
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name").distinct()


def _key(text: str) -> str:
    return " ".join(text.split())


def organisations_named(names) -> tuple[list[Organisation], list[str]]:
    """(the organisations found, the names that match none): each name is an organisation's
    exact name or code, ignoring case and repeated spaces — never a part of one."""
    wanted = [_key(name) for name in names if _key(name)]
    if not wanted:
        return [], []
    query = Q()
    for name in wanted:
        query |= Q(name__iexact=name) | Q(code__iexact=name)
    candidates = list(Organisation.objects.filter(query))
    found, unknown = [], []
    for name in wanted:
        match = next(
            (
                org
                for org in candidates
                if name.casefold() in (_key(org.name).casefold(), org.code.casefold())
            ),
            None,
        )
        if match is None:
            unknown.append(name)
        elif match not in found:
            found.append(match)
    return found, unknown
