"""Unit and membership queries: permission-aware lists, and the collectives' members (active ones only)."""

from django.db import models


class UnitQuerySet(models.QuerySet):
    def for_user(self, user):
        """Units the user may see: every unit for the cross-unit roles, else their own (``departments.access``)."""
        from . import access

        if not access.is_signed_in(user):
            return self.none()
        if access.sees_every_unit(user):
            return self
        return self.filter(pk__in=access.own_unit_ids(user))

    def _member_links(self):
        """The collective → member links whose member is active (an inactive township speaks for nobody)."""
        return self.model.member_units.through.objects.filter(to_unit__active=True)

    def collectives_of(self, unit_ids):
        """Ids of the collectives that have one of ``unit_ids`` as an active member."""
        if not unit_ids:
            return frozenset()
        links = self._member_links().filter(to_unit_id__in=unit_ids)
        return frozenset(links.values_list("from_unit_id", flat=True))

    def active_members_of(self, collective_ids):
        """The active member units of the collectives ``collective_ids``."""
        return self.filter(pk__in=self._member_links().filter(from_unit_id__in=collective_ids).values("to_unit_id"))

    def member_links(self, collective_ids=None):
        """(collective id, active member id) pairs, of every collective or of ``collective_ids``."""
        links = self._member_links().filter(from_unit__kind=self.model.Kind.COLLECTIVE)
        if collective_ids is not None:
            links = links.filter(from_unit_id__in=collective_ids)
        return links.values_list("from_unit_id", "to_unit_id")


class MembershipQuerySet(models.QuerySet):
    def liaisons(self):
        """The memberships of active people as liaisons: who acts for each unit."""
        return self.filter(role=self.model.Role.LIAISON, user__is_active=True)

    def leaders(self):
        """The memberships of active people as the unit's leader in charge or head: who answers for it."""
        return self.filter(role__in=[self.model.Role.LEADER, self.model.Role.HEAD], user__is_active=True)
