"""Site staff curate checklist templates and maturity frameworks here.

A draft is edited with inlines; publishing, retiring and "New version" are buttons on the
template's page (and list actions) that call the services. A published or retired version is
shown read-only and any save of it, or of anything in it, is refused. A version that a
checklist or round was made from cannot be deleted; the admin says why and keeps it.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from . import selectors, services
from .forms import AnswerForm, ResponseForm
from .models import (
    Answer,
    Assessment,
    Checklist,
    ChecklistItem,
    ChecklistResponse,
    ChecklistTemplate,
    Descriptor,
    Domain,
    Framework,
    Level,
    Question,
    TemplateStatus,
)

# Room to read a question or a descriptor while editing it in a row of an inline.
ROOMY = {
    models.CharField: {"widget": forms.TextInput(attrs={"size": 60})},
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})},
}


def _editable(template) -> bool:
    return template is None or template.is_draft


def _refuse_unless_draft(template) -> None:
    try:
        services.template_ensure_draft(template)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from error


class DraftOnlyInline:
    """An inline whose rows can change only while the parent version is a draft."""

    def _parent_template(self, obj):
        return obj

    def has_add_permission(self, request, obj=None):
        return _editable(self._parent_template(obj)) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        editable = _editable(self._parent_template(obj))
        return editable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        editable = _editable(self._parent_template(obj))
        return editable and super().has_delete_permission(request, obj)


class VersionedTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "version", "status_label", "slug", "published_at", "uses"]
    list_filter = ["status"]
    readonly_fields = ["version", "published_at"]
    actions = ["publish_selected", "retire_selected", "new_version_of_selected"]
    change_form_template = "admin/assessments/template_change_form.html"
    uses_name = ""  # the related name of what is made from a version
    uses_noun = ""  # and what it is called

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(use_count=Count(self.uses_name))

    def get_readonly_fields(self, request, obj=None):
        # The slug ties the versions together, so it is fixed once the first version exists.
        return self.readonly_fields + (["slug"] if obj is not None else [])

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        colours = {"draft": "#8a4b00", "published": "#17663a", "retired": "#565e64"}
        return format_html(
            '<strong style="color:{}">{}</strong>', colours[obj.status], obj.get_status_display()
        )

    @admin.display(description="Used by", ordering="use_count")
    def uses(self, obj):
        return getattr(obj, "use_count", None)

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        _refuse_unless_draft(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        _refuse_unless_draft(form.instance)
        super().save_formset(request, form, formset, change)

    # --- deleting: never a version in use ---------------------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        template = self.get_object(request, object_id)
        if template is not None and services.template_uses(template).exists():
            try:
                services.template_delete(template=template)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(self._url("change", template.pk))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        services.template_delete(template=obj)

    def delete_queryset(self, request, queryset):
        for template in queryset:
            services.template_delete(template=template)

    # --- publish, retire, new version, preview ----------------------------------------

    def _url(self, action, *args):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name=f"{name}_preview"),
            path("<int:pk>/publish/", view(self.publish_view), name=f"{name}_publish"),
            path("<int:pk>/retire/", view(self.retire_view), name=f"{name}_retire"),
            path("<int:pk>/new-version/", view(self.new_version_view), name=f"{name}_newversion"),
        ] + super().get_urls()

    def _run(self, request, service, template, success: str):
        try:
            result = service(template=template)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(request, success.format(result), messages.SUCCESS)
        return result

    def _post_action(self, request, pk, service, success):
        if not super().has_change_permission(request):
            raise PermissionDenied
        template = get_object_or_404(self.model, pk=pk)
        result = self._run(request, service, template, success)
        return redirect(self._url("change", (result or template).pk))

    def publish_view(self, request, pk):
        """Publishing cannot be undone: a page first shows what will be frozen (and which
        version it retires), and only its own confirming POST publishes."""
        if not super().has_change_permission(request):
            raise PermissionDenied
        template = get_object_or_404(self.model, pk=pk)
        if request.method == "POST" and request.POST.get("confirm") == "publish":
            return self._post_action(
                request, pk, services.template_publish,
                "Published {}. Earlier published versions are retired; what was made from "
                "them is unchanged.",
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Publish {template}?",
            "template_obj": template,
            "problems": services.template_problems(template),
            "retires": self.model.objects.filter(slug=template.slug, status="published").first(),
            "change_url": self._url("change", pk),
            "frozen": self.frozen_content(template),
        }
        return TemplateResponse(request, "admin/assessments/template_publish_confirm.html", context)

    def response_change(self, request, obj):
        # "Publish…" on the change page submits the form: the edits are saved first (saying so)
        # and then the confirmation shows them; an invalid form never gets here.
        if "_publish" in request.POST:
            self.message_user(request, "Your changes were saved first.", messages.INFO)
            return redirect(self._url("publish", obj.pk))
        return super().response_change(request, obj)

    def retire_view(self, request, pk):
        return require_POST(self._post_action)(
            request, pk, services.template_retire,
            "Retired {}: it is no longer offered for new work.",
        )

    def new_version_view(self, request, pk):
        return require_POST(self._post_action)(
            request, pk, services.template_new_version,
            "Made {} as a draft copy. Edit it, then publish it.",
        )

    @admin.action(description="Publish the selected drafts", permissions=["change"])
    def publish_selected(self, request, queryset):
        for template in queryset:
            self._run(request, services.template_publish, template, "Published {}.")

    @admin.action(description="Retire the selected published versions", permissions=["change"])
    def retire_selected(self, request, queryset):
        for template in queryset:
            self._run(request, services.template_retire, template, "Retired {}.")

    @admin.action(description="New version: copy into a draft", permissions=["change"])
    def new_version_of_selected(self, request, queryset):
        for template in queryset:
            self._run(request, services.template_new_version, template, "Made {} as a draft.")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        template = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "template_obj": template,
            "preview_url": template and self._url("preview", template.pk),
            "publish_url": template and self._url("publish", template.pk),
            "retire_url": template and self._url("retire", template.pk),
            "new_version_url": template and self._url("newversion", template.pk),
            "uses": template and services.template_uses(template).count(),
            "uses_noun": self.uses_noun,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def preview_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        template = get_object_or_404(self.model, pk=pk)
        context = {"template_obj": template, "change_url": self._url("change", pk),
                   **self.preview_context(template)}
        return render(request, self.preview_template, context)


# --- readiness checklist templates ----------------------------------------------------------


class ChecklistItemInline(DraftOnlyInline, admin.TabularInline):
    # Narrow widgets that the stylesheet stretches to their column: the list fits the page.
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"size": 20})},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 20})},
    }
    model = ChecklistItem
    extra = 1
    fields = ["position", "kind", "text", "guidance"]


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(VersionedTemplateAdmin):
    search_fields = ["name", "slug", "description", "items__text"]
    inlines = [ChecklistItemInline]
    uses_name = "checklists"
    uses_noun = "checklist"

    def frozen_content(self, template):
        return [
            (f"{item.position}. {item.get_kind_display()}", item.text)
            for item in template.items.all()
        ]
    preview_template = "assessments/checklist_preview.html"

    def preview_context(self, template):
        forms = [
            ResponseForm(response=ChecklistResponse(pk=item.pk, item=item))
            for item in template.items.all()
        ]
        return {"forms": forms}


# --- maturity frameworks ---------------------------------------------------------------------


class LevelInline(DraftOnlyInline, admin.TabularInline):
    formfield_overrides = ROOMY
    model = Level
    extra = 0
    fields = ["position", "name", "description"]


class DomainInline(DraftOnlyInline, admin.TabularInline):
    formfield_overrides = ROOMY
    model = Domain
    extra = 0
    fields = ["position", "name", "description"]


class QuestionInline(DraftOnlyInline, admin.TabularInline):
    formfield_overrides = ROOMY
    model = Question
    extra = 0
    fields = ["number", "domain", "text"]
    show_change_link = True  # its descriptors are edited on the question's own page

    def get_formset(self, request, obj=None, **kwargs):
        request.assessments_framework = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "domain":
            framework = getattr(request, "assessments_framework", None)
            kwargs["queryset"] = Domain.objects.filter(framework=framework)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Framework)
class FrameworkAdmin(VersionedTemplateAdmin):
    search_fields = ["name", "slug", "description", "domains__name", "questions__text"]
    inlines = [LevelInline, DomainInline, QuestionInline]
    uses_name = "assessments"
    uses_noun = "self-assessment round"

    def frozen_content(self, template):
        levels = ", ".join(level.name for level in template.levels.all())
        rows = [("Levels", levels)]
        for domain in template.domains.prefetch_related("questions"):
            questions = [f"{q.number}. {q.text}" for q in domain.questions.all()]
            rows.append((domain.name, "; ".join(questions) or "no questions"))
        return rows
    preview_template = "assessments/framework_preview.html"

    def preview_context(self, template):
        levels = template.levels.order_by("position")
        domains = []
        for domain in template.domains.prefetch_related("questions__descriptors"):
            rows = [
                (
                    q,
                    AnswerForm(answer=Answer(question=q), levels=levels),
                    selectors.level_options(levels, q.descriptors.all()),
                )
                for q in domain.questions.all()
            ]
            domains.append((domain, rows))
        return {"levels": levels, "domains": domains}


class DescriptorInline(DraftOnlyInline, admin.TabularInline):
    formfield_overrides = ROOMY
    model = Descriptor
    fields = ["level", "text"]

    def _parent_template(self, obj):
        return obj.framework if obj is not None else None

    def get_extra(self, request, obj=None, **kwargs):
        if obj is None:
            return 0
        return obj.framework.levels.exclude(pk__in=obj.descriptors.values("level")).count()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "level":
            question = getattr(request, "assessments_question", None)
            kwargs["queryset"] = Level.objects.filter(framework=question and question.framework)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        request.assessments_question = obj
        return super().get_formset(request, obj, **kwargs)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """A question's own page, for its descriptors (one per level of its framework)."""

    list_display = ["number", "text", "domain", "framework"]
    list_filter = ["framework"]
    search_fields = ["text", "guidance", "framework__name"]
    list_select_related = ["domain", "framework"]
    fields = ["framework", "domain", "number", "text", "guidance"]
    inlines = [DescriptorInline]
    formfield_overrides = ROOMY

    def get_readonly_fields(self, request, obj=None):
        return ["framework"] if obj is not None else []

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, DescriptorInline) and obj.pk and request.method == "GET":
            missing = obj.framework.levels.exclude(pk__in=obj.descriptors.values("level"))
            kwargs["initial"] = [{"level": level.pk} for level in missing]
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "framework":
            kwargs["queryset"] = Framework.objects.filter(status=TemplateStatus.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        editable = obj is None or obj.framework.is_draft
        return editable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        editable = obj is None or obj.framework.is_draft
        return editable and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        _refuse_unless_draft(obj.framework)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        _refuse_unless_draft(form.instance.framework)
        super().save_formset(request, form, formset, change)


# --- what was made from the templates: read-only, changed only through the site ------------


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Checklist)
class ChecklistAdmin(ReadOnlyAdmin):
    list_display = ["title", "project", "template", "created_at"]
    search_fields = ["title", "project__title"]
    list_select_related = ["project", "template"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "framework", "assessed_on", "status"]
    list_filter = ["status"]
    search_fields = ["name", "organisation__name"]
    list_select_related = ["organisation", "framework"]
