from django.contrib import admin

from .models import CreditImport, CreditRecord, Disqualification


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only here: every write goes through the services, so each has its audit row."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CreditRecord)
class CreditRecordAdmin(ReadOnlyAdmin):
    list_display = [
        "subject_name",
        "credit_code",
        "kind",
        "starts_on",
        "ends_on",
        "origin",
        "source_document",
    ]
    list_filter = ["kind", "origin"]
    search_fields = ["subject_name", "credit_code"]


@admin.register(CreditImport)
class CreditImportAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "uploaded_by", "status", "created_count", "created_at"]


@admin.register(Disqualification)
class DisqualificationAdmin(ReadOnlyAdmin):
    list_display = ["application", "state_before", "decided_by", "decided_at"]
