"""Single sign-on end to end: Chromium, Totem and a real OpenID provider on loopback.

Each refusal (a wrong state, a replayed code, an unverified email, an expired token) lands on
the sign-in page with a sentence saying what happened, and nobody is signed in.
"""

import re

import pytest
from django.contrib.auth import get_user_model

from people.models import OrganisationDomain
from projects.models import Membership
from projects.tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
User = get_user_model()


def _alert(page):
    return page.get_by_role("alert").inner_text()


def test_first_sign_in_creates_the_account_and_joins_the_domains_organisation(
    page, live_server, sso_settings, sso_sign_in
):
    trust = OrganisationFactory(name="Northshire NHS Trust")
    OrganisationDomain.objects.create(organisation=trust, domain="trust.nhs.uk")

    sso_sign_in(page, live_server, "ada@trust.nhs.uk")

    assert page.url == f"{live_server.url}/"
    assert "Signed in as Ada Lovelace" in page.get_by_role("navigation").inner_text()
    ada = User.objects.get(email="ada@trust.nhs.uk")
    assert not ada.has_usable_password()
    assert Membership.objects.filter(user=ada, organisation=trust, role="member").exists()

    # Signing in again (the provider remembers her) finds the same account.
    page.get_by_role("button", name="Sign out").click()
    sso_sign_in(page, live_server, None)
    assert "Signed in as Ada Lovelace" in page.get_by_role("navigation").inner_text()
    assert User.objects.filter(email__iexact="ada@trust.nhs.uk").count() == 1


def test_an_existing_account_is_matched_on_its_verified_email(
    page, live_server, sso_settings, sso_sign_in
):
    mary = UserFactory(username="msomerville", email="Mary@College.ac.uk", first_name="Mary")
    sso_sign_in(page, live_server, "mary@college.ac.uk")
    assert page.url == f"{live_server.url}/"
    assert "Signed in as Mary" in page.get_by_role("navigation").inner_text()
    assert User.objects.count() == 1 and User.objects.get().pk == mary.pk


def test_an_unverified_email_is_refused(page, live_server, sso_settings, sso_sign_in):
    UserFactory(username="grace", email="grace@trust.nhs.uk")  # the address is taken already
    sso_sign_in(page, live_server, "grace@trust.nhs.uk")

    assert page.url == f"{live_server.url}/accounts/login/"
    assert "has not verified your email address (grace@trust.nhs.uk)" in _alert(page)
    assert page.get_by_role("button", name="Sign in").is_visible()  # not signed in
    assert User.objects.count() == 1


def test_an_expired_id_token_is_refused(page, live_server, sso_settings, sso_sign_in):
    # This client's ID tokens live one second, and the provider holds its answer back two.
    sso_settings.OIDC_RP_CLIENT_ID = "totem-short-lived"
    sso_settings.OIDC_CLOCK_LEEWAY = 0
    sso_sign_in(page, live_server, "ada@trust.nhs.uk")

    assert page.url == f"{live_server.url}/accounts/login/"
    assert "had expired by the time it reached Totem" in _alert(page)
    assert not User.objects.exists()


def test_a_wrong_state_is_refused(page, live_server, sso_settings):
    # A sign-in started in this browser; an answer comes back for some other one.
    start = page.request.get(f"{live_server.url}/sso/start/", max_redirects=0)
    assert re.search(r"[?&]state=[^&]+", start.headers["location"])
    assert "code_challenge_method=S256" in start.headers["location"]  # PKCE

    page.goto(f"{live_server.url}/sso/callback/?code=stolen-code&state=not-the-state-we-sent")

    assert page.url == f"{live_server.url}/accounts/login/"
    assert "out of date or has already been used" in _alert(page)
    assert not User.objects.exists()


def test_a_replayed_code_is_refused(page, new_page, live_server, sso_settings, sso_sign_in):
    callbacks = []
    page.on("request", lambda r: "/sso/callback/" in r.url and callbacks.append(r.url))
    sso_sign_in(page, live_server, "ada@trust.nhs.uk")
    assert page.url == f"{live_server.url}/" and len(callbacks) == 1
    used_code = re.search(r"[?&]code=([^&]+)", callbacks[0]).group(1)

    # The same browser again: its state was spent with the first use.
    page.goto(callbacks[0])
    assert "out of date or has already been used" in _alert(page)

    # Another browser with a sign-in of its own under way: the provider refuses the old code.
    other = new_page()
    start = other.request.get(f"{live_server.url}/sso/start/", max_redirects=0)
    state = re.search(r"[?&]state=([^&]+)", start.headers["location"]).group(1)
    other.goto(f"{live_server.url}/sso/callback/?code={used_code}&state={state}")

    assert other.url == f"{live_server.url}/accounts/login/"
    assert "did not accept this sign-in (the sign-in code was already used" in _alert(other)
    assert other.get_by_role("button", name="Sign in").is_visible()


def test_a_single_sign_on_skips_the_second_factor(page, live_server, sso_settings, sso_sign_in):
    """The organisation's provider does its own MFA: an organisation admin who must give a code
    after a password goes straight in with single sign-on."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from projects.tests.factories import MembershipFactory

    sso_settings.MFA_REQUIRED = True
    mary = UserFactory(username="mary", email="mary@college.ac.uk", first_name="Mary")
    MembershipFactory(user=mary, role="admin")
    TOTPDevice.objects.create(user=mary, name="Authenticator app", confirmed=True)

    sso_sign_in(page, live_server, "mary@college.ac.uk")
    assert page.url == f"{live_server.url}/"
    page.goto(f"{live_server.url}/account/two-step/")
    assert "your organisation’s provider checks your second factor" in page.inner_text("main")
