"""My work (the home page), the inbox, email preferences and one-click unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from . import selectors, services
from .forms import PreferencesForm
from .kinds import Kind


@require_safe
def home(request):
    work = selectors.my_work(request.user, today=timezone.localdate())
    context = {"work": work, "can_create": request.user.memberships.exists()}
    return render(request, "notifications/home.html", context)


@require_safe
def inbox(request):
    rows = selectors.inbox(request.user)
    return render(request, "notifications/inbox.html", {"rows": rows})


@require_POST
def mark_read(request, notification_id):
    services.notification_mark_read(user=request.user, notification_id=notification_id)
    return redirect("home" if request.POST.get("next") == "home" else "notifications:inbox")


@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' * (count != 1)} read.")
    return redirect("notifications:inbox")


def preferences(request):
    form = PreferencesForm(request.POST or None, current=selectors.preferences(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, deliveries=form.cleaned_data)
        messages.success(request, "Saved how Totem emails you.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_not_required
@csrf_exempt  # the signed link is the proof; mail clients POST here with no cookie (RFC 8058)
def unsubscribe(request, token):
    """GET shows what the link turns off and a button (link scanners only GET); POST, from that
    button or from a mail client's one-click List-Unsubscribe-Post, turns it off."""
    try:
        user_id, kinds = services.unsubscribe_read(token)
    except ValidationError:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    labels = [Kind(kind).label for kind in kinds]
    done = False
    if request.method == "POST":
        try:
            services.unsubscribe(token=token)
        except ValidationError:
            return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
        done = True
    context = {"labels": labels, "done": done, "token": token}
    return render(request, "notifications/unsubscribe.html", context)
