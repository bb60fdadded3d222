"""催办: the government office presses items; each item's liaisons and leaders are told, and its timeline says so."""

from django.core.exceptions import ValidationError
from django.db import transaction

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
    return urging


def urge_unit(by, unit, *, message):
    """Urge every open item of a unit."""
    items = DutyItem.objects.filter(unit=unit, stage__in=DutyItem.OPEN_STAGES)
    return urge_items(by, items, message=message, unit=unit)
