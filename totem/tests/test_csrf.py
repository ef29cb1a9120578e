"""Every state-changing URL refuses a request without a CSRF token."""

import pytest
from django.test import Client

from totem.tests.test_permissions import RULES, world  # noqa: F401 - `world` is a fixture

# One-click unsubscribe (RFC 8058): mail programs POST with no cookie; the signed link is the
# proof (notifications/tests/test_views.py tests a tampered link is refused).
CSRF_EXEMPT = {"notifications:unsubscribe"}
STATE_CHANGING = sorted(
    name for name, (_, methods) in RULES.items() if "POST" in methods and name not in CSRF_EXEMPT
)


@pytest.mark.parametrize("name", STATE_CHANGING)
def test_posts_without_a_csrf_token_are_refused(world, name):  # noqa: F811
    users, urls = world
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["lead"])
    response = client.post(urls[name], {"title": "x", "statement": "x", "name": "x"})
    assert response.status_code == 403, name
    assert "CSRF" in response.text or name == "login"
