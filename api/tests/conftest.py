from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api import services
from api.models import AccessToken


@pytest.fixture
def token_for():
    """token_for(user, scope="read", days=30, name=…) -> the token's secret."""

    def make(user, scope=AccessToken.Scope.READ, *, days=30, name="Power BI feed"):
        _, secret = services.token_create(
            user=user, name=name, scope=scope, expires_at=timezone.now() + timedelta(days=days)
        )
        return secret

    return make


@pytest.fixture
def api_as(token_for):
    """api_as(user, scope="read") -> an APIClient sending that user's new token."""

    def make(user, scope=AccessToken.Scope.READ):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user, scope)}")
        return client

    return make
