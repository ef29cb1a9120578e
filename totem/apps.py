import logging

from django.apps import AppConfig

log = logging.getLogger("totem.security")


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


def log_sign_in(sender, request, user, **kwargs):
    log.info("sign-in user=%s address=%s", user.pk, _client_address(request))


def log_sign_in_failed(sender, credentials, request=None, **kwargs):
    # Never log the password; the username is what the person typed.
    log.warning(
        "sign-in failed username=%r address=%s",
        credentials.get("username", "")[:150],
        _client_address(request),
    )


def log_sign_out(sender, request, user, **kwargs):
    log.info("sign-out user=%s", getattr(user, "pk", None))


class TotemConfig(AppConfig):
    name = "totem"
    verbose_name = "Totem site"

    def ready(self):
        from django.contrib import admin
        from django.contrib.auth import signals

        from projects import text

        text.apply_to_admin(admin.site)  # after every app's admin module has registered

        signals.user_logged_in.connect(log_sign_in, dispatch_uid="totem-sign-in")
        signals.user_login_failed.connect(log_sign_in_failed, dispatch_uid="totem-sign-in-failed")
        signals.user_logged_out.connect(log_sign_out, dispatch_uid="totem-sign-out")

        from .packs import tasks  # noqa: F401  (a pack whose job is given up fails: its receiver)
