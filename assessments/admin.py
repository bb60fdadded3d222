"""Schemes are configuration (editable); runs and their rows are records (read-only here: services write them)."""

from django.contrib import admin

from departments.admin_bases import ReadOnlyAdmin

from .forms import SchemeForm
from .models import ApiToken, AssessmentRun, ScoringScheme, UnitScore


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(admin.ModelAdmin):
    form = SchemeForm  # the same checks as the department's page (no negative points, a lead weight above 0)
    list_display = ["year", "base_score", "on_time_weight", "per_overdue_day", "cooperating_weight", "updated_at"]
    filter_horizontal = ["periods"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(AssessmentRun)
class AssessmentRunAdmin(ReadOnlyAdmin):
    list_display = ["year", "status", "as_of", "computed_at", "published_at", "published_by"]
    list_filter = ["status", "year"]


@admin.register(UnitScore)
class UnitScoreAdmin(ReadOnlyAdmin):
    list_display = ["run", "rank", "unit_name", "score", "on_time_rate", "items_due"]
    list_filter = ["run"]
    list_select_related = ["run"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued and revoked on the department's page (assessments/tokens/) or made with ``manage.py
    create_api_token``; superusers can also revoke them here."""

    list_display = ["name", "prefix", "user", "active", "created_at", "last_used_at"]
    readonly_fields = ["name", "user", "prefix", "created_at", "last_used_at"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False
