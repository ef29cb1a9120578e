from django.contrib import admin

from .models import OutboxMessage


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
