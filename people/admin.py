from django.contrib import admin

from . import sso_admin  # noqa: F401 (organisations' email domains and sign-in policy)
from .models import Invitation, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The outbox for site staff: what is waiting, why it failed, when it is tried again."""

    list_display = ["subject", "to", "status", "attempts", "last_error", "next_attempt_at",
                    "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["to", "subject", "dedupe_key"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Try the selected queued messages again now")
    def retry_now(self, request, queryset):
        from django.utils import timezone

        count = queryset.filter(status=OutboxMessage.Status.QUEUED).update(
            next_attempt_at=timezone.now()
        )
        self.message_user(request, f"{count} message(s) will be sent at the next sweep.")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are made and withdrawn on the People pages; here site staff can look."""

    list_display = ["email", "project", "organisation", "role", "invited_by", "sent_at",
                    "expires_at", "accepted_at", "revoked_at"]
    search_fields = ["email"]
    list_filter = ["role"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False
