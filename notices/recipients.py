"""Who is told: resolved for many notices at once, in a fixed number of queries."""

from collections import defaultdict

from django.contrib.auth import get_user_model

from departments import access
from departments.models import Membership
from departments.roles import GROUP_NAMES, CrossUnitRole

# Who is told of each timeline event that makes a notice (notices.services.events).
EVENT_AUDIENCES = {
    "assigned": {"liaisons": True},
    "returned": {"liaisons": True},
    "accepted": {"liaisons": True, "leaders": True},
    "deadline_changed": {"liaisons": True},
    "extension_approved": {"liaisons": True},
    "extension_rejected": {"liaisons": True},
    "extension_requested": {"government_office": True},
    "handed_back": {"government_office": True},
    "handback_resolved": {"liaisons": True},
    "reassigned": {"liaisons": True},
    "instruction": {"liaisons": True},
    "submitted": {"inspectors": True},
}


class Audience:
    """The people behind each unit role and each office, loaded once for a batch of notices."""

    def __init__(self, unit_ids):
        unit_ids = {pk for pk in unit_ids if pk is not None}
        self.liaisons = self._by_unit(access.liaisons(unit_ids))
        self.leaders = self._by_unit(Membership.objects.leaders().filter(unit_id__in=unit_ids))
        offices = {
            GROUP_NAMES[CrossUnitRole.GOVERNMENT_OFFICE]: "government_office",
            GROUP_NAMES[CrossUnitRole.PLAN_OFFICE]: "leadership_office",
            GROUP_NAMES[CrossUnitRole.INSPECTOR]: "inspectors",
        }
        self.offices = defaultdict(list)
        users = get_user_model().objects.filter(groups__name__in=offices, is_active=True)
        for group_name, user_id, email in users.values_list("groups__name", "pk", "email"):
            self.offices[offices[group_name]].append((user_id, email))

    @staticmethod
    def _by_unit(memberships):
        people = defaultdict(list)
        for unit_id, user_id, email in memberships.values_list("unit_id", "user_id", "user__email"):
            people[unit_id].append((user_id, email))
        return people

    def for_notice(
        self,
        *,
        unit_id,
        liaisons=False,
        leaders=False,
        government_office=False,
        leadership_office=False,
        inspectors=False,
    ):
        """(user_id, email) pairs, each person once."""
        people = {}
        chosen = [
            (liaisons, self.liaisons[unit_id]),
            (leaders, self.leaders[unit_id]),
            (government_office, self.offices["government_office"]),
            (leadership_office, self.offices["leadership_office"]),
            (inspectors, self.offices["inspectors"]),
        ]
        for wanted, group in chosen:
            if wanted:
                people.update(group)
        return list(people.items())
