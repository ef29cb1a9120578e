"""Single sign-on without a browser: the sign-in policy an organisation sets in the admin, the
sign-in page's button, and a provider that cannot be reached. The flow itself is proven against
a real provider in test_sso_browser.py."""

import socket

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from people import sso_services
from people.models import OrganisationDomain, OrganisationSignIn
from projects.models import Membership
from projects.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def sso_only_member(db):
    membership = MembershipFactory()
    OrganisationSignIn.objects.create(organisation=membership.organisation, sso_only=True)
    return membership.user


def test_a_single_sign_on_only_organisation_refuses_its_members_passwords(
    client, sso_only_member, settings
):
    settings.OIDC_ISSUER, settings.OIDC_RP_CLIENT_ID = "https://login.example/tenant/v2.0", "t"
    response = client.post(
        reverse("login"), {"username": sso_only_member.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your organisation signs in with single sign-on only" in page
    assert "Use “Sign in with NHSmail” below." in page
    assert 'href="/sso/start/"' in page
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_obeys_single_sign_on_only_too(client, sso_only_member):
    sso_only_member.is_staff = True
    sso_only_member.save()
    response = client.post(
        reverse("admin:login"), {"username": sso_only_member.username, "password": PASSWORD}
    )
    assert "single sign-on only" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_other_people_and_a_wrong_password_are_unchanged(client, sso_only_member):
    other = MembershipFactory().user  # an organisation that allows passwords
    OrganisationSignIn.objects.create(organisation=OrganisationFactory(), sso_only=False)
    assert client.post(
        reverse("login"), {"username": other.username, "password": PASSWORD}
    ).status_code == 302
    client.post(reverse("logout"))
    # A wrong password says nothing about the organisation's policy.
    wrong = client.post(reverse("login"), {"username": sso_only_member.username,
                                           "password": "wrong"})
    assert "single sign-on" not in wrong.content.decode()


def test_no_button_when_single_sign_on_is_not_configured(client, db, settings):
    settings.OIDC_ISSUER = ""
    assert b"/sso/start/" not in client.get(reverse("login")).content
    response = client.get(reverse("people:sso-start"), follow=True)
    assert "Single sign-on is not set up on this server." in response.content.decode()


def test_a_provider_that_cannot_be_reached_is_explained(client, db, settings):
    with socket.socket() as s:  # a loopback port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.OIDC_ISSUER = f"http://127.0.0.1:{port}"
    settings.OIDC_RP_CLIENT_ID = "totem"
    response = client.get(reverse("people:sso-start"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "NHSmail cannot be reached just now" in response.content.decode()


def test_a_callback_without_a_sign_in_under_way_is_explained(client, db, settings):
    settings.OIDC_ISSUER, settings.OIDC_RP_CLIENT_ID = "https://login.example/t/v2.0", "t"
    response = client.get(reverse("people:sso-callback"), {"code": "x", "state": "y"},
                          follow=True)
    assert "out of date or has already been used" in response.content.decode()
    cancelled = client.get(
        reverse("people:sso-callback"),
        {"error": "access_denied", "error_description": "End-User aborted interaction"},
        follow=True,
    )
    assert "NHSmail did not sign you in: End-User aborted interaction" in (
        cancelled.content.decode()
    )


def test_a_new_account_joins_the_organisation_that_named_its_domain(db):
    trust = OrganisationFactory()
    OrganisationDomain.objects.create(organisation=trust, domain="trust.nhs.uk")
    taken = UserFactory(username="ada@trust.nhs.uk", email="someone-else@example.org")
    user = sso_services.user_create_from_sso(email="Ada@Trust.NHS.uk", name="Ada Lovelace")
    assert (user.email, user.first_name, user.last_name) == ("ada@trust.nhs.uk", "Ada",
                                                             "Lovelace")
    assert user.username != taken.username
    assert list(Membership.objects.filter(user=user).values_list("organisation", "role")) == [
        (trust.pk, "member")
    ]
    outsider = sso_services.user_create_from_sso(email="bob@elsewhere.org")
    assert not Membership.objects.filter(user=outsider).exists()


@pytest.mark.parametrize("domain", ["@trust", "trust nhs.uk", "http://trust.nhs.uk", "UK"])
def test_a_domain_must_look_like_one(db, domain):
    with pytest.raises(ValidationError):
        OrganisationDomain(organisation=OrganisationFactory(), domain=domain).full_clean()


def test_a_domain_is_kept_in_lower_case(db):
    row = OrganisationDomain(organisation=OrganisationFactory(), domain=" @Trust.NHS.uk ")
    row.full_clean()
    assert row.domain == "trust.nhs.uk"
