from django.contrib import admin

from makerspace.audit.admin_mixins import AuditedAdminMixin

from .models import LetterSettings


@admin.register(LetterSettings)
class LetterSettingsAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("batch", "recommending_unit", "letter_number", "contact_name", "contact_phone")
    list_filter = ("batch",)
