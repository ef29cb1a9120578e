"""Sign-in limits, session lifetimes, private caching, CSP and the health check."""

import logging
import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from totem.middleware import SESSION_LAST_SEEN, SESSION_STARTED

PASSWORD = "a-long-pass-phrase-2026"


@pytest.fixture
def amina(db):
    return get_user_model().objects.create_user("amina", password=PASSWORD)


def sign_in(client, password, username="amina", address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def test_too_many_failures_pause_sign_in_for_that_account(client, amina, axes_on):
    assert sign_in(client, "wrong").status_code == 200
    assert sign_in(client, "wrong").status_code == 200
    assert sign_in(client, "wrong").status_code == 429  # the third failure pauses it
    locked = sign_in(client, PASSWORD)
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.text
    # From another address the account is paused too: the limit is per account...
    assert sign_in(client, PASSWORD, address="10.0.0.2").status_code == 429


def test_too_many_failures_from_one_address_pause_it_for_every_account(client, amina, axes_on):
    for n in range(3):
        sign_in(client, "wrong", username=f"guess{n}", address="10.9.9.9")
    assert sign_in(client, PASSWORD, address="10.9.9.9").status_code == 429
    assert sign_in(client, PASSWORD, address="10.0.0.7").status_code == 302


def test_sign_in_rotates_the_session_and_is_logged(client, amina, caplog):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    with caplog.at_level(logging.INFO, logger="totem.security"):
        assert sign_in(client, PASSWORD).status_code == 302
        assert client.session.session_key != before
        client.logout()
        sign_in(client, "nope", username="mallory")
    assert f"sign-in user={amina.pk}" in caplog.text
    assert "sign-in failed username='mallory'" in caplog.text
    assert "nope" not in caplog.text


def test_passwords_need_twelve_characters_and_not_a_common_one(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at least 12"):
        validate_password("short-pw")
    with pytest.raises(ValidationError, match="too common"):
        validate_password("password1234")
    validate_password("correct horse battery staple")


def _age_session(client, *, started_ago=0, idle_for=0):
    session = client.session
    now = time.time()
    session[SESSION_STARTED] = now - started_ago
    session[SESSION_LAST_SEEN] = now - idle_for
    session.save()


def test_an_idle_session_ends(client, amina, settings):
    client.force_login(amina)
    _age_session(client, idle_for=settings.SESSION_IDLE_TIMEOUT + 5)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_busy_session_still_ends_at_its_maximum_age(client, amina, settings):
    client.force_login(amina)
    _age_session(client, started_ago=settings.SESSION_MAX_AGE + 5, idle_for=1)
    assert client.get(reverse("home")).status_code == 302


def test_an_active_session_goes_on(client, amina):
    client.force_login(amina)
    _age_session(client, started_ago=600, idle_for=120)
    assert client.get(reverse("home")).status_code == 200


def test_a_deactivated_user_is_signed_out_on_their_next_request(client, amina):
    client.force_login(amina)
    assert client.get(reverse("home")).status_code == 200
    amina.is_active = False
    amina.save()
    assert client.get(reverse("home")).status_code == 302


def test_signed_in_pages_are_private_and_not_stored(client, amina):
    client.force_login(amina)
    cache_control = client.get(reverse("home"))["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_pages_carry_a_content_security_policy_without_inline_script(client, amina):
    client.force_login(amina)
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_health_check_answers_without_sign_in(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["status"] == response.json()["database"] == "ok"


def test_an_htmx_request_after_the_session_ended_loads_the_sign_in_page_whole(client, db):
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")
