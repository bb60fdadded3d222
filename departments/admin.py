from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Membership, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "in_leadership_group", "is_sample", "active"]
    list_filter = ["kind", "in_leadership_group", "is_sample", "active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["member_units"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "full_name", "unit", "role", "phone"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]

    @admin.display(description=_("full name"))
    def full_name(self, membership):
        return membership.user.get_full_name()
