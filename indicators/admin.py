from django.contrib import admin

from departments.admin_bases import ReadOnlyAdmin, SafeAutocomplete

from .models import (
    CoefficientValue,
    CountyFigure,
    EvaluationRule,
    FigureEdit,
    FundingRule,
    Indicator,
    IndicatorValue,
    PendingUpload,
    SchoolPart,
    SchoolProfile,
    SchoolYearFigures,
    SelfEvaluationReport,
    Shortfall,
    StaleYear,
)
from .services.schools import ensure_parts


class SchoolPartInline(admin.TabularInline):
    model = SchoolPart
    extra = 0


@admin.register(SchoolProfile)
class SchoolProfileAdmin(SafeAutocomplete, admin.ModelAdmin):
    list_display = ["unit", "township", "school_type", "is_public", "is_boarding"]
    list_filter = ["school_type", "is_public", "is_boarding", "township"]
    search_fields = ["unit__name", "unit__short_name"]
    autocomplete_fields = ["unit", "township"]
    list_select_related = ["unit", "township"]
    inlines = [SchoolPartInline]

    def save_related(self, request, form, formsets, change):
        """After the profile and its inline parts: a part for every stage of its type (the schools service)."""
        super().save_related(request, form, formsets, change)
        ensure_parts(form.instance)


@admin.register(SchoolPart)
class SchoolPartAdmin(admin.ModelAdmin):
    list_display = ["school", "stage"]
    list_filter = ["stage", "school__school_type"]
    search_fields = ["school__unit__name"]
    list_select_related = ["school__unit"]


class FigureEditInline(admin.TabularInline):
    model = FigureEdit
    extra = 0
    can_delete = False
    readonly_fields = ["field", "old_value", "new_value", "source", "reason", "edited_by", "edited_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SchoolYearFigures)
class SchoolYearFiguresAdmin(admin.ModelAdmin):
    """Read-mostly: figures change by import or on the school's page, where every change is recorded."""

    list_display = ["part", "year", "students", "classes", "updated_at"]
    list_filter = ["year", "part__stage", "part__school__school_type"]
    search_fields = ["part__school__unit__name"]
    list_select_related = ["part__school__unit"]
    readonly_fields = ["updated_at"]
    inlines = [FigureEditInline]

    def has_add_permission(self, request):
        return False  # figures come by import or the school's page: checked, recorded, and the year recomputed

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FigureEdit)
class FigureEditAdmin(admin.ModelAdmin):
    list_display = ["figures", "field", "old_value", "new_value", "source", "edited_by", "edited_at"]
    list_filter = ["source", "figures__year"]
    list_select_related = ["figures__part__school__unit", "edited_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EvaluationRule)
class EvaluationRuleAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "min_reached",
        "floor_ratio",
        "exclude_special_schools",
        "teaching_point_min_students",
        "exclude_private_schools",
        "junior_weight",
    ]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["part", "year", "code", "value", "threshold", "reached", "below_floor"]
    list_filter = ["year", "code", "reached", "part__stage"]
    list_select_related = ["part__school__unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CoefficientValue)
class CoefficientValueAdmin(admin.ModelAdmin):
    list_display = ["year", "stage", "code", "coefficient", "county_ratio", "parts", "students", "reached"]
    list_filter = ["year", "stage", "reached"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Shortfall)
class ShortfallAdmin(ReadOnlyAdmin):
    """Read-only: rows are written when the plan office raises a year's 问题清单 (indicators:shortfalls)."""

    list_display = ["school", "year", "stage", "code", "text", "below_floor", "item", "raised_at"]
    list_filter = ["year", "code", "below_floor"]
    search_fields = ["school__unit__name", "text"]
    list_select_related = ["school__unit", "item__unit"]
    raw_id_fields = ["item"]


@admin.register(CountyFigure)
class CountyFigureAdmin(admin.ModelAdmin):
    """Read-only: county figures are entered on their page, where who may enter which is checked."""

    list_display = ["year", "code", "scope", "value", "entered_by", "entered_at", "note"]
    list_filter = ["year", "code"]
    list_select_related = ["entered_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SelfEvaluationReport)
class SelfEvaluationReportAdmin(admin.ModelAdmin):
    """Read-only: reports are generated on their page (自评报告); a stuck job can be deleted here."""

    list_display = ["year", "status", "progress", "step", "requested_by", "created_at", "finished_at"]
    list_filter = ["year", "status"]
    list_select_related = ["requested_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "stage", "scope", "comparison", "threshold", "unit_of_measure", "level", "section"]
    list_filter = ["plan", "stage", "level", "section"]
    search_fields = ["name", "code", "source_sentence"]


@admin.register(FundingRule)
class FundingRuleAdmin(admin.ModelAdmin):
    """A funding rule of the plan (e.g. 不足100名学生的小学和教学点按100名学生核定公用经费), written by the plan
    import."""

    list_display = ["applies_to", "name", "students", "section", "plan"]
    list_filter = ["plan"]
    search_fields = ["name", "applies_to", "source_sentence"]


@admin.register(StaleYear)
class StaleYearAdmin(admin.ModelAdmin):
    """Read-only: years are marked when a rule, a threshold or a school's type changes, and unmarked by the
    worker that recomputes them (indicators.refresh_stale_years)."""

    list_display = ["year", "marked_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PendingUpload)
class PendingUploadAdmin(admin.ModelAdmin):
    """Read-only: a figures file waiting for its uploader's confirmation; expired ones are purged by beat."""

    list_display = ["year", "name", "uploaded_by", "uploaded_at"]
    list_select_related = ["uploaded_by"]
    fields = ["year", "name", "format", "changes", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
