from django.contrib import admin

from makerspace.credit.admin import ReadOnlyAdmin

from .models import AnnualReport, ChangeRequest, EvaluationRound, FiledSpace, ReportRound, StatusChange


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["at", "source", "target", "rule", "reason", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FiledSpace)
class FiledSpaceAdmin(ReadOnlyAdmin):
    list_display = ["number", "name", "operator_name", "city", "year", "status"]
    list_filter = ["status", "year", "city"]
    search_fields = ["number", "name", "operator_name"]
    inlines = [StatusChangeInline]


@admin.register(ReportRound)
class ReportRoundAdmin(ReadOnlyAdmin):
    list_display = ["year", "title", "opened_at", "closed_at"]


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ["round", "filed_space", "state", "submitted_at"]
    list_filter = ["round", "state"]


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(ReadOnlyAdmin):
    list_display = ["year", "title", "graded_at", "published_at", "finalised_at"]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ["filed_space", "field", "old_value", "new_value", "state", "requested_at"]
