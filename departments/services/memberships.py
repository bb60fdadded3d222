"""Memberships, the object permissions that follow from them, and cross-unit roles."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

from .. import access
from ..models import Membership, Unit
from ..roles import UNIT_ROLE_PERMISSIONS


def wanted_unit_permissions(user):
    """The (codename, unit_pk) pairs a user's memberships give."""
    wanted = set()
    for unit_id, role in Membership.objects.filter(user=user).values_list("unit_id", "role"):
        for codename in UNIT_ROLE_PERMISSIONS[role]:
            wanted.add((codename, str(unit_id)))
    return wanted


@transaction.atomic
def sync_unit_permissions(user):
    """Make the user's object permissions on units exactly what their memberships give.

    Membership is the truth; guardian rows are derived from it, so removing a
    membership removes the access it gave (and nothing else).
    """
    unit_type = ContentType.objects.get_for_model(Unit)
    codenames = {code for codes in UNIT_ROLE_PERMISSIONS.values() for code in codes}
    existing = UserObjectPermission.objects.filter(
        user=user, content_type=unit_type, permission__codename__in=codenames
    ).select_related("permission")
    have = {(row.permission.codename, row.object_pk): row for row in existing}
    wanted = wanted_unit_permissions(user)
    stale = [row.pk for key, row in have.items() if key not in wanted]
    if stale:
        UserObjectPermission.objects.filter(pk__in=stale).delete()
    missing = wanted - have.keys()
    units = Unit.objects.in_bulk({int(pk) for _code, pk in missing})
    for codename, unit_pk in sorted(missing):
        assign_perm(f"departments.{codename}", user, units[int(unit_pk)])
    access.forget(user)


@transaction.atomic
def add_member(user, unit, role, phone=""):
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role, defaults={"phone": phone})
    if not created and phone and membership.phone != phone:
        membership.phone = phone
        membership.save(update_fields=["phone"])
    return membership


@transaction.atomic
def grant_role(user, role):
    """Put a user in a cross-unit role's group; roles that configure the system also get the admin."""
    from ..roles import STAFF_ROLES, CrossUnitRole, group_for

    role = CrossUnitRole(role)
    user.groups.add(group_for(role))
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_taskboard_roles", None)
    access.forget(user)
