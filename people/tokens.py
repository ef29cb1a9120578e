"""Single-use tokens for links sent by email: the link carries the token, the database only
its SHA-256, so a copy of the database opens nothing."""

import hashlib
import secrets


def token_new() -> tuple[str, str]:
    """(token for the link, hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
