"""The government office's own tools on items: ad-hoc items, withdrawal, deadline extensions, reassignment."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from departments import access
from departments.names import display_name
from workdays.calendar import WorkCalendar

from ..models import DutyItem, ItemEvent
from .steps import complete_assignment, locked, require_stage


def _require_reason(reason, what):
    if not reason.strip():
        raise ValidationError(f"{what}须说明理由。", code="reason")
    return reason.strip()


MAX_WORKING_DAYS = 250  # about a year of working days


def deadline_in_working_days(count, *, start=None, calendar=None):
    """The deadline ``count`` working days after ``start`` (today): 5个工作日内 from a hand-over."""
    calendar = calendar or WorkCalendar.load()
    return calendar.add_working_days(start or timezone.localdate(), count)


@transaction.atomic
def create_ad_hoc_item(
    by,
    *,
    unit,
    title,
    deadline=None,
    working_days=None,
    instructions="",
    cooperating_units=(),
    kind=DutyItem.Kind.AD_HOC,
    assignee=None,
):
    """A one-off task (from the leadership group, or a rectification), assigned at once. Its time limit is a date
    (``deadline``) or a number of working days from today (``working_days``): exactly one of the two."""
    from ..flows import DutyFlow

    access.require(access.can_open_item(by, kind), "只有县政府办公室可以交办任务。")
    if unit.is_collective:
        raise ValidationError("请选择具体单位，而不是单位集合。", code="unit")
    if (deadline is None) == (working_days is None):
        raise ValidationError("请填写截止日期，或填写办理时限（工作日），二选一。", code="deadline")
    if working_days is not None:
        if not 1 <= working_days <= MAX_WORKING_DAYS:
            raise ValidationError(f"办理时限应为 1 至 {MAX_WORKING_DAYS} 个工作日。", code="working_days")
        deadline = deadline_in_working_days(working_days)
    if deadline < timezone.localdate():
        raise ValidationError("截止日期不能早于今天。", code="deadline")
    item = DutyFlow.start.run(
        kind=kind,
        unit=unit,
        title=title.strip(),
        instructions=instructions.strip(),
        deadline=deadline,
        working_days=working_days,
        assignee=assignee,
        created_by=by,
    )
    item.cooperating_units.set([u for u in cooperating_units if u.pk != unit.pk])
    ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.OPENED, actor=by, text=item.get_kind_display())
    complete_assignment(item, by, text=item.instructions)
    return item


@transaction.atomic
def withdraw_item(by, item, *, reason):
    """Cancel an open item with a reason: its viewflow process is cancelled; nothing is deleted."""
    access.require(access.is_office(by), "只有县政府办公室可以进行此操作。")
    reason = _require_reason(reason, "撤回任务")
    from ..flows import DutyFlow

    with locked(item):
        require_stage(item, *DutyItem.OPEN_STAGES)
        DutyFlow.instance.cancel(item)
        item.refresh_from_db()
        item.stage, item.withdrawn_reason, item.closed_at = DutyItem.Stage.WITHDRAWN, reason, timezone.now()
        item.save(update_fields=["stage", "withdrawn_reason", "closed_at"])
        ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.WITHDRAWN, actor=by, text=reason)
    return item


def _open_items(items):
    items = list(items)
    closed = [item for item in items if not item.is_open]
    if closed:
        names = "、".join(f"#{item.pk}" for item in closed[:10])
        raise ValidationError(f"以下任务已结束，不能修改：{names}", code="closed")
    if not items:
        raise ValidationError("请至少选择一项任务。", code="empty")
    return items


@transaction.atomic
def extend_deadlines(by, items, *, new_deadline, reason):
    """Move the deadline of many open items with one reason; each item's timeline records it."""
    access.require(access.is_office(by), "只有县政府办公室可以进行此操作。")
    reason = _require_reason(reason, "调整截止日期")
    if new_deadline < timezone.localdate():
        raise ValidationError("新的截止日期不能早于今天。", code="deadline")
    items = _open_items(DutyItem.objects.select_for_update().filter(pk__in=[i.pk for i in items]).order_by("pk"))
    ItemEvent.objects.bulk_create(
        ItemEvent(
            item=item,
            kind=ItemEvent.Kind.DEADLINE_CHANGED,
            actor=by,
            text=reason,
            old_deadline=item.deadline,
            new_deadline=new_deadline,
        )
        for item in items
    )
    for item in items:  # saved one by one, not by QuerySet.update, so that the audit trail sees each change
        item.deadline = new_deadline
        item.save(update_fields=["deadline"])
    return len(items)


@transaction.atomic
def reassign_items(by, items, *, assignee):
    """Give many open items to another liaison of their unit."""
    access.require(access.is_office(by), "只有县政府办公室可以进行此操作。")
    items = _open_items(
        DutyItem.objects.select_for_update().filter(pk__in=[i.pk for i in items]).select_related("unit").order_by("pk")
    )
    units_of_assignee = access.acting_unit_ids(assignee)
    wrong = [item for item in items if item.unit_id not in units_of_assignee]
    if wrong:
        name = display_name(assignee)
        units = "、".join(sorted({str(item.unit) for item in wrong}))
        raise ValidationError(f"{name}不是以下单位的联络员：{units}", code="assignee")
    ItemEvent.objects.bulk_create(
        ItemEvent(item=item, kind=ItemEvent.Kind.REASSIGNED, actor=by, text=display_name(assignee)) for item in items
    )
    for item in items:  # one by one, for the audit trail (as above)
        item.assignee = assignee
        item.save(update_fields=["assignee"])
    return len(items)
