"""Single sign-on with OpenID Connect: the authorisation code flow with PKCE.

mozilla-django-oidc does the protocol (state, nonce, PKCE, the code exchange, the JWKS); this
module adds what Totem needs on top of it:

- the provider's endpoints come from its discovery document (`OIDC_ISSUER`), fetched when
  someone first signs in and cached, so a trust sets an issuer, a client id and a secret;
- the ID token is checked in full (signature, issuer, audience, expiry, with OIDC_CLOCK_LEEWAY);
- people are matched on a *verified* email address only (`email_verified`, or Entra ID's
  `xms_edov`), never on a display name; a first sign-in creates the account;
- every refusal is an `SsoRefused` carrying a sentence for the person signing in, which the
  callback view shows on the sign-in page (never a 500).
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import sso_services
from .sso_models import OrganisationSignIn

log = logging.getLogger("people.sso")

DISCOVERY_CACHE_SECONDS = 60 * 60
# Set in the session by a single sign-on, read by the second-factor check (people/mfa.py).
SESSION_SIGNED_IN_WITH_SSO = "people_sso"


class SsoRefused(Exception):
    """A sign-in refused; str(exc) is what the person is told."""


def sso_enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME


def discovery() -> dict:
    """The provider's OpenID configuration, cached; SsoRefused when it cannot be read."""
    issuer = settings.OIDC_ISSUER.rstrip("/")
    key = f"people:sso:discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        url = f"{issuer}/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            log.warning("sso discovery failed url=%s error=%s", url, exc)
            raise SsoRefused(
                f"{provider_name()} cannot be reached just now, so single sign-on is not "
                "available. Please try again in a few minutes."
            ) from exc
        if document.get("issuer", "").rstrip("/") != issuer:
            log.error("sso discovery issuer mismatch expected=%s got=%s", issuer,
                      document.get("issuer"))
            raise SsoRefused("Single sign-on is misconfigured (the provider's issuer does not "
                             "match OIDC_ISSUER). Please tell your Totem administrator.")
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def user_must_use_sso(user) -> bool:
    """True when one of `user`'s organisations is set to single sign-on only."""
    return OrganisationSignIn.objects.filter(
        sso_only=True, organisation__memberships__user=user
    ).exists()


def email_is_verified(claims: dict) -> bool:
    """True when the provider vouches for the address: `email_verified` (OpenID Connect), or
    Entra ID's optional `xms_edov` claim (the email's domain is verified by the tenant)."""
    return any(claims.get(name) in (True, "true") for name in ("email_verified", "xms_edov"))


class SsoBackend(OIDCAuthenticationBackend):
    """Signs in from the callback only; every other authenticate() (a password sign-in) passes
    by without touching the network."""

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()  # the endpoints are set in authenticate()

    def authenticate(self, request, **kwargs):
        if request is None or request.path != reverse("people:sso-callback"):
            return None
        if not sso_enabled():
            return None
        config = discovery()
        self.OIDC_OP_TOKEN_ENDPOINT = config["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = config.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = config["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as exc:
            body = getattr(exc.response, "text", "")[:300]
            log.warning("sso token exchange refused status=%s body=%s",
                        getattr(exc.response, "status_code", None), body)
            raise SsoRefused(
                f"{provider_name()} did not accept this sign-in (the sign-in code was already "
                "used, or has expired). Please start again."
            ) from exc
        except requests.RequestException as exc:
            log.warning("sso provider unreachable error=%s", exc)
            raise SsoRefused(
                f"{provider_name()} cannot be reached just now. Please try again shortly."
            ) from exc
        except SuspiciousOperation as exc:
            log.warning("sso token refused reason=%s", exc)
            raise SsoRefused(
                f"The answer from {provider_name()} could not be verified, so you are not "
                "signed in. Please start again."
            ) from exc

    def _verify_jws(self, payload, key):
        """The whole ID token check: signature and algorithm, issuer, audience, expiry."""
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=discovery()["issuer"],
                leeway=settings.OIDC_CLOCK_LEEWAY,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            log.warning("sso id token expired")
            raise SsoRefused(
                f"The sign-in from {provider_name()} had expired by the time it reached Totem. "
                "Please start again; if this keeps happening, a server's clock is wrong."
            ) from exc
        except jwt.InvalidTokenError as exc:
            log.warning("sso id token invalid reason=%s", exc)
            raise SsoRefused(
                f"The answer from {provider_name()} could not be verified ({exc}), so you are "
                "not signed in. Please start again."
            ) from exc

    def get_userinfo(self, access_token, id_token, payload):
        """The signed ID token's claims; the userinfo endpoint only when the ID token carries
        no email (and then only if it speaks of the same subject)."""
        if payload.get("email") or not self.OIDC_OP_USER_ENDPOINT:
            return payload
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SsoRefused("The provider's answer was inconsistent, so you are not signed in.")
        return {**userinfo, **{k: v for k, v in payload.items() if k not in userinfo}}

    def verify_claims(self, claims):
        if not claims.get("email"):
            raise SsoRefused(
                f"{provider_name()} did not tell Totem your email address, so you cannot be "
                "signed in. Please ask your IT team to release the email claim to Totem."
            )
        if not email_is_verified(claims):
            log.info("sso refused unverified email sub=%s", claims.get("sub"))
            raise SsoRefused(
                f"{provider_name()} has not verified your email address ({claims['email']}), "
                "so Totem cannot tell whose account this is. Ask your IT team to verify it, "
                "or sign in with your Totem password if you have one."
            )
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=claims["email"].strip())

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        self.verify_claims(claims)
        users = list(self.filter_users_by_claims(claims)[:2])
        if len(users) > 1:
            log.warning("sso refused: several accounts share email sub=%s", claims.get("sub"))
            raise SsoRefused(
                "More than one Totem account uses this email address, so Totem cannot tell "
                "which is yours. Please ask your Totem administrator to merge them."
            )
        if users:
            if not users[0].is_active:
                raise SsoRefused("Your Totem account has been deactivated. Please ask your "
                                 "Totem administrator.")
            return users[0]
        return sso_services.user_create_from_sso(
            email=claims["email"], name=claims.get("name", "")
        )
