from django.contrib import admin

from .models import CreditRecord


@admin.register(CreditRecord)
class CreditRecordAdmin(admin.ModelAdmin):
    """Read-only here: records are added through `credit_record_add`, so each has its audit row."""

    list_display = ["subject_name", "credit_code", "kind", "starts_on", "ends_on", "source_document"]
    list_filter = ["kind"]
    search_fields = ["subject_name", "credit_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
