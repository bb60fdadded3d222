import pytest
from django.utils import timezone

from departments.models import Membership
from departments.services import add_member
from workflows import services as workflow_services


@pytest.fixture
def office(personas):
    return personas["government_office"]


@pytest.fixture
def leader(make_user, units):
    user = make_user("leader", unit=units["own"], role=Membership.Role.LEADER, email="leader@example.gov.cn")
    return user


@pytest.fixture
def make_due_item(office, units):
    """An open item of the own unit, due on ``deadline``, signed for (``signed=False``: still 待签收)."""

    def make(deadline, unit=None, signed=True, **fields):
        from workflows.flows import DutyFlow
        from workflows.models import DutyItem

        item = DutyFlow.start.run(
            kind=DutyItem.Kind.AD_HOC,
            unit=unit or units["own"],
            title=fields.pop("title", "校园周边环境整治"),
            deadline=deadline,
            created_by=office,
        )
        workflow_services.steps.complete_assignment(item, office)
        if signed:  # as its liaison would (the test needs no person for it): off the unsigned reminder's ladder
            workflow_services.steps.perform_signing(item, office, text="签收")
        return item

    return make


@pytest.fixture
def liaison_with_email(personas):
    user = personas["own_liaison"]
    user.email = "liaison@example.gov.cn"
    user.save()
    return user


def today():
    return timezone.localdate()


__all__ = ["add_member", "today"]
