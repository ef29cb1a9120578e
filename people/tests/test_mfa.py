"""The second factor: staff and organisation admins who sign in with a password need a TOTP
code in production; anyone may turn it on; make run's demo logins (DEBUG) stay one step."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.mfa_views import SESSION_NEW_KEY
from projects.tests.factories import MembershipFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def production(settings):
    settings.MFA_REQUIRED = True  # what DEBUG off gives (test settings turn it off)
    return settings


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def code(key_hex):
    """What the authenticator app shows now."""
    return f"{totp(bytes.fromhex(key_hex)):06d}"


def set_up_app(client, *, next_url="/"):
    """Goes through the set-up page as a person would; returns the app's key."""
    page = client.get(reverse("people:mfa-setup"), {"next": next_url})
    assert page.status_code == 200
    assert b'src="data:image/svg+xml' in page.content  # the QR code, drawn on the server
    key = client.session[SESSION_NEW_KEY]
    done = client.post(reverse("people:mfa-setup"), {"token": code(key), "next": next_url})
    assert done.status_code == 302 and done["Location"] == next_url
    return key


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "org-admin"])
def test_staff_and_org_admins_must_set_up_a_second_factor(client, production, who):
    user = UserFactory(is_staff=(who == "staff"))
    if who == "org-admin":
        MembershipFactory(user=user, role="admin")
    sign_in(client, user)

    for page in (reverse("home"), reverse("people:mfa")):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("people:mfa-setup") + "?next=")
    if who == "staff":
        response = client.get(reverse("admin:index"))
        assert response["Location"].startswith(reverse("people:mfa-setup"))

    wrong = client.post(reverse("people:mfa-setup"), {"token": "000000", "next": "/"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()

    set_up_app(client)
    assert client.get(reverse("home")).status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed


@pytest.mark.django_db
def test_a_second_sign_in_asks_for_a_code_and_refuses_a_wrong_or_reused_one(client, production):
    admin = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, admin)
    key = set_up_app(client)
    used = code(key)
    client.post(reverse("logout"))

    sign_in(client, admin)
    response = client.get(reverse("admin:index"))
    assert response["Location"] == reverse("people:mfa-verify") + "?next=%2Fadmin%2F"
    wrong = "123456" if used != "123456" else "654321"
    refused = client.post(reverse("people:mfa-verify"), {"token": wrong, "next": "/admin/"})
    assert "That code is not right" in refused.content.decode()
    # The code already used to set the app up (django-otp also slows down repeated failures).
    refused = client.post(reverse("people:mfa-verify"), {"token": used, "next": "/admin/"})
    assert re.search("That code is not right|Too many wrong codes", refused.content.decode())
    assert client.get(reverse("home")).status_code == 302

    device = TOTPDevice.objects.get(user=admin)
    device.last_t -= 1  # the next 30-second step: a fresh code from the app
    device.throttling_failure_count = 0
    device.save()
    ok = client.post(reverse("people:mfa-verify"), {"token": used, "next": "/admin/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_others_sign_in_with_a_password_alone_and_may_turn_a_second_factor_on_and_off(
    client, production
):
    member = MembershipFactory(role="member").user
    sign_in(client, member)
    assert client.get(reverse("home")).status_code == 200
    status = client.get(reverse("people:mfa")).content.decode()
    assert "Off" in status and "Set up two-step sign-in" in status

    key = set_up_app(client, next_url=reverse("people:mfa"))
    client.post(reverse("logout"))
    sign_in(client, member)
    assert client.get(reverse("home"))["Location"].startswith(reverse("people:mfa-verify"))

    # Turning it off needs a right code; then the next sign-in is one step again.
    device = TOTPDevice.objects.get(user=member)
    device.last_t -= 1
    device.save()
    client.post(reverse("people:mfa-verify"), {"token": code(key), "next": "/"})
    refused = client.post(reverse("people:mfa-disable"), {"token": "000000"}, follow=True)
    assert "still on" in refused.content.decode()
    device.refresh_from_db()
    device.last_t -= 1  # a fresh code from the app, after django-otp's pause for a failure
    device.throttling_failure_count = 0
    device.save()
    client.post(reverse("people:mfa-disable"), {"token": code(key)})
    assert not TOTPDevice.objects.filter(user=member).exists()
    client.post(reverse("logout"))
    sign_in(client, member)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_staff_may_not_turn_it_off(client, production):
    staff = UserFactory(is_staff=True)
    sign_in(client, staff)
    key = set_up_app(client)
    response = client.post(reverse("people:mfa-disable"), {"token": code(key)}, follow=True)
    assert "must keep two-step sign-in" in response.content.decode()
    assert TOTPDevice.objects.filter(user=staff).exists()


@pytest.mark.django_db
def test_with_mfa_required_off_staff_sign_in_in_one_step(client, settings):
    """make run (DEBUG on) turns MFA_REQUIRED off: the printed demo logins go straight in."""
    settings.MFA_REQUIRED = False
    staff = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, staff)
    assert client.get(reverse("admin:index")).status_code == 200


def test_mfa_is_required_unless_debug():
    import subprocess
    import sys

    script = "from django.conf import settings; print(settings.MFA_REQUIRED)"
    for debug, expected in (("0", "True"), ("1", "False")):
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {script}"],
            env={"DJANGO_SETTINGS_MODULE": "totem.settings", "DEBUG": debug,
                 "SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin"},
            capture_output=True, text=True, check=True,
        )
        assert result.stdout.strip() == expected


@pytest.mark.django_db
def test_a_code_page_without_a_device_sends_to_set_up(client, production):
    user = UserFactory(is_staff=True)
    sign_in(client, user)
    response = client.get(reverse("people:mfa-verify"))
    assert response["Location"] == reverse("people:mfa-setup")
    assert re.search(rb"QR code", client.get(reverse("people:mfa-setup")).content)
