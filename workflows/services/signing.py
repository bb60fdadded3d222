"""签收 and 退回交办: the owner unit signs for an item handed to it, or hands it back to the office with a reason;
the office then gives it to another unit or confirms it as this unit's duty, and the item awaits signing again.

Each is one transaction under the item's lock, performed as its viewflow task (sign, review_hand_back).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from departments import access

from ..models import DutyItem, HandBack, ItemEvent
from .steps import _flow, _perform_task, locked, perform_signing, require_stage

Stage = DutyItem.Stage


@transaction.atomic
def sign_item(by, item):
    """签收: the owner unit's liaison signs for the item; it moves on to reporting."""
    access.require(access.acts_for(by, item.unit_id), "只有承办单位的联络员可以签收。")
    with locked(item):
        require_stage(item, Stage.SIGNING)
        perform_signing(item, by)
    return item


@transaction.atomic
def hand_back_item(by, item, *, reason):
    """退回交办: the owner unit's liaison says the item is not its duty, with a reason; the office reviews it."""
    access.require(access.acts_for(by, item.unit_id), "只有承办单位的联络员可以退回交办。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("退回交办须说明理由。", code="reason")
    with locked(item):
        require_stage(item, Stage.SIGNING)
        hand_back = HandBack.objects.create(item=item, unit=item.unit, handed_back_by=by, reason=reason)
        item.stage = Stage.HANDED_BACK
        item.save(update_fields=["stage"])
        _perform_task(item, _flow().sign, by)
        ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.HANDED_BACK, actor=by, text=reason)
    return hand_back


def pending_hand_back(item):
    return HandBack.objects.filter(item=item, resolution=HandBack.Resolution.PENDING).first()


@transaction.atomic
def resolve_hand_back(by, item, *, new_unit=None, note=""):
    """The office gives a handed-back item to ``new_unit`` (its sole liaison, if it has one, becomes the assignee),
    or, without one (or with the same unit), confirms it as the unit's duty. The item awaits signing again."""
    access.require(access.is_office(by), "只有县政府办公室可以处理退回交办。")
    note = (note or "").strip()
    if new_unit is not None and new_unit.is_collective:
        raise ValidationError("请选择具体单位，而不是单位集合。", code="new_unit")
    with locked(item):
        require_stage(item, Stage.HANDED_BACK)
        hand_back = pending_hand_back(item)
        if hand_back is None:
            raise ValidationError("这项任务没有待处理的退回交办。", code="state")
        reassigned = new_unit is not None and new_unit.pk != item.unit_id
        old_unit = item.unit
        if reassigned:
            item.unit = new_unit
            item.assignee = access.sole_liaisons([new_unit.pk]).get(new_unit.pk)
            item.cooperating_units.remove(new_unit)
            text = f"改由{new_unit}承办"
        else:
            text = f"确认由{old_unit}承办"
        item.stage = Stage.SIGNING
        item.save(update_fields=["unit", "assignee", "stage"])
        hand_back.resolution = HandBack.Resolution.REASSIGNED if reassigned else HandBack.Resolution.CONFIRMED
        hand_back.new_unit = new_unit if reassigned else None
        hand_back.resolved_by, hand_back.resolved_at, hand_back.resolution_note = by, timezone.now(), note
        hand_back.save()
        _perform_task(item, _flow().review_hand_back, by)  # the next sign task is for the item's (new) unit
        ItemEvent.objects.create(
            item=item, kind=ItemEvent.Kind.HANDBACK_RESOLVED, actor=by, text=f"{text}。{note}" if note else text
        )
    return hand_back
