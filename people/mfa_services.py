"""Writes for the second factor: an authenticator app added (once a code from it is right), or
removed."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_new_key() -> str:
    """A fresh secret for an authenticator app (hex, 160 bits), kept in the session until a
    code made from it confirms that the app has it."""
    return secrets.token_hex(20)


@transaction.atomic
def totp_device_confirm(*, user, key: str, token: str) -> TOTPDevice:
    """The user's authenticator app, once `token` shows it holds `key`; replaces any other."""
    totp = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6)
    try:
        valid = totp.verify(int(token), tolerance=1)
    except ValueError:
        valid = False
    if not valid:
        raise ValidationError("That code is not right. Type the six digits the app shows now.")
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice(user=user, name="Authenticator app", key=key, confirmed=True,
                        last_t=totp.t())
    device.full_clean()
    device.save()
    return device


@transaction.atomic
def totp_device_remove(*, user) -> int:
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted
