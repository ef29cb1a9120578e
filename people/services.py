"""Writes of the people app: invitations, accounts and email changes.

Each function validates, changes and queues its email in one transaction (the email goes out
only if the change is saved). Access (who may invite to what) is checked by the views through
`projects.access`; these functions check the rules that hold whoever calls them: the role is
one the inviter may grant, the inviter has not run over the sending limit, a token is used once.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from projects.access import Need, rights
from projects.models import Membership, Organisation, Project, ProjectRole
from projects.services import project_role_set

from .mail import email_queue
from .models import EmailChange, Invitation, InvitationSend
from .tokens import token_hash, token_new

User = get_user_model()

INVITATION_LIFETIME = timedelta(days=7)
EMAIL_CHANGE_LIFETIME = timedelta(days=2)


class RateLimited(ValidationError):
    pass


def email_normalise(email: str) -> str:
    return email.strip().lower()


# --- who may grant what ---------------------------------------------------------------------


def grantable_roles(*, inviter, project: Project | None = None,
                    organisation: Organisation | None = None) -> list[str]:
    """The roles `inviter` may give now: a project's lead gives any project role; an
    organisation's admin any membership; nobody else anything."""
    if project is not None:
        role = ProjectRole.objects.filter(project=project, user=inviter).values_list(
            "role", flat=True
        ).first()
        if inviter.is_active and Need.MANAGE in rights(role, archived=bool(project.archived_at)):
            return list(ProjectRole.Role.values)
        return []
    is_admin = Membership.objects.filter(
        organisation=organisation, user=inviter, role=Membership.Role.ADMIN
    ).exists()
    return list(Membership.Role.values) if inviter.is_active and is_admin else []


def _check_may_grant(*, inviter, role, project=None, organisation=None) -> None:
    if role not in grantable_roles(inviter=inviter, project=project, organisation=organisation):
        raise ValidationError("You cannot give that role.")


def _check_rate(inviter) -> None:
    since = timezone.now() - timedelta(hours=1)
    sent = InvitationSend.objects.filter(sent_by=inviter, sent_at__gte=since).count()
    if sent >= settings.INVITATIONS_PER_HOUR:
        raise RateLimited(
            f"You have sent {sent} invitations in the last hour, the most allowed. "
            "Please try again later."
        )
    InvitationSend.objects.create(sent_by=inviter)


def _grant(*, user, role: str, project=None, organisation=None, keep_existing=False) -> None:
    """Give the role; with keep_existing, someone who already has one keeps theirs (accepting
    an invitation never changes a role already held, up or down)."""
    if keep_existing:
        held = (ProjectRole.objects.filter(project=project, user=user) if project is not None
                else Membership.objects.filter(organisation=organisation, user=user))
        if held.exists():
            return
    if project is not None:
        project_role_set(project=project, user=user, role=role)
    else:
        Membership.objects.update_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )


def _landing_url(*, project=None, organisation=None) -> str:
    if project is not None:
        return reverse("projects:project-detail", args=[project.pk])
    return reverse("home")


# --- invitations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InviteOutcome:
    email: str
    invitation: Invitation | None  # None when the address already had an account


@transaction.atomic
def invitation_create(*, inviter, email: str, role: str, project: Project | None = None,
                      organisation: Organisation | None = None) -> InviteOutcome:
    """Invite `email`. An existing account gets the role at once and an email saying so;
    anyone else an email with a single-use link valid for seven days. The caller tells the
    inviter the same thing either way."""
    email = email_normalise(email)
    _check_may_grant(inviter=inviter, role=role, project=project, organisation=organisation)
    _check_rate(inviter)
    target = {"project": project, "organisation": organisation}
    accounts = list(User.objects.filter(email__iexact=email, is_active=True)[:2])
    if len(accounts) == 1:
        [user] = accounts
        _grant(user=user, role=role, **target)
        label = dict((ProjectRole.Role if project else Membership.Role).choices)[role]
        email_queue(
            to=user.email, subject=f"You are now {label.lower()} of {project or organisation}",
            template="emails/role_granted", user=user,
            context={"user": user, "inviter": inviter, "role": label,
                     "target": project or organisation,
                     "action_url": settings.SITE_URL + _landing_url(**target),
                     "action_label": f"Open {project or organisation}"},
        )
        return InviteOutcome(email=email, invitation=None)
    # A new invitation replaces any still pending for the same address and place.
    Invitation.objects.filter(email=email, accepted_at=None, revoked_at=None, **target).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation(email=email, role=role, invited_by=inviter, **target)
    _send(invitation)
    return InviteOutcome(email=email, invitation=invitation)


def _send(invitation: Invitation) -> None:
    """Give the invitation a fresh token and expiry, save it, and queue its email."""
    token, invitation.token_hash = token_new()
    invitation.sent_at = timezone.now()
    invitation.expires_at = invitation.sent_at + INVITATION_LIFETIME
    invitation.full_clean(exclude=["token_hash"] if invitation.pk else None)
    invitation.save()
    url = settings.SITE_URL + reverse("people:invitation-accept", args=[token])
    email_queue(
        to=invitation.email, subject=f"Join {invitation.target} on Totem",
        template="emails/invitation",
        context={"invitation": invitation, "inviter": invitation.invited_by,
                 "role": invitation.role_label(), "target": invitation.target,
                 "expires_at": invitation.expires_at, "action_url": url,
                 "action_label": "Accept the invitation"},
    )


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by) -> Invitation:
    """Send again with a new link (the old one stops working) and seven more days."""
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError("This invitation is no longer pending.")
    _check_may_grant(inviter=by, role=invitation.role, project=invitation.project,
                     organisation=invitation.organisation)
    _check_rate(by)
    _send(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at=None).update(
        revoked_at=timezone.now()
    )


class InvitationProblem(ValidationError):
    """Why a link cannot be used; the message is shown to whoever followed it."""


def invitation_by_token(token: str) -> Invitation:
    """The pending invitation a link names, or InvitationProblem saying why not."""
    invitation = (
        Invitation.objects.select_related("project", "organisation", "invited_by")
        .filter(token_hash=token_hash(token)).first()
    )
    if invitation is None:
        raise InvitationProblem(
            "This invitation link is not valid. Check that it was copied whole, or ask for a "
            "new invitation."
        )
    if invitation.accepted_at:
        raise InvitationProblem("This invitation has already been used. Sign in to continue.")
    if invitation.revoked_at:
        raise InvitationProblem("This invitation was withdrawn. Ask for a new one if you need it.")
    if invitation.expires_at <= timezone.now():
        raise InvitationProblem(
            "This invitation has expired (they last seven days). Ask the person who invited you "
            "to send it again."
        )
    if invitation.role not in grantable_roles(
        inviter=invitation.invited_by, project=invitation.project,
        organisation=invitation.organisation,
    ):  # an invitation never gives more than its sender may give today
        raise InvitationProblem(
            "This invitation is no longer valid: the person who sent it can no longer give "
            "that role. Ask the project's lead for a new one."
        )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> str:
    """Give `user` the invited role, once. Returns where to send them next."""
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    ).update(accepted_at=timezone.now(), accepted_by=user)
    if not claimed:
        raise InvitationProblem("This invitation has already been used. Sign in to continue.")
    target = {"project": invitation.project, "organisation": invitation.organisation}
    _grant(user=user, role=invitation.role, keep_existing=True, **target)
    return _landing_url(**target)


@transaction.atomic
def account_create_from_invitation(*, invitation: Invitation, first_name: str, last_name: str,
                                   password: str):
    """A new account for the invited address (which the link proves the person reads)."""
    if User.objects.filter(username__iexact=invitation.email).exists() or User.objects.filter(
        email__iexact=invitation.email
    ).exists():
        raise InvitationProblem(
            "An account already uses this address. Sign in, then open the link again to accept."
        )
    user = User(username=invitation.email, email=invitation.email, first_name=first_name.strip(),
                last_name=last_name.strip())
    user.set_password(password)
    user.full_clean()
    user.save()
    return user, invitation_accept(invitation=invitation, user=user)


# --- accounts -----------------------------------------------------------------------------------


def account_update(*, user, first_name: str, last_name: str):
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.full_clean()
    user.save(update_fields=["first_name", "last_name"])
    return user


@transaction.atomic
def email_change_request(*, user, new_email: str) -> EmailChange:
    """Send a confirmation link to the new address; the account keeps its old one until then."""
    new_email = email_normalise(new_email)
    EmailChange.objects.filter(user=user, confirmed_at=None).delete()  # one pending at a time
    token, digest = token_new()
    change = EmailChange(user=user, new_email=new_email, token_hash=digest,
                         expires_at=timezone.now() + EMAIL_CHANGE_LIFETIME)
    change.full_clean()
    change.save()
    email_queue(
        to=new_email, subject="Confirm your new email address for Totem",
        template="emails/email_change", user=user,
        context={"user": user, "new_email": new_email, "expires_at": change.expires_at,
                 "action_url": settings.SITE_URL + reverse("people:email-confirm", args=[token]),
                 "action_label": "Confirm this address"},
    )
    return change


def email_change_by_token(token: str) -> EmailChange:
    change = EmailChange.objects.select_related("user").filter(
        token_hash=token_hash(token)).first()
    if change is None or not change.user.is_active:
        raise InvitationProblem("This confirmation link is not valid. Ask for a new one from "
                                "your account page.")
    if change.confirmed_at:
        raise InvitationProblem("This address has already been confirmed.")
    if change.expires_at <= timezone.now():
        raise InvitationProblem("This confirmation link has expired. Ask for a new one from "
                                "your account page.")
    return change


@transaction.atomic
def email_change_confirm(*, change: EmailChange):
    claimed = EmailChange.objects.filter(
        pk=change.pk, confirmed_at=None, expires_at__gt=timezone.now()
    ).update(confirmed_at=timezone.now())
    if not claimed:
        raise InvitationProblem("This address has already been confirmed.")
    user = change.user
    old_email = user.email
    if User.objects.filter(email__iexact=change.new_email).exclude(pk=user.pk).exists():
        raise InvitationProblem("Another account already uses this address.")
    user.email = change.new_email
    user.save(update_fields=["email"])
    if old_email and old_email.lower() != change.new_email:
        email_queue(
            to=old_email, subject="Your Totem email address was changed",
            template="emails/email_changed", user=user,
            context={"user": user, "new_email": change.new_email,
                     "action_url": settings.SITE_URL + reverse("people:account"),
                     "action_label": "Open your account"},
        )
    return user


def sessions_end_elsewhere(*, user, password: str | None) -> None:
    """Sign `user` out of every session: a fresh password hash (same password, new salt) changes
    the hash Django checks each session against. The caller keeps its own session with
    update_session_auth_hash."""
    if user.has_usable_password():
        if not password or not user.check_password(password):
            raise ValidationError("That is not your current password.")
        user.set_password(password)
    else:
        user.set_unusable_password()  # a new random marker: the same effect for SSO-only users
    user.save(update_fields=["password"])
