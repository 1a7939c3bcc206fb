from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from makerspace.audit.admin_mixins import AuditedAdminMixin

from .models import Invitation, Organisation, RecommendingUnit, SupervisorRequest, User
from .services import recommending_unit_order_follow


@admin.register(RecommendingUnit)
class RecommendingUnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "province", "city", "sort_order", "active"]
    list_filter = ["province", "kind", "active"]
    search_fields = ["name", "short_name", "city"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "sort_order" in form.changed_data:
            recommending_unit_order_follow(unit=obj)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "credit_code", "kind", "province", "recommending_unit"]
    list_filter = ["kind", "province", "recommending_unit"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["recommending_unit"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("角色与单位", {"fields": ("full_name", "mobile", "role", "organisation")}),
    )
    list_display = ["username", "full_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["organisation"]


@admin.register(SupervisorRequest)
class SupervisorRequestAdmin(admin.ModelAdmin):
    """Read here; added, matched or refused at /accounts/supervisor-requests/ (audited)."""

    list_display = ["name", "recommending_unit", "status", "requested_at", "resolved_at"]
    list_filter = ["status", "recommending_unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "role", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
