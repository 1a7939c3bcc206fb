from django.contrib import admin

from makerspace.audit.admin_mixins import AuditedAdminMixin

from .models import ExpertProfile


@admin.register(ExpertProfile)
class ExpertProfileAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "organisation_name", "city", "specialty"]
    search_fields = ["organisation_name", "user__full_name"]
