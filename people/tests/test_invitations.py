"""Invitations: by email, with a role no higher than the inviter may give, by a single-use,
expiring link whose token is stored only as a hash."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from people.models import Invitation, OutboxMessage
from projects.models import Membership, ProjectRole
from projects.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def invite(client, project, email="colleague@example.nhs.uk", role="contributor"):
    return client.post(reverse("people:project-people", args=[project.pk]),
                       {"email": email, "role": role})


def accept(client, path, **fields):
    data = {"first_name": "Grace", "last_name": "Hopper", "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42"} | fields
    return client.post(path, data)


def test_a_lead_invites_a_newcomer_who_joins_with_the_role(guest, lead_client, project,
                                                           link_in):
    response = invite(lead_client, project)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.project) == (
        "colleague@example.nhs.uk", "contributor", project)
    message = OutboxMessage.objects.get(to="colleague@example.nhs.uk")
    assert message.subject == f"Join {project.title} on Totem"
    path = link_in(message)
    assert path in message.body_html  # both parts carry the link
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())  # only the hash is stored
    assert invitation.expires_at - invitation.sent_at == timedelta(days=7)

    page = guest.get(path)
    assert "Make your account" in page.text and "colleague@example.nhs.uk" in page.text
    response = accept(guest, path)
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:project-detail", args=[project.pk])
    user = User.objects.get(email="colleague@example.nhs.uk")
    assert user.get_full_name() == "Grace Hopper" and user.check_password("a long pass phrase 42")
    assert project.roles.get(user=user).role == "contributor"
    assert guest.get(response["Location"]).status_code == 200  # signed in, on the project


def test_the_link_works_once(guest, lead_client, project, link_in):
    invite(lead_client, project)
    path = link_in(OutboxMessage.objects.get())
    accept(guest, path)
    guest.logout()
    again = guest.get(path)
    assert again.status_code == 410 and "already been used" in again.text
    assert accept(guest, path, first_name="Mallory").status_code == 410
    assert User.objects.filter(first_name="Mallory").count() == 0


def test_an_expired_link_gets_a_clear_page(guest, lead_client, project, link_in):
    invite(lead_client, project)
    path = link_in(OutboxMessage.objects.get())
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page = guest.get(path)
    assert page.status_code == 410 and "has expired" in page.text
    assert accept(guest, path).status_code == 410 and not project.roles.filter(
        user__email="colleague@example.nhs.uk").exists()


@pytest.mark.parametrize("token", ["mistyped", "x" * 43, "%00", "a" * 400])
def test_a_mistyped_link_gets_a_clear_page(client, token):
    page = client.get(f"/invitations/{token}/")
    assert page.status_code == 410 and "not valid" in page.text


def test_a_withdrawn_invitation_stops_working(guest, lead_client, project, link_in):
    invite(lead_client, project)
    invitation = Invitation.objects.get()
    path = link_in(OutboxMessage.objects.get())
    page = lead_client.get(reverse("people:project-people", args=[project.pk]))
    assert "colleague@example.nhs.uk" in page.text and "Withdraw" in page.text
    lead_client.post(reverse("people:project-invitation-revoke", args=[project.pk, invitation.pk]))
    page = guest.get(path)
    assert page.status_code == 410 and "withdrawn" in page.text
    people = lead_client.get(reverse("people:project-people", args=[project.pk]))
    assert people.context["invitations"] == []


def test_sending_again_replaces_the_link(guest, lead_client, project, link_in):
    invite(lead_client, project)
    invitation = Invitation.objects.get()
    first = link_in(OutboxMessage.objects.get())
    Invitation.objects.update(expires_at=timezone.now() - timedelta(days=1))  # it had expired
    lead_client.post(reverse("people:project-invitation-resend", args=[project.pk, invitation.pk]))
    second = link_in(OutboxMessage.objects.latest("pk"))
    assert first != second and OutboxMessage.objects.count() == 2
    assert guest.get(first).status_code == 410
    assert accept(guest, second).status_code == 302


def test_an_existing_account_gets_the_role_at_once_and_an_email(lead_client, project):
    colleague = UserFactory(email="Colleague@Example.nhs.uk")
    response = invite(lead_client, project, email="colleague@example.nhs.uk", role="governor")
    assert project.roles.get(user=colleague).role == "governor"
    assert not Invitation.objects.exists()
    message = OutboxMessage.objects.get()
    assert message.to == "Colleague@Example.nhs.uk" and "governor" in message.subject
    assert reverse("projects:project-detail", args=[project.pk]) in message.body_text
    assert response.status_code == 302


def test_the_people_page_says_the_same_whether_or_not_an_account_exists(lead_client, project):
    UserFactory(email="known@example.nhs.uk")
    said = []
    for email in ("known@example.nhs.uk", "unknown@example.nhs.uk"):
        page = lead_client.post(reverse("people:project-people", args=[project.pk]),
                                {"email": email, "role": "viewer"}, follow=True)
        [message] = [str(m) for m in page.context["messages"]]
        said.append(message.replace(email, "ADDRESS"))
    assert said[0] == said[1]


@pytest.mark.parametrize("role", ["contributor", "governor", "viewer"])
def test_only_a_lead_invites_to_a_project(client, project, member_of, role):
    client.force_login(member_of(role))
    assert invite(client, project, role="viewer").status_code == 403
    assert not Invitation.objects.exists() and not OutboxMessage.objects.exists()


def test_an_invitation_cannot_give_a_role_that_does_not_exist(lead_client, project):
    page = invite(lead_client, project, role="superuser")
    assert page.status_code == 200 and "Select a valid choice" in page.text
    assert not Invitation.objects.exists()


def test_an_invitation_cannot_raise_a_role_once_its_sender_lost_the_right(
    guest, lead_client, lead, project, member_of, link_in
):
    invite(lead_client, project, role="lead")
    path = link_in(OutboxMessage.objects.get())
    member_of("lead")  # another lead, so the inviter can be stepped down
    ProjectRole.objects.filter(project=project, user=lead).update(role="viewer")
    page = guest.get(path)
    assert page.status_code == 410 and "can no longer give that role" in page.text
    assert accept(guest, path).status_code == 410
    assert not project.roles.filter(user__email="colleague@example.nhs.uk").exists()


def test_the_role_comes_from_the_invitation_not_the_form(guest, lead_client, project, link_in):
    invite(lead_client, project, role="viewer")
    path = link_in(OutboxMessage.objects.get())
    accept(guest, path, role="lead")
    assert project.roles.get(user__email="colleague@example.nhs.uk").role == "viewer"


def test_a_signed_in_person_accepts_with_their_account(guest, lead_client, project, link_in):
    invite(lead_client, project, email="new.address@example.nhs.uk", role="viewer")
    path = link_in(OutboxMessage.objects.get())
    someone = UserFactory()
    guest.force_login(someone)
    assert f"Accept as {someone.username}" in guest.get(path).text
    response = guest.post(path)
    assert response.status_code == 302 and project.roles.get(user=someone).role == "viewer"


def test_a_weak_password_is_refused_and_nothing_is_made(guest, lead_client, project, link_in):
    invite(lead_client, project)
    path = link_in(OutboxMessage.objects.get())
    page = accept(guest, path, password1="password", password2="password")
    assert page.status_code == 200 and "too short" in page.text
    assert not User.objects.filter(email="colleague@example.nhs.uk").exists()
    page = accept(guest, path, password2="something else entirely")
    assert "The two passwords differ." in page.text


def test_invitations_are_rate_limited_per_inviter(lead_client, project, settings):
    settings.INVITATIONS_PER_HOUR = 3
    for n in range(3):
        assert invite(lead_client, project, email=f"p{n}@example.nhs.uk").status_code == 302
    page = invite(lead_client, project, email="p4@example.nhs.uk")
    assert page.status_code == 200 and "the most allowed" in page.text
    assert Invitation.objects.count() == 3 and OutboxMessage.objects.count() == 3


def test_an_organisation_admin_invites_a_member(client, project, link_in):
    organisation = project.lead_organisation
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    client.force_login(admin)
    url = reverse("people:organisation-people", args=[organisation.pk])
    response = client.post(url, {"email": "newcomer@example.nhs.uk", "role": "member"})
    assert response.status_code == 302
    path = link_in(OutboxMessage.objects.get())
    client.logout()
    assert accept(client, path).status_code == 302
    membership = Membership.objects.get(user__email="newcomer@example.nhs.uk")
    assert membership.organisation == organisation and membership.role == "member"


def test_a_member_who_is_not_admin_cannot_invite_to_the_organisation(client, project):
    organisation = project.lead_organisation
    member = MembershipFactory(organisation=organisation).user
    client.force_login(member)
    url = reverse("people:organisation-people", args=[organisation.pk])
    assert client.post(url, {"email": "x@example.nhs.uk", "role": "admin"}).status_code == 403
    assert not Invitation.objects.exists()


def test_accepting_never_changes_a_role_already_held(guest, lead_client, project, member_of,
                                                     link_in):
    invite(lead_client, project, email="someone.new@example.nhs.uk", role="viewer")
    path = link_in(OutboxMessage.objects.get())
    governor = member_of("governor")
    guest.force_login(governor)
    assert guest.post(path).status_code == 302
    assert project.roles.get(user=governor).role == "governor"
    assert Invitation.objects.get().accepted_at is not None


def test_with_single_sign_on_the_invitation_offers_it_and_comes_back_to_accept(
    guest, lead_client, project, link_in, settings
):
    invite(lead_client, project)
    path = link_in(OutboxMessage.objects.get())
    assert "people/sso" not in guest.get(path).text  # not configured: no button
    settings.OIDC_ISSUER, settings.OIDC_RP_CLIENT_ID = "https://login.example.nhs.uk", "totem"
    settings.OIDC_BUTTON_LABEL = "Sign in with NHSmail"
    page = guest.get(path).text
    assert "Sign in with NHSmail" in page
    assert f'{reverse("people:sso-start")}?next={path}' in page.replace("%2F", "/")
