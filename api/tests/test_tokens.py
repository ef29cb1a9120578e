"""Personal access tokens: made on the account page and shown once, kept only as a hash,
refused when expired or revoked, read-only unless made read-and-write, rate-limited each."""

import datetime
import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import AccessToken
from projects.tests.factories import UserFactory

PROJECTS = "/api/v1/projects/"


def bearer(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_the_token_page_shows_a_new_token_once_and_keeps_only_its_hash(client, lead):
    client.force_login(lead)
    expires = timezone.localdate() + timedelta(days=30)
    response = client.post(
        reverse("tokens:token-list"),
        {"name": "Power BI feed", "scope": "read", "expires_on": expires.isoformat()},
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("totem_") and len(secret) > 40
    assert secret in response.content.decode()
    token = AccessToken.objects.get(user=lead)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    # The secret is in no column of any row: only the hash and a short prefix are stored.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_accesstoken")
        stored = " ".join(str(cell) for row in cursor.fetchall() for cell in row)
    assert secret not in stored and token.prefix in secret
    page = client.get(reverse("tokens:token-list")).content.decode()
    assert "Power BI feed" in page and secret not in page and token.prefix in page
    assert bearer(secret).get(PROJECTS).status_code == 200


def test_the_token_form_refuses_a_past_or_far_expiry(client, lead):
    client.force_login(lead)
    for days, message in ((0, "after today"), (400, "at most 366 days")):
        day = (timezone.localdate() + timedelta(days=days)).isoformat()
        response = client.post(
            reverse("tokens:token-list"), {"name": "x", "scope": "read", "expires_on": day}
        )
        assert message in response.content.decode()
    assert not AccessToken.objects.exists()


def test_a_revoked_token_is_refused(client, lead, token_for):
    secret = token_for(lead)
    assert bearer(secret).get(PROJECTS).status_code == 200
    client.force_login(lead)
    token = AccessToken.objects.get(user=lead)
    response = client.post(reverse("tokens:token-revoke"), {"token": token.pk}, follow=True)
    assert "is revoked" in response.content.decode()
    response = bearer(secret).get(PROJECTS)
    assert response.status_code == 401
    assert "expired or revoked" in response.json()["detail"]


def test_nobody_revokes_another_persons_token(client, lead, token_for):
    token_for(lead)
    token = AccessToken.objects.get(user=lead)
    client.force_login(UserFactory())
    assert client.post(reverse("tokens:token-revoke"), {"token": token.pk}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_expired_token_is_refused(lead, token_for):
    secret = token_for(lead)
    AccessToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(secret).get(PROJECTS).status_code == 401


def test_an_unknown_token_or_a_deactivated_user_is_refused(lead, token_for):
    assert bearer("totem_not-a-token").get(PROJECTS).status_code == 401
    secret = token_for(lead)
    lead.is_active = False
    lead.save()
    assert bearer(secret).get(PROJECTS).status_code == 401


def test_a_read_token_cannot_write_even_for_a_lead(project, chain, lead, token_for):
    _, _, indicator = chain
    url = f"/api/v1/projects/{project.pk}/measurements/batches/"
    batch = {
        "idempotency_key": "april",
        "rows": [{"indicator": indicator.pk, "period": "2026-04-01", "value": 1}],
    }
    response = bearer(token_for(lead, "read")).post(url, batch, format="json")
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert not indicator.measurements.exists()
    response = bearer(token_for(lead, "read-write")).post(url, batch, format="json")
    assert response.status_code == 201


def test_last_used_is_recorded(lead, token_for):
    secret = token_for(lead)
    token = AccessToken.objects.get(user=lead)
    assert token.last_used_at is None
    bearer(secret).get(PROJECTS)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_requests_are_limited_per_token(settings, lead, token_for):
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE_LIMIT = "3/minute"
    first, second = bearer(token_for(lead)), bearer(token_for(lead, name="Nightly job"))
    assert [first.get(PROJECTS).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "throttled" in first.get(PROJECTS).json()["detail"].lower()
    assert second.get(PROJECTS).status_code == 200  # another token has its own allowance


def test_the_account_page_links_to_the_token_page(client, lead):
    client.force_login(lead)
    assert reverse("people:account") in client.get(reverse("home")).content.decode()
    assert reverse("tokens:token-list") in client.get(reverse("people:account")).content.decode()


@pytest.mark.parametrize("when", ["2026-04-01T00:00:00Z", "2026-04-01T01:00:00+01:00"])
def test_updated_since_lists_only_changed_projects(project, lead, token_for, when):
    from projects.models import Project

    Project.objects.filter(pk=project.pk).update(
        updated_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    )
    client = bearer(token_for(lead))
    assert client.get(PROJECTS, {"updated_since": when}).json()["count"] == 0
    Project.objects.filter(pk=project.pk).update(
        updated_at=datetime.datetime(2026, 4, 2, tzinfo=datetime.UTC)
    )
    assert client.get(PROJECTS, {"updated_since": when}).json()["count"] == 1
    assert client.get(PROJECTS, {"updated_since": "yesterday"}).status_code == 400
