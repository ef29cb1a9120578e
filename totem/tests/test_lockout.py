"""Sign-in lockout counts failures per normalised name: case, surrounding spaces and the
account's email address are one counter (django-axes with totem.lockout)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

PASSWORD = "a-long-pass-phrase-2026"


@pytest.fixture
def victim(db, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    return get_user_model().objects.create_user(
        "victim", email="Victim@North-Vale.nhs.uk", password=PASSWORD
    )


def sign_in(client, username, password="wrong", address=None):
    extra = {"REMOTE_ADDR": address} if address else {}
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


@pytest.mark.parametrize(
    "variants",
    [
        ["VICTIM", "victim", "Victim"],
        [" victim", "victim ", "\tVICTIM\n"],
        ["victim@north-vale.nhs.uk", "VICTIM", " Victim@North-Vale.NHS.uk "],
        ["ｖｉｃｔｉｍ", "VICTIM", "victim"],  # full-width letters, as NFKC reads them
    ],
)
def test_failures_under_any_spelling_of_one_account_share_one_limit(client, victim, variants):
    for n, name in enumerate(variants):
        # From a new address each time: only the per-account count can lock.
        assert sign_in(client, name, address=f"10.0.1.{n}").status_code in (200, 429)
    locked = sign_in(client, "victim", PASSWORD, address="10.0.2.1")
    assert locked.status_code == 429 and "Sign-in paused" in locked.text


def test_fewer_failures_than_the_limit_do_not_lock_and_success_resets(client, victim):
    sign_in(client, "VICTIM", address="10.0.3.1")
    sign_in(client, " victim ", address="10.0.3.2")
    assert sign_in(client, "victim", PASSWORD, address="10.0.3.3").status_code == 302
    client.logout()
    sign_in(client, "Victim", address="10.0.3.4")
    sign_in(client, "VICTIM", address="10.0.3.5")
    assert sign_in(client, "victim", PASSWORD, address="10.0.3.6").status_code == 302


def test_unknown_names_are_counted_alike_whatever_their_case(client, victim):
    for n, name in enumerate(["Ghost", "GHOST", " ghost "]):
        sign_in(client, name, address=f"10.0.4.{n}")
    assert sign_in(client, "ghost", address="10.0.4.9").status_code == 429
    # ...and another account is not affected.
    assert sign_in(client, "victim", PASSWORD, address="10.0.4.10").status_code == 302


def test_the_normalised_name_is_what_is_recorded(victim):
    from axes.models import AccessAttempt

    from totem.lockout import lockout_name, normalise

    assert normalise("  VICTIM\t") == "victim"
    assert lockout_name(None, {"username": " Victim@NORTH-vale.nhs.uk"}) == "victim"
    assert lockout_name(None, {"username": "Nobody@Example.org "}) == "nobody@example.org"
    assert not AccessAttempt.objects.exists()
