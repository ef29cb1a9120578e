"""The API's one way in: a personal access token in `Authorization: Bearer <token>`, resolved to
its user and its scope. What the user may touch is then decided by `projects.access`, exactly as
on the pages."""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import AccessToken
from .services import token_hash, token_mark_used

REFUSED = (
    "This token is not valid: it is unknown, expired or revoked. Make a new one on your "
    "account's token page."
)


class TokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the header as “Authorization: Bearer <token>”."
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(REFUSED) from None
        token = (
            AccessToken.objects.select_related("user").filter(key_hash=token_hash(secret)).first()
        )
        now = timezone.now()
        if token is None or not token.is_usable(now) or not token.user.is_active:
            raise exceptions.AuthenticationFailed(REFUSED)
        token_mark_used(token=token, now=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A personal access token."}


class TokenScope(permissions.BasePermission):
    """A read-only token reads; writing needs a read-and-write token (and then the role that
    `projects.access` asks for)."""

    message = "This token is read-only: make a read-and-write token to send data."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not isinstance(token, AccessToken) or token.can_write


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Requests per token (per user for a signed-in browser), counted in the shared cache."""

    scope = "token"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        if isinstance(request.auth, AccessToken):
            ident = "token-" + request.auth.key_hash[:24]
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return f"api-throttle-{ident}"
