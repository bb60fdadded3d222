from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import DutyTemplate, Indicator, LeadershipPosition, Phase, Plan


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class LeadershipPositionInline(admin.TabularInline):
    model = LeadershipPosition
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "doc_number", "issuer", "issued_on", "target_year"]
    search_fields = ["title", "doc_number"]
    readonly_fields = ["imported_at"]
    inlines = [PhaseInline, LeadershipPositionInline]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "starts_on", "ends_on"]
    list_filter = ["plan"]


@admin.register(LeadershipPosition)
class LeadershipPositionAdmin(admin.ModelAdmin):
    list_display = ["plan", "order", "position", "holder", "unit"]
    list_filter = ["plan", "position"]
    list_select_related = ["plan", "unit"]


@admin.register(DutyTemplate)
class DutyTemplateAdmin(admin.ModelAdmin):
    list_display = ["position", "lead_unit", "short_text", "cadence", "due_month", "due_day", "weight", "active"]
    list_filter = ["plan", "cadence", "active", "lead_unit"]
    list_editable = ["cadence", "due_month", "due_day", "weight", "active"]
    search_fields = ["text", "lead_unit__name"]
    autocomplete_fields = ["lead_unit", "cooperating_units"]
    list_select_related = ["lead_unit"]

    @admin.display(description=_("Position"), ordering="paragraph")
    def position(self, template):
        return template.position_label

    @admin.display(description=DutyTemplate._meta.get_field("text").verbose_name)
    def short_text(self, template):
        return template.text[:40]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "stage", "scope", "comparison", "threshold", "unit_of_measure", "level", "section"]
    list_filter = ["plan", "stage", "level", "section"]
    search_fields = ["name", "code", "source_sentence"]
