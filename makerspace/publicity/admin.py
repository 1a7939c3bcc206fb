from django.contrib import admin

from makerspace.audit.admin_mixins import AuditedAdminMixin

from .models import Holiday


@admin.register(Holiday)
class HolidayAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The administrator keeps the list of weekday holidays that a 公示 period does not count."""

    list_display = ["day", "name"]
    ordering = ["-day"]
