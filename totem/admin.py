from django.contrib import admin

from .models import AccessibilityStatement

admin.site.site_header = "Totem administration"
admin.site.site_title = "Totem admin"
admin.site.index_title = "Templates, organisations and people"


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(admin.ModelAdmin):
    """One statement for the site: staff edit it; it cannot be added twice or deleted."""

    fieldsets = [
        ("Who runs the service", {"fields": ["organisation", "service_name"]}),
        ("Feedback and contact", {"fields": ["contact_email", "contact_phone", "response_days"]}),
        ("How accessible it is", {"fields": ["compliance", "known_limitations"]}),
        (
            "Content that is not accessible",
            {"fields": ["non_compliance", "disproportionate_burden", "outside_scope"]},
        ),
        ("Improving", {"fields": ["improvements"]}),
        ("Preparation", {"fields": ["prepared_on", "reviewed_on", "tested_on", "tested_by"]}),
    ]

    def has_add_permission(self, request):
        return not AccessibilityStatement.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
