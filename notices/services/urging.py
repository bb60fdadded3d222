"""催办: the government office presses items; each item's liaisons and leaders are told, and its timeline says so."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from departments import access
from workflows import services as workflow_services
from workflows.models import DutyItem

from ..models import Notice, Urging
from .sweep import plan_deliveries, schedule_dispatch


@transaction.atomic
def urge_items(by, items, *, message, unit=None):
    """Urge open items with one message. Returns the Urging."""
    access.require(access.is_office(by), "只有县政府办公室可以催办。")
    message = message.strip()
    if not message:
        raise ValidationError("请填写催办内容。", code="message")
    items = list(DutyItem.objects.filter(pk__in=[item.pk for item in items]).order_by("pk"))
    closed = [item for item in items if not item.is_open]
    if closed:
        raise ValidationError("已结束的任务不能催办：" + "、".join(f"#{item.pk}" for item in closed), code="closed")
    if not items:
        raise ValidationError("没有可以催办的任务。", code="empty")
    urging = Urging.objects.create(message=message, unit=unit, created_by=by)
    Notice.objects.bulk_create(
        Notice(
            kind=Notice.Kind.URGING,
            item=item,
            unit_id=item.unit_id,
            urging=urging,
            title=f"催办：{item.title}"[:200],
            body=f"{message}\n（截止日期 {item.deadline:%Y年%m月%d日}）",
        )
        for item in items
    )
    workflow_services.record_urging(by, items, message)
    plan_deliveries()
    schedule_dispatch()
    urging.item_count = len(items)
    return urging


OVERDUE, ALL_OPEN = "overdue", "open"


def unit_items_to_urge(unit, scope=OVERDUE, today=None):
    """A unit's items an urging presses: its overdue ones (still owed, past the deadline), or every open one."""
    items = DutyItem.objects.filter(unit=unit, stage__in=DutyItem.OPEN_STAGES)
    if scope == OVERDUE:
        items = items.filter(stage__in=DutyItem.WORKING_STAGES, deadline__lt=today or timezone.localdate())
    return items


def urge_unit(by, unit, *, message, scope=OVERDUE):
    """Urge a unit's overdue items (by default) or every open item. The Urging's ``item_count`` says how many."""
    access.require(access.is_office(by), "只有县政府办公室可以催办。")
    if scope not in (OVERDUE, ALL_OPEN):
        raise ValidationError("请选择催办范围：逾期任务或全部未办结任务。", code="scope")
    items = list(unit_items_to_urge(unit, scope))
    if not items:
        what = "逾期未办结的任务" if scope == OVERDUE else "未办结的任务"
        raise ValidationError(f"{unit}没有{what}，无需催办。", code="empty")
    return urge_items(by, items, message=message, unit=unit)
