"""The home page's to-do sections: one per role the person holds, each None when they do not hold it."""

from django.utils import timezone

from departments import access

from .county import inspection_work, leadership_work, office_work
from .leader import leader_work
from .liaison import liaison_work
from .offices import assessment_work, plan_office_work


def sections(user, today=None):
    """{name: the section's reads, or None}. A person with several roles gets each of their sections."""
    today = today or timezone.localdate()
    return {
        "liaison": liaison_work(user, today),
        "leader": leader_work(user, today),
        "inspection": inspection_work(user) if access.can_inspect(user) else None,
        "office": office_work(user, today) if access.is_office(user) else None,
        "leadership": leadership_work(user, today) if access.gives_instructions(user) else None,
        "plan_office": plan_office_work(user, today) if access.can_raise_shortfalls(user) else None,
        "assessment": assessment_work(user, today) if access.manages_assessment(user) else None,
    }
