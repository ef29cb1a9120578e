"""Writes for single sign-on: accounts made by a first sign-in, and who may use a password."""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction

from projects.models import Membership

from .sso_models import OrganisationDomain

log = logging.getLogger("people.sso")


def _free_username(email: str) -> str:
    User = get_user_model()
    base = email[:140]
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


@transaction.atomic
def user_create_from_sso(*, email: str, name: str = ""):
    """The account of someone signing in for the first time, with a verified `email`; they join,
    as a member, the organisation that named their email's domain."""
    User = get_user_model()
    email = email.strip().lower()
    first, _, last = (name or "").strip().partition(" ")
    user = User(username=_free_username(email), email=email, first_name=first[:150],
                last_name=last[:150])
    user.set_unusable_password()  # they sign in with single sign-on; a reset can add one
    user.full_clean()
    user.save()
    domain = email.rpartition("@")[2]
    organisation_domain = OrganisationDomain.objects.select_related("organisation").filter(
        domain=domain
    ).first()
    if organisation_domain:
        membership = Membership(user=user, organisation=organisation_domain.organisation,
                                role=Membership.Role.MEMBER)
        membership.full_clean()
        membership.save()
    log.info("sso account created user=%s organisation=%s", user.pk,
             organisation_domain.organisation_id if organisation_domain else None)
    return user
