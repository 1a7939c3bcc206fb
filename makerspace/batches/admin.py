from django.contrib import admin

from .models import Batch, DeadlineExtension


class DeadlineExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    extra = 0
    readonly_fields = ["level", "recommending_unit", "new_deadline", "reason", "granted_by", "granted_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "document_number", "status", "recommender_deadline", "quota"]
    list_filter = ["status", "year"]
    inlines = [DeadlineExtensionInline]
