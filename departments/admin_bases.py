"""Bases of the project's ModelAdmins: records that only services write, and autocomplete fields that survive a
posted id of the wrong kind.

``ReadOnlyAdmin``: rows the services write (an item's history, notices, runs, audit rows) are read in the admin,
never added, changed or deleted there.

Autocomplete:
Django's autocomplete widgets, when a form with errors is shown again, filter the related table by the posted
value as it is: a non-numeric id ("abc") raises ValueError there, an HTTP 500 instead of the form's own
"选择一个有效的选项" error. ``SafeAutocomplete`` (a mixin for ModelAdmin and inlines) gives them widgets that
leave such values out when they render.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class _DropsValuesOfTheWrongKind:
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        usable = []
        for one in value:
            try:
                if one not in ("", None):
                    target.to_python(one)
            except (ValidationError, ValueError, TypeError):
                continue
            usable.append(one)
        return super().optgroups(name, usable, attr)


class SafeAutocompleteSelect(_DropsValuesOfTheWrongKind, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_DropsValuesOfTheWrongKind, AutocompleteSelectMultiple):
    pass


class SafeAutocomplete:
    """Mix into a ModelAdmin or an inline that has ``autocomplete_fields``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by the services (which keep their history and their invariants); never deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
