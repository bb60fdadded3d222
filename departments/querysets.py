"""Permission-aware unit queries: the only way views list units."""

from django.db import models


class UnitQuerySet(models.QuerySet):
    def for_user(self, user):
        """Units the user may see: all for holders of the global view permission, else their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_perm("departments.view_unit"):
            return self
        return self.with_object_permission(user, "view_unit")

    def with_object_permission(self, user, codename):
        from guardian.shortcuts import get_objects_for_user

        return get_objects_for_user(
            user, f"departments.{codename}", klass=self, accept_global_perms=False, with_superuser=False
        )
