from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]
    raw_id_fields = ["recipient", "application"]

    # Messages the system sent are a record: read here, never written.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
