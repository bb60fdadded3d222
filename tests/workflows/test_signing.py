"""签收 and 退回交办 through the services and the flow: who may, what the timeline and viewflow record."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from viewflow.workflow.status import STATUS

from departments.models import Membership, Unit
from workflows import services
from workflows.flows import DutyFlow
from workflows.models import DutyItem, HandBack, ItemEvent

pytestmark = pytest.mark.django_db

Stage = DutyItem.Stage


@pytest.fixture
def office(personas):
    return personas["government_office"]


@pytest.fixture
def item(office, units):
    return services.create_ad_hoc_item(
        office,
        unit=units["own"],
        title="校园安全排查",
        deadline=date(2030, 1, 1),
        cooperating_units=[units["cooperating"]],
    )


def task_of(item, node, **filters):
    return item.task_set.filter(flow_task=node, **filters).order_by("pk")


def test_an_assigned_item_awaits_signing_with_an_open_sign_task(item):
    assert item.stage == Stage.SIGNING
    assert item.signed_at is None
    assert task_of(item, DutyFlow.assign).get().status == STATUS.DONE
    sign = task_of(item, DutyFlow.sign).get()
    assert sign.status == STATUS.NEW
    assert sign.owner_permission == "departments.act_for_unit"
    assert sign.owner_permission_obj_pk == str(item.unit_id)


def test_the_owner_liaison_signs_and_the_item_moves_on_to_reporting(item, personas):
    liaison = personas["own_liaison"]
    services.sign_item(liaison, item)
    item.refresh_from_db()
    assert item.stage == Stage.REPORTING
    assert item.signed_at is not None
    event = item.events.get(kind=ItemEvent.Kind.SIGNED)
    assert event.actor == liaison
    sign = task_of(item, DutyFlow.sign).get()
    assert (sign.status, sign.owner) == (STATUS.DONE, liaison)
    assert task_of(item, DutyFlow.report).get().status == STATUS.NEW
    with pytest.raises(ValidationError, match="不能进行此操作"):
        services.sign_item(liaison, item)  # signed already


@pytest.mark.parametrize(
    "persona", ["cooperating_liaison", "stranger_liaison", "no_unit", "government_office", "inspector", "leadership"]
)
def test_only_the_owner_liaison_signs_or_hands_back(item, personas, persona):
    with pytest.raises(PermissionDenied):
        services.sign_item(personas[persona], item)
    with pytest.raises(PermissionDenied):
        services.hand_back_item(personas[persona], item, reason="不是我们的职责")
    item.refresh_from_db()
    assert item.stage == Stage.SIGNING
    assert not HandBack.objects.exists()


def test_a_unit_leader_does_not_sign(item, units, make_user):
    leader = make_user("leader", unit=units["own"], role=Membership.Role.LEADER)
    with pytest.raises(PermissionDenied):
        services.sign_item(leader, item)


def test_reporting_on_an_unsigned_item_signs_it_first(item, personas):
    liaison = personas["own_liaison"]
    services.save_progress(liaison, item, text="已部署")
    item.refresh_from_db()
    assert item.stage == Stage.REPORTING
    assert item.signed_at is not None
    assert item.events.get(kind=ItemEvent.Kind.SIGNED).text == "填报时签收"
    kinds = list(item.events.values_list("kind", flat=True))
    assert kinds.index(ItemEvent.Kind.SIGNED) < kinds.index(ItemEvent.Kind.PROGRESS)


def test_submitting_an_unsigned_item_signs_it_and_completes_both_tasks(item, personas):
    liaison = personas["own_liaison"]
    services.submit_report(liaison, item, text="已完成")
    item.refresh_from_db()
    assert item.stage == Stage.INSPECTING
    assert task_of(item, DutyFlow.sign).get().owner == liaison
    assert task_of(item, DutyFlow.report).get().owner == liaison
    assert task_of(item, DutyFlow.inspect).get().status == STATUS.NEW


def test_a_hand_back_needs_a_reason(item, personas):
    with pytest.raises(ValidationError, match="理由"):
        services.hand_back_item(personas["own_liaison"], item, reason="  ")
    assert not HandBack.objects.exists()


def test_hand_back_then_the_office_gives_it_to_another_unit(item, personas, units, office):
    liaison = personas["own_liaison"]
    hand_back = services.hand_back_item(liaison, item, reason="属于城管局职责")
    item.refresh_from_db()
    assert item.stage == Stage.HANDED_BACK
    assert (hand_back.unit, hand_back.reason, hand_back.resolution) == (
        units["own"],
        "属于城管局职责",
        HandBack.Resolution.PENDING,
    )
    assert item.events.get(kind=ItemEvent.Kind.HANDED_BACK).text == "属于城管局职责"
    review = task_of(item, DutyFlow.review_hand_back).get()
    assert (review.status, review.owner_permission) == (STATUS.NEW, "workflows.assign_item")
    with pytest.raises(ValidationError):
        services.save_progress(liaison, item, text="能否还能填报")  # it is with the office now

    new_unit = units["cooperating"]
    services.resolve_hand_back(office, item, new_unit=new_unit, note="请城管局牵头")
    item.refresh_from_db()
    hand_back.refresh_from_db()
    assert (item.unit, item.stage) == (new_unit, Stage.SIGNING)
    assert item.assignee == personas["cooperating_liaison"]  # the new unit's sole liaison
    assert new_unit not in item.cooperating_units.all()
    assert (hand_back.resolution, hand_back.new_unit, hand_back.resolved_by) == (
        HandBack.Resolution.REASSIGNED,
        new_unit,
        office,
    )
    assert "改由县城管局承办" in item.events.get(kind=ItemEvent.Kind.HANDBACK_RESOLVED).text
    assert task_of(item, DutyFlow.review_hand_back).get().owner == office
    signs = list(task_of(item, DutyFlow.sign))
    assert len(signs) == 2
    assert signs[1].status == STATUS.NEW
    assert signs[1].owner_permission_obj_pk == str(new_unit.pk)  # the new unit's liaisons sign now
    with pytest.raises(PermissionDenied):
        services.sign_item(liaison, item)
    services.sign_item(personas["cooperating_liaison"], item)
    item.refresh_from_db()
    assert item.stage == Stage.REPORTING


def test_the_office_confirms_a_hand_back_and_the_unit_signs_again(item, personas, office):
    services.hand_back_item(personas["own_liaison"], item, reason="人手不足")
    services.resolve_hand_back(office, item, note="属本单位职责，请按期办理")
    item.refresh_from_db()
    assert (item.unit_id, item.stage) == (item.unit_id, Stage.SIGNING)
    assert item.hand_backs.get().resolution == HandBack.Resolution.CONFIRMED
    services.sign_item(personas["own_liaison"], item)
    item.refresh_from_db()
    assert item.stage == Stage.REPORTING


@pytest.mark.parametrize("persona", ["own_liaison", "inspector", "plan_office", "leadership"])
def test_only_the_office_resolves_a_hand_back(item, personas, persona):
    services.hand_back_item(personas["own_liaison"], item, reason="不属于本单位")
    with pytest.raises(PermissionDenied):
        services.resolve_hand_back(personas[persona], item)
    item.refresh_from_db()
    assert item.stage == Stage.HANDED_BACK


def test_a_hand_back_is_not_resolved_to_a_collective_nor_when_none_is_pending(item, personas, office):
    with pytest.raises(ValidationError, match="不能进行此操作"):
        services.resolve_hand_back(office, item)
    services.hand_back_item(personas["own_liaison"], item, reason="不属于本单位")
    collective = Unit.objects.get(kind=Unit.Kind.COLLECTIVE)
    with pytest.raises(ValidationError, match="单位集合"):
        services.resolve_hand_back(office, item, new_unit=collective)


def test_an_item_already_reporting_keeps_working(item, personas, office):
    """Items opened before 签收 existed sit in reporting with a report task: they are reported on as before."""
    services.sign_item(personas["own_liaison"], item)
    services.save_progress(personas["own_liaison"], item, text="进展")
    services.submit_report(personas["own_liaison"], item, text="完成")
    services.inspect_item(personas["inspector"], item, accepted=True)
    item.refresh_from_db()
    assert item.stage == Stage.CLOSED
    assert item.status == STATUS.DONE
    assert item.events.filter(kind=ItemEvent.Kind.SIGNED).count() == 1


def test_withdrawing_a_handed_back_item_cancels_its_review(item, personas, office):
    services.hand_back_item(personas["own_liaison"], item, reason="不属于本单位")
    services.withdraw_item(office, item, reason="任务取消")
    assert task_of(item, DutyFlow.review_hand_back).get().status == STATUS.CANCELED
