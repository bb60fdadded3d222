from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import access
from .admin_bases import ReadOnlyAdmin, SafeAutocomplete
from .models import Membership, PasswordChangeRequired, PasswordReset, Unit
from .names import full_name


def _guarded_membership_form(form_class, request):
    """The membership form, refusing a person the requesting user may not make a unit's member (a membership
    gives that unit's powers: access.may_give_memberships_to)."""

    class GuardedMembershipForm(form_class):
        def clean_user(self):
            person = self.cleaned_data.get("user")
            if person is not None and not access.may_give_memberships_to(request.user, person):
                raise ValidationError(
                    "不能为本人或工作人员、跨单位角色账号设置单位职务；如确需设置，请联系超级管理员。",
                    code="privileged",
                )
            return person

    return GuardedMembershipForm


class MembershipInline(SafeAutocomplete, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _guarded_membership_form(formset.form, request)
        return formset


@admin.register(Unit)
class UnitAdmin(SafeAutocomplete, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "in_leadership_group", "is_sample", "active"]
    list_filter = ["kind", "in_leadership_group", "is_sample", "active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["member_units"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SafeAutocomplete, admin.ModelAdmin):
    list_display = ["user", "full_name", "unit", "role", "phone"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]

    def get_form(self, request, obj=None, **kwargs):
        return _guarded_membership_form(super().get_form(request, obj, **kwargs), request)

    @admin.display(description=_("full name"))
    def full_name(self, membership):
        return membership.user.get_full_name()


# --- people: least privilege --------------------------------------------------------------------------------------

User = get_user_model()
PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


class PeopleAdmin(UserAdmin):
    """Django's user admin, with every privilege kept for superusers.

    Only a superuser adds or deletes accounts, sets another person's password, or grants staff or superuser
    status, groups and permissions. Other staff who may change users (the administrators' role) edit names,
    e-mail and the active flag of accounts that hold no cross-unit role and are not staff; they do not see the
    privilege fields at all, so a posted ``is_superuser`` is ignored. The people of units are otherwise kept on
    Taskboard's pages (imports, a unit person's password reset), never here.
    """

    list_display = ["username", "full_name", "email", "is_staff", "is_active"]

    @admin.display(description=_("full name"), ordering="last_name")
    def full_name(self, user):
        return full_name(user)  # 姓名: "张伟", not Django's "first_name last_name" columns side by side

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        kept = []
        for name, options in fieldsets:
            fields = [field for field in options.get("fields", ()) if field not in (*PRIVILEGE_FIELDS, "password")]
            if fields:
                kept.append((name, {**options, "fields": fields}))
        return kept

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, "last_login", "date_joined"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return request.user.is_superuser or obj is None or not access.holds_cross_unit_role(obj)

    def user_change_password(self, request, id, form_url=""):
        access.require(request.user.is_superuser, "只有超级管理员可以设置他人的密码。")
        return super().user_change_password(request, id, form_url)


admin.site.unregister(User)
admin.site.register(User, PeopleAdmin)


@admin.register(PasswordChangeRequired)
class PasswordChangeRequiredAdmin(ReadOnlyAdmin):
    list_display = ["user", "reason", "since"]
    list_select_related = ["user"]


@admin.register(PasswordReset)
class PasswordResetAdmin(ReadOnlyAdmin):
    list_display = ["person", "reset_by", "reset_at"]
    list_select_related = ["person", "reset_by"]
