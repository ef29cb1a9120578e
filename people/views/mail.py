"""The "Sent mail" page: the outbox as site staff see it (in development, every email)."""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from people.models import OutboxMessage


@require_safe
@staff_member_required
def mail_list(request):
    messages = OutboxMessage.objects.only(
        "to", "subject", "status", "attempts", "last_error", "created_at", "sent_at"
    )[:200]
    return render(request, "people/mail_list.html", {"outbox": messages, "debug": settings.DEBUG})


@require_safe
@staff_member_required
def mail_detail(request, message_id):
    message = get_object_or_404(OutboxMessage, pk=message_id)
    return render(request, "people/mail_detail.html", {"message": message})


@require_safe
@staff_member_required
def mail_html(request, message_id):
    """The HTML part as the recipient's mail program would show it (our own, escaped, template)."""
    message = get_object_or_404(OutboxMessage, pk=message_id)
    return HttpResponse(message.body_html or "<p>This message's body was not kept.</p>")
