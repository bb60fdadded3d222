"""通报: a circular praises units and names slow ones with their overdue items and a deadline to rectify.

Publishing notifies every unit, records the circular on the criticised items' timelines, and
creates one rectification item per criticised unit in the duty flow — all in one transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from departments import access
from departments.models import Unit
from workflows import services as workflow_services
from workflows.models import DutyItem

from ..models import Circular, Criticism, Notice
from .sweep import plan_deliveries, schedule_dispatch


@transaction.atomic
def draft_circular(by, *, title, period, rectification_deadline, criticised, praised_units=(), summary=""):
    """Save a draft. ``criticised``: the units to name (e.g. the keys of ``reads.circular_candidates``); each is named
    with every one of its circular candidates of the period at this moment (``reads.period_candidates``), written
    in a fixed number of queries however many there are."""
    access.require(access.is_office(by), "只有县政府办公室可以起草和发布通报。")
    criticised = list(dict.fromkeys(criticised))  # units, once each, in the order given
    if rectification_deadline < timezone.localdate():
        raise ValidationError("整改期限不能早于今天。", code="deadline")
    if not criticised and not praised_units:
        raise ValidationError("通报至少要表扬或点名一个单位。", code="empty")
    overlap = set(praised_units) & set(criticised)
    if overlap:
        raise ValidationError("同一单位不能既表扬又点名：" + "、".join(str(u) for u in overlap), code="overlap")
    _refuse_praise_of_overdue_units(period, praised_units)
    circular = Circular.objects.create(
        title=title.strip(),
        period=period,
        summary=summary.strip(),
        rectification_deadline=rectification_deadline,
        created_by=by,
    )
    circular.praised_units.set(praised_units)
    _name_units(circular, criticised)
    return circular


def _name_units(circular, units):
    """A criticism per unit, with the unit's candidate items of the circular's period (three queries)."""
    from ..reads import period_candidates

    criticisms = Criticism.objects.bulk_create([Criticism(circular=circular, unit=unit) for unit in units])
    by_unit = {criticism.unit_id: criticism.pk for criticism in criticisms}
    items = period_candidates(circular.period).filter(unit_id__in=by_unit).order_by().values_list("unit_id", "pk")
    through = Criticism.items.through
    through.objects.bulk_create(
        (through(criticism_id=by_unit[unit_id], dutyitem_id=pk) for unit_id, pk in items.iterator(chunk_size=5000)),
        batch_size=5000,
    )


def _refuse_praise_of_overdue_units(period, praised_units):
    """表扬 only units with no overdue item in the period (``reads.units_with_overdue_items``)."""
    from ..reads import units_with_overdue_items

    overdue = units_with_overdue_items(period, [unit.pk for unit in praised_units])
    if overdue:
        names = "、".join(f"{unit}（逾期 {overdue[unit.pk]} 项）" for unit in praised_units if unit.pk in overdue)
        raise ValidationError(f"本周期有逾期任务的单位不能表扬：{names}。", code="praise_overdue")


@transaction.atomic
def publish_circular(by, circular):
    """Publish a draft: notices to every unit, rectification items for the criticised ones."""
    access.require(access.is_office(by), "只有县政府办公室可以起草和发布通报。")
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.status != Circular.Status.DRAFT:
        raise ValidationError("这份通报已经发布。", code="published")
    criticisms = list(circular.criticisms.select_related("unit").prefetch_related("items"))
    for criticism in criticisms:
        overdue = "；".join(f"{item.title}（截止 {item.deadline:%Y年%m月%d日}）" for item in criticism.items.all())
        criticism.rectification_item = workflow_services.create_ad_hoc_item(
            by,
            unit=criticism.unit,
            kind=DutyItem.Kind.RECTIFICATION,
            title=f"整改：{circular.title}"[:200],
            deadline=circular.rectification_deadline,
            instructions=f"《{circular.title}》点名以下任务推进缓慢，请限期整改并报送整改情况：{overdue}",
        )
        criticism.save(update_fields=["rectification_item"])
        workflow_services.record_circular(by, criticism.items.all(), circular.title)
    circular.status, circular.published_at = Circular.Status.PUBLISHED, timezone.now()
    circular.save(update_fields=["status", "published_at"])
    _notify_every_unit(
        circular, {c.unit_id for c in criticisms}, set(circular.praised_units.values_list("pk", flat=True))
    )
    plan_deliveries()
    schedule_dispatch()
    return circular


def _notify_every_unit(circular, criticised_ids, praised_ids):
    units = Unit.objects.filter(active=True).exclude(kind=Unit.Kind.COLLECTIVE).exclude(kind=Unit.Kind.SCHOOL)
    notices = []
    for unit in units:
        if unit.pk in criticised_ids:
            note = f"本单位被点名，请于 {circular.rectification_deadline:%Y年%m月%d日} 前完成整改（已生成整改任务）。"
        elif unit.pk in praised_ids:
            note = "本单位受到表扬。"
        else:
            note = "请各单位对照检查。"
        notices.append(
            Notice(
                kind=Notice.Kind.CIRCULAR,
                circular=circular,
                unit=unit,
                title=f"通报：{circular.title}"[:200],
                body=f"{circular.summary}\n{note}".strip(),
            )
        )
    Notice.objects.bulk_create(notices)
