"""The organisation's admin page gains its email domains and its sign-in policy."""

from django.contrib import admin

from projects.admin import OrganisationAdmin
from projects.models import Organisation

from .sso_models import OrganisationDomain, OrganisationSignIn
from .sso_views import AdminSignInForm


class OrganisationDomainInline(admin.TabularInline):
    model = OrganisationDomain
    extra = 1
    verbose_name = "email domain"


class OrganisationSignInInline(admin.StackedInline):
    model = OrganisationSignIn
    can_delete = False
    verbose_name_plural = "sign-in policy"


class OrganisationWithSignInAdmin(OrganisationAdmin):
    inlines = [OrganisationSignInInline, OrganisationDomainInline, *OrganisationAdmin.inlines]
    list_display = [*OrganisationAdmin.list_display, "sso_only"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("sign_in")

    @admin.display(boolean=True, description="single sign-on only")
    def sso_only(self, organisation):
        policy = getattr(organisation, "sign_in", None)
        return bool(policy and policy.sso_only)


# The admin's own sign-in form obeys "single sign-on only" too.
admin.site.login_form = AdminSignInForm
admin.site.unregister(Organisation)
admin.site.register(Organisation, OrganisationWithSignInAdmin)


@admin.register(OrganisationDomain)
class OrganisationDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "organisation"]
    search_fields = ["domain", "organisation__name"]
    list_select_related = ["organisation"]
