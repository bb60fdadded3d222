"""Permission-aware querysets: the only way views list units and memberships."""

from django.db import models


class UnitQuerySet(models.QuerySet):
    def for_user(self, user):
        """Units the user may see: all for holders of the global view permission, else their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_perm("departments.view_unit"):
            return self
        return self.with_object_permission(user, "view_unit")

    def acting_for(self, user):
        """Units the user may act for (report their duties). Never granted globally."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.with_object_permission(user, "act_for_unit")

    def with_object_permission(self, user, codename):
        from guardian.shortcuts import get_objects_for_user

        return get_objects_for_user(
            user, f"departments.{codename}", klass=self, accept_global_perms=False, with_superuser=False
        )

    def collectives(self):
        return self.filter(kind="collective")


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        from .models import Unit

        return self.filter(unit__in=Unit.objects.for_user(user))
