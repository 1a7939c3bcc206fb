from django.contrib import admin, messages

from makerspace.audit.admin_mixins import AuditedAdminMixin

from .models import DocumentJob, LetterSettings
from .services import job_retry


@admin.register(LetterSettings)
class LetterSettingsAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("batch", "recommending_unit", "letter_number", "contact_name", "contact_phone")
    list_filter = ("batch",)


@admin.register(DocumentJob)
class DocumentJobAdmin(admin.ModelAdmin):
    """Read-only: a job changes only by running, or by being retried with the action (audited)."""

    list_display = ["pk", "kind", "status", "progress", "attempts", "requested_by", "created_at", "message"]
    list_filter = ["status", "kind"]
    search_fields = ["message", "requested_by__username"]
    raw_id_fields = ["application", "batch", "recommending_unit", "requested_by"]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("core.retry_background_work")

    @admin.action(description="重新生成所选任务", permissions=["retry"])
    def retry(self, request, queryset):
        count = job_retry(user=request.user, jobs=list(queryset))
        self.message_user(request, f"已重新排队 {count} 个任务。", messages.SUCCESS)
