"""The people of the simulation: the office, an inspector, the plan office, the assessor and each unit's liaison.

People who already hold a role (the demo's accounts, a county's real staff on a copy of its database) play it;
a role or a unit without anyone gets a simulated account that cannot log in (unusable password).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from departments import access
from departments.models import Membership, Unit
from departments.roles import CrossUnitRole, group_for
from departments.services import add_member, grant_role

ROLE_ACCOUNTS = {
    CrossUnitRole.GOVERNMENT_OFFICE: ("sim-office", "模拟 政府办督查员"),
    CrossUnitRole.INSPECTOR: ("sim-inspector", "模拟 督导室检查员"),
    CrossUnitRole.PLAN_OFFICE: ("sim-planoffice", "模拟 领导小组办公室干事"),
    CrossUnitRole.ASSESSMENT_READER: ("sim-assessor", "模拟 考核办干事"),
}


@dataclass
class Cast:
    office: object
    inspector: object
    plan_office: object
    assessor: object
    liaisons: dict  # unit id → the liaison who acts for it

    @classmethod
    def gather(cls):
        people = {role: _role_holder(role) for role in ROLE_ACCOUNTS}
        return cls(
            office=people[CrossUnitRole.GOVERNMENT_OFFICE],
            inspector=people[CrossUnitRole.INSPECTOR],
            plan_office=people[CrossUnitRole.PLAN_OFFICE],
            assessor=people[CrossUnitRole.ASSESSMENT_READER],
            liaisons=_liaisons(),
        )

    def liaison_of(self, unit_id):
        """The unit's liaison; a unit that gained none since (a school) gets one."""
        if unit_id not in self.liaisons:
            self.liaisons.update(_liaisons([unit_id]))
        return self.liaisons[unit_id]


def _role_holder(role):
    holder = get_user_model().objects.filter(groups=group_for(role), is_active=True).order_by("pk").first()
    if holder is None:
        username, name = ROLE_ACCOUNTS[role]
        holder = _simulated_user(username, name)
        grant_role(holder, role)
    return holder


def _liaisons(unit_ids=None):
    """{unit id: User}: the lowest-numbered active liaison of each active unit that is not a collective nor a
    school (a school's rectification items go to 县教委 while it has no liaison); one is created where none is."""
    units = Unit.objects.filter(active=True).exclude(kind__in=[Unit.Kind.COLLECTIVE, Unit.Kind.SCHOOL])
    if unit_ids is not None:
        units = Unit.objects.filter(pk__in=unit_ids)
    unit_ids = list(units.order_by("pk").values_list("pk", flat=True))
    first = {unit_id: ids[0] for unit_id, ids in access.liaisons_by_unit(unit_ids).items()}
    users = get_user_model().objects.in_bulk(first.values())
    liaisons = {unit_id: users[user_id] for unit_id, user_id in first.items()}
    for unit in Unit.objects.filter(pk__in=set(unit_ids) - set(liaisons)).order_by("pk"):
        user = _simulated_user(f"sim-liaison-{unit.name}", f"模拟 {unit.name}联络员")
        add_member(user, unit, Membership.Role.LIAISON)
        liaisons[unit.pk] = user
    return liaisons


def _simulated_user(username, full_name):
    user, created = get_user_model().objects.get_or_create(username=username, defaults={"first_name": full_name})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
