from django.contrib import admin

from .models import CalendarDay, CoveredYear


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(CoveredYear)
class CoveredYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "loaded_by", "loaded_at"]
    readonly_fields = ["loaded_by", "loaded_at"]
