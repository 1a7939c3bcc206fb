from django.contrib import admin, messages

from .models import OutboxMessage
from .outbox import outbox_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: an entry changes only by being dispatched, or retried by the action (audited)."""

    list_display = ["pk", "task", "status", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["status", "task"]
    search_fields = ["task", "last_error"]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("core.retry_background_work")

    @admin.action(description="重新发送所选条目", permissions=["retry"])
    def retry(self, request, queryset):
        count = outbox_retry(user=request.user, messages=list(queryset))
        self.message_user(request, f"已重新发送 {count} 条。", messages.SUCCESS)
