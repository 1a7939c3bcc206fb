from django.contrib import admin

from .models import Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """The administrator keeps the list of weekday holidays that a 公示 period does not count."""

    list_display = ["day", "name"]
    ordering = ["-day"]
