"""The name sign-in failures are counted under (django-axes' AXES_USERNAME_CALLABLE).

"VICTIM", " victim " and "Victim" are one account to a person guessing passwords, so they are
one counter: the name typed, stripped and case-folded. When it is the username or the email
address of exactly one account, failures count under that account's username, so that
guessing through the username and through the email address share one limit.
"""

import unicodedata

from django.contrib.auth import get_user_model
from django.db.models import Q


def normalise(name) -> str:
    return unicodedata.normalize("NFKC", str(name or "")).strip().casefold()


def lockout_name(request, credentials=None) -> str:
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = getattr(request, "POST", {}).get("username", "")
    name = normalise(typed)
    if not name:
        return name
    accounts = get_user_model().objects.filter(
        Q(username__iexact=name) | Q(email__iexact=name)
    ).values_list("username", flat=True)[:2]
    accounts = list(accounts)
    return normalise(accounts[0]) if len(accounts) == 1 else name
