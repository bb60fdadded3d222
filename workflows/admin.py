from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from departments.admin_bases import ReadOnlyAdmin, SafeAutocomplete

from .models import (
    DutyItem,
    DutyTemplate,
    Evidence,
    ExtensionAttachment,
    ExtensionRequest,
    HandBack,
    Inspection,
    ItemEvent,
    LeadershipPosition,
    Period,
    Phase,
    Plan,
    Report,
)


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class LeadershipPositionInline(SafeAutocomplete, admin.TabularInline):
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
class DutyTemplateAdmin(SafeAutocomplete, admin.ModelAdmin):
    list_display = [
        "position",
        "lead_unit",
        "short_text",
        "cadence",
        "due_month",
        "due_day",
        "working_days",
        "weight",
        "active",
        "source_form",
        "retired_on",
    ]
    list_filter = ["plan", "cadence", "active", "source_form", ("retired_on", admin.EmptyFieldListFilter), "lead_unit"]
    list_editable = ["cadence", "due_month", "due_day", "working_days", "weight", "active"]
    readonly_fields = ["place", "source_form", "retired_on"]
    search_fields = ["text", "lead_unit__name", "unresolved_mentions"]
    autocomplete_fields = ["lead_unit", "cooperating_units"]
    list_select_related = ["lead_unit"]

    @admin.display(description=_("Position"), ordering="paragraph")
    def position(self, template):
        return template.position_label

    @admin.display(description=DutyTemplate._meta.get_field("text").verbose_name)
    def short_text(self, template):
        return template.text[:40]


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ["label", "plan", "kind", "starts_on", "ends_on", "opened_by", "opened_at"]
    list_filter = ["plan", "kind"]


class ItemEventInline(admin.TabularInline):
    model = ItemEvent
    fields = ["created_at", "kind", "actor", "text", "old_deadline", "new_deadline"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DutyItem)
class DutyItemAdmin(ReadOnlyAdmin):
    list_display = ["pk", "title", "unit", "period", "deadline", "stage", "reworks", "assignee"]
    list_filter = ["stage", "kind", "period", "unit__kind"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit", "period", "assignee"]
    fields = [
        "title",
        "kind",
        "unit",
        "cooperating_units",
        "template",
        "period",
        "occurrence",
        "deadline",
        "assignee",
        "stage",
        "reworks",
        "instructions",
        "submitted_at",
        "closed_at",
        "withdrawn_reason",
        "created_by",
        "status",
        "created",
        "finished",
    ]
    inlines = [ItemEventInline]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["item", "kind", "unit", "author", "progress", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["item__unit", "unit", "author"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "kind_label", "size", "report", "uploaded_at"]
    list_select_related = ["report__unit"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["item", "verdict", "inspector", "new_deadline", "created_at"]
    list_filter = ["verdict"]
    list_select_related = ["item__unit", "inspector"]


@admin.register(ItemEvent)
class ItemEventAdmin(ReadOnlyAdmin):
    list_display = ["item", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["item__unit", "actor"]


class ExtensionAttachmentInline(admin.TabularInline):
    model = ExtensionAttachment
    fields = ["original_name", "kind_label", "size", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ["item", "unit", "current_deadline", "requested_deadline", "status", "decided_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["item__unit", "unit", "decided_by"]
    inlines = [ExtensionAttachmentInline]


@admin.register(ExtensionAttachment)
class ExtensionAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "kind_label", "size", "request", "uploaded_at"]
    list_select_related = ["request"]


@admin.register(HandBack)
class HandBackAdmin(ReadOnlyAdmin):
    list_display = ["item", "unit", "resolution", "new_unit", "resolved_by", "created_at"]
    list_filter = ["resolution"]
    list_select_related = ["item__unit", "unit", "new_unit", "resolved_by"]
