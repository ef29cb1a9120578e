from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Impact,
    Indicator,
    Membership,
    Organisation,
    Project,
    ProjectRole,
    StarterImpact,
    StarterTask,
    StarterTotem,
    Task,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code"]
    search_fields = ["name", "short_name", "code"]
    inlines = [MembershipInline]


class ProjectRoleInline(admin.TabularInline):
    model = ProjectRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["title", "lead_organisation", "stage", "created_at"]
    list_filter = ["stage", "lead_organisation"]
    search_fields = ["title", "purpose"]
    filter_horizontal = ["partner_organisations"]
    inlines = [ProjectRoleInline]


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "project", "position", "status", "due"]
    list_filter = ["status"]
    search_fields = ["title", "project__title"]
    list_select_related = ["project"]
    raw_id_fields = ["project"]


@admin.register(Impact)
class ImpactAdmin(SimpleHistoryAdmin):
    list_display = ["statement", "task", "project"]
    search_fields = ["statement", "project__title"]
    list_select_related = ["project", "task"]
    raw_id_fields = ["project", "task"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "impact", "project"]
    list_filter = ["kind", "frequency"]
    search_fields = ["name", "project__title"]
    list_select_related = ["project", "impact"]
    raw_id_fields = ["project", "impact"]


class StarterTaskInline(admin.StackedInline):
    model = StarterTask
    extra = 1
    fields = ["position", "title", "description"]
    show_change_link = True


@admin.register(StarterTotem)
class StarterTotemAdmin(admin.ModelAdmin):
    list_display = ["name", "is_published", "task_count"]
    list_filter = ["is_published"]
    search_fields = ["name", "description"]
    inlines = [StarterTaskInline]

    @admin.display(description="Tasks")
    def task_count(self, obj):
        return obj.tasks.count()


class StarterImpactInline(admin.TabularInline):
    model = StarterImpact
    extra = 1


@admin.register(StarterTask)
class StarterTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "starter", "position"]
    list_filter = ["starter"]
    search_fields = ["title"]
    inlines = [StarterImpactInline]
