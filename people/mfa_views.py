"""Two-step sign-in pages: the status page, adding an authenticator app, entering a code after
a password sign-in, and turning it off."""

import base64
from urllib.parse import quote, urlencode

import django_otp
import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import mfa, mfa_services
from .mfa_forms import CodeForm
from .sso import SESSION_SIGNED_IN_WITH_SSO

SESSION_NEW_KEY = "people_totp_new_key"


def _next(request, default="people:mfa"):
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return resolve_url(default)


@require_GET
def mfa_status(request):
    return render(request, "people/mfa/status.html", {
        "device": mfa.confirmed_device(request.user),
        "required": mfa.mfa_required(request.user),
        "signed_in_with_sso": request.session.get(SESSION_SIGNED_IN_WITH_SSO, False),
        "form": CodeForm(),
    })


def _otpauth_uri(user, key: str) -> str:
    secret = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
    label = quote(f"Totem:{user.email or user.username}")
    return f"otpauth://totp/{label}?" + urlencode(
        {"secret": secret, "issuer": "Totem", "digits": 6, "period": 30}
    )


@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    if mfa.confirmed_device(request.user) and request.user.is_verified():
        messages.info(request, "Two-step sign-in is on already. Turn it off to change the app.")
        return redirect("people:mfa")
    key = request.session.get(SESSION_NEW_KEY) or mfa_services.totp_new_key()
    request.session[SESSION_NEW_KEY] = key
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = mfa_services.totp_device_confirm(
                user=request.user, key=key, token=form.cleaned_data["token"]
            )
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            del request.session[SESSION_NEW_KEY]
            django_otp.login(request, device)
            messages.success(request, "Two-step sign-in is on. Totem will ask for a code from "
                                      "your app each time you sign in with your password.")
            return redirect(_next(request))
    uri = _otpauth_uri(request.user, key)
    secret = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return render(request, "people/mfa/setup.html", {
        "form": form,
        "qr": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
        "secret_groups": [secret[i:i + 4] for i in range(0, len(secret), 4)],
        "required": mfa.mfa_required(request.user),
        "next": _next(request, "home"),
    })


@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    device = mfa.confirmed_device(request.user)
    if device is None:
        return redirect("people:mfa-setup")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        verified = django_otp.verify_token(
            request.user, device.persistent_id, form.cleaned_data["token"]
        )
        if verified:
            django_otp.login(request, verified)
            return redirect(_next(request, "home"))
        allowed, _ = device.verify_is_allowed()
        form.add_error("token", "That code is not right. Type the six digits the app shows now."
                       if allowed else "Too many wrong codes: wait a minute, then try again.")
    return render(request, "people/mfa/verify.html",
                  {"form": form, "next": _next(request, "home")})


@require_POST
def mfa_disable(request):
    if mfa.mfa_required(request.user):
        messages.error(request, "Site staff and organisation admins must keep two-step sign-in.")
        return redirect("people:mfa")
    device = mfa.confirmed_device(request.user)
    form = CodeForm(request.POST)
    if device and form.is_valid() and django_otp.verify_token(
        request.user, device.persistent_id, form.cleaned_data["token"]
    ):
        mfa_services.totp_device_remove(user=request.user)
        messages.success(request, "Two-step sign-in is off.")
    else:
        messages.error(request, "Two-step sign-in is still on: that code was not right.")
    return redirect("people:mfa")
