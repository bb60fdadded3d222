from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import CrontabSchedule

from departments.admin_bases import ReadOnlyAdmin

from .models import Circular, Criticism, Delivery, Notice, NoticePreference, Rung, Urging


@admin.register(Rung)
class RungAdmin(admin.ModelAdmin):
    """The ladder is configuration: the office edits it here."""

    list_display = list(Rung.SETTINGS)
    list_editable = ["offset_days", "repeat_every_days", "in_app", "email", "active"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["recipient", "channel", "status", "attempts", "last_error", "sent_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "unit", "rung", "deadline", "occurrence", "created_at"]
    list_filter = ["kind", "rung"]
    search_fields = ["title"]
    list_select_related = ["unit", "rung"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["notice", "recipient", "channel", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["notice", "recipient"]


@admin.register(Urging)
class UrgingAdmin(ReadOnlyAdmin):
    list_display = ["message", "unit", "created_by", "created_at"]


class CriticismInline(admin.TabularInline):
    model = Criticism
    fields = ["unit", "rectification_item"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Circular)
class CircularAdmin(ReadOnlyAdmin):
    list_display = ["title", "period", "status", "rectification_deadline", "published_at"]
    list_filter = ["status", "period"]
    inlines = [CriticismInline]


@admin.register(Criticism)
class CriticismAdmin(ReadOnlyAdmin):
    list_display = ["circular", "unit", "rectification_item"]


# --- django-celery-beat's schedules (beat's timetable lives in the database, editable here) ----------------------


class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    """The library's admin, whose description of a schedule fails on the values of a refused form (a 500 where the
    form should show its errors): the description says so instead."""

    @admin.display(description=_("human readable"))
    def human_readable(self, schedule):
        try:
            return schedule.human_readable
        except Exception:  # the values are the form's refused ones: its errors say why
            return "（请先改正下面的错误）"


admin.site.unregister(CrontabSchedule)
admin.site.register(CrontabSchedule, CrontabScheduleAdmin)


@admin.register(NoticePreference)
class NoticePreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "mode"]
    list_filter = ["kind", "mode"]
    list_select_related = ["user"]
