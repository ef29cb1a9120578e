"""The account's token page: make a token (its secret shown once), see when each was last used,
revoke one."""

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import services
from .forms import RevokeForm, TokenForm
from .models import AccessToken


@never_cache
def token_list(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        expires_at = timezone.make_aware(datetime.combine(form.cleaned_data["expires_on"], time()))
        try:
            token, secret = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=expires_at,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()
    tokens = AccessToken.objects.filter(user=request.user)
    context = {"form": form, "tokens": tokens, "secret": secret, "now": timezone.now()}
    return render(request, "api/tokens.html", context)


@require_POST
def token_revoke(request):
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a token to revoke.")
        return redirect("tokens:token-list")
    token = get_object_or_404(AccessToken, user=request.user, pk=form.cleaned_data["token"])
    services.token_revoke(token=token)
    messages.success(request, f"“{token.name}” is revoked: it no longer opens the API.")
    return redirect("tokens:token-list")
