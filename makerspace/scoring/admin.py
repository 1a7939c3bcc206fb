from django.contrib import admin

from .models import ExpertProfile


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation_name", "city", "specialty"]
    search_fields = ["organisation_name", "user__full_name"]
