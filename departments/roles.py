"""Cross-unit roles (DESIGN.md "Who uses it") as Django groups, and unit roles as object permissions.

The group names are what administrators see; the codes are what code uses.
``ensure_role_groups`` runs after every ``migrate`` and is idempotent.
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from . import access


class CrossUnitRole(TextChoices):
    GOVERNMENT_OFFICE = "government_office", _("Government office supervisor")
    INSPECTOR = "inspector", _("Inspector")
    PLAN_OFFICE = "plan_office", _("Plan office")
    ASSESSMENT_READER = "assessment_reader", _("Assessment reader")
    ADMINISTRATOR = "administrator", _("Administrator")
    LEADERSHIP = "leadership", _("Leadership group leader")


# Group.name for each role: stable Chinese names, shown in the admin.
GROUP_NAMES = {
    CrossUnitRole.GOVERNMENT_OFFICE: "县政府办公室督查",
    CrossUnitRole.INSPECTOR: "督导检查员",
    CrossUnitRole.PLAN_OFFICE: "领导小组办公室",
    CrossUnitRole.ASSESSMENT_READER: "考核办",
    CrossUnitRole.ADMINISTRATOR: "系统管理员",
    CrossUnitRole.LEADERSHIP: "领导小组领导",
}

_READ_PLAN = [
    "departments.view_unit",
    "departments.view_membership",
    "workflows.view_plan",
    "workflows.view_phase",
    "workflows.view_leadershipposition",
    "workflows.view_dutytemplate",
    "indicators.view_indicator",
    "workflows.view_dutyitem",
    "workflows.view_period",
    "workflows.view_extensionrequest",
    "workflows.view_extensionattachment",
    "workflows.view_handback",
    "indicators.view_schoolprofile",
    "indicators.view_schoolpart",
    "indicators.view_schoolyearfigures",
    "indicators.view_figureedit",
    "indicators.view_evaluationrule",
    "indicators.view_indicatorvalue",
    "indicators.view_coefficientvalue",
    "indicators.view_shortfall",  # the rectification ledger of every school
    "indicators.view_countyfigure",
    "indicators.view_selfevaluationreport",  # download the self-evaluation reports
]
_OPEN_CYCLES = [access.OPEN_CYCLE_PERMISSION, "workflows.add_period"]
# The people of units are kept on Taskboard's own pages (imports, a unit person's password reset), never through
# Django's user admin: only superusers grant staff or superuser status, groups, permissions, or set passwords there.
_KEEP_PLAN = [
    "departments.add_unit",
    "departments.change_unit",
    "departments.add_membership",
    "departments.change_membership",
    "departments.delete_membership",
    access.MANAGE_PEOPLE_PERMISSION,
    "workflows.add_dutytemplate",
    "workflows.change_dutytemplate",
    "indicators.change_indicator",
    "indicators.add_indicator",
    "workflows.change_plan",
    "indicators.add_schoolprofile",
    "indicators.change_schoolprofile",
    "indicators.add_schoolpart",
    "indicators.add_schoolyearfigures",
    "indicators.change_schoolyearfigures",
    "indicators.add_evaluationrule",
    "indicators.change_evaluationrule",
    "indicators.add_countyfigure",
    "indicators.change_countyfigure",
    "indicators.add_selfevaluationreport",  # generate one
]

# Global permissions per role. Liaisons, unit leaders and heads hold none:
# they get object permissions on their own units (UNIT_ROLE_PERMISSIONS).
ROLE_PERMISSIONS = {
    CrossUnitRole.GOVERNMENT_OFFICE: [
        *_READ_PLAN,
        *_OPEN_CYCLES,
        access.OFFICE_PERMISSION,
        "assessments.view_assessmentrun",
    ],
    CrossUnitRole.INSPECTOR: [*_READ_PLAN, access.INSPECT_PERMISSION],
    # The leadership group's leader and deputies (组长、副组长): read every unit, give instructions (批示) on items.
    CrossUnitRole.LEADERSHIP: [*_READ_PLAN, access.INSTRUCT_PERMISSION],
    CrossUnitRole.ASSESSMENT_READER: [
        *_READ_PLAN,
        "assessments.view_assessmentrun",
        "assessments.manage_assessment",
        "assessments.change_scoringscheme",
    ],
    CrossUnitRole.PLAN_OFFICE: _READ_PLAN + _KEEP_PLAN + _OPEN_CYCLES + ["indicators.raise_shortfalls"],
    # Users' names, e-mail and active flag in the admin (never privileges or passwords: departments.admin).
    CrossUnitRole.ADMINISTRATOR: [
        *_READ_PLAN,
        *_KEEP_PLAN,
        "auth.view_user",
        "auth.change_user",
        "auth.view_group",
        "departments.view_passwordchangerequired",  # who must still change a generated password
        "departments.view_passwordreset",  # who reset whose password
        "audit.read_audit_trail",  # the audit trail's pages (audit/)
        "audit.unlock_logins",  # lift a lockout of repeated failed logins
    ],
}

# Object permissions on a Unit that each membership role gives on that unit.
UNIT_ROLE_PERMISSIONS = {
    "liaison": [access.VIEW_UNIT, access.ACT_FOR_UNIT],
    "leader": [access.VIEW_UNIT],
    "head": [access.VIEW_UNIT],
}

# Roles whose members may use the Django admin (the admin checks model permissions itself).
STAFF_ROLES = {CrossUnitRole.PLAN_OFFICE, CrossUnitRole.ADMINISTRATOR}


def ensure_role_groups(sender=None, using="default", verbosity=1, **kwargs):
    """Make each role's group hold exactly the permissions listed here, the code being the truth: a permission
    removed from a role's list is revoked, one granted by hand in the admin too. Runs after every ``migrate``
    and says what it changed (verbosity ≥ 1). Returns {group name: (added, removed)} of the changed groups."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    changes = {}
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=GROUP_NAMES[role])
        wanted_filter = Q(pk__in=[])
        for code in codes:
            app_label, codename = code.split(".")
            wanted_filter |= Q(content_type__app_label=app_label, codename=codename)
        wanted = set(Permission.objects.using(using).filter(wanted_filter))
        held = set(group.permissions.all())
        added, removed = wanted - held, held - wanted
        if added or removed:
            group.permissions.add(*added)
            group.permissions.remove(*removed)
            changes[group.name] = (sorted(_label(p) for p in added), sorted(_label(p) for p in removed))
    if verbosity >= 1:
        for name, (added, removed) in changes.items():
            print(f"角色“{name}”：新增权限 {len(added)} 项，收回权限 {len(removed)} 项")
            for label in removed:
                print(f"  收回 {label}")
    return changes


def _label(permission):
    return f"{permission.content_type.app_label}.{permission.codename}"


def roles_of(user):
    """The cross-unit roles a user holds, as a set of CrossUnitRole."""
    if not user.is_authenticated:
        return set()
    by_name = {name: role for role, name in GROUP_NAMES.items()}
    cached = getattr(user, "_taskboard_roles", None)
    if cached is None:
        names = user.groups.values_list("name", flat=True)
        cached = {by_name[name] for name in names if name in by_name}
        if user.is_superuser:
            cached.add(CrossUnitRole.ADMINISTRATOR)
        user._taskboard_roles = cached
    return cached


def group_for(role):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=GROUP_NAMES[CrossUnitRole(role)])
