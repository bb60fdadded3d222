"""Raising a year's 问题清单: its shortfalls become rectification items (整改) of the duty flow, one per school.

Each item is created by ``workflows.services.create_ad_hoc_item`` (kind 整改), so it is assigned, reported
with evidence, inspected, urged, swept by the deadline ladder and shown on the boards like any item. Its
owner is the school if the school has at least one active liaison, otherwise 县教委 (the active unit of
kind education_commission; the first by id if there were several). A school with exactly one liaison
gets that liaison as the assignee, as when a cycle opens.

**The no-duplicate rule.** A shortfall is keyed on (school, stage, code); stage is the part's stage for an
indicator or a class size, "" for a whole-school check (size, music and art rooms and areas).

1. A key is raised at most once per year. Re-running a year raises nothing that year already raised,
   whatever became of its item (open, closed or withdrawn): a year's figures are a record of that year and
   were answered once. The database refuses a second row (unique school × stage × code × year).
2. A key that is in an item still open (待交办, 办理中, 待检查), of whatever year, is not raised for
   another year: the preview lists it as already being rectified, with its item; nothing is recorded.
3. A key still short in another year whose earlier item is closed (or withdrawn) is raised again.

Shortfalls of a school that are new go into one new item, even if other shortfalls of the school are
still in an open item. Raising locks the year's school profiles (PostgreSQL row locks) before it checks,
so two confirmations at once cannot raise the same key twice.

What raising would do is read by ``reads.shortfall_preview``; the 问题台账 of the raised items by ``reads.ledger``.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from departments import access
from workflows import services as workflow_services
from workflows.models import DutyItem

from ..models import SchoolProfile, SchoolYearFigures, Shortfall
from ..reads.shortfall_preview import preview_shortfalls


@transaction.atomic
def raise_rectifications(by, year, deadline):
    """Create one rectification item per school with new shortfalls in ``year``; returns the items.

    Plan office only (``indicators.raise_shortfalls``, else PermissionDenied); the deadline may not be in
    the past (ValidationError, nothing saved). One transaction: items, their timelines and the shortfall
    rows are written together or not at all. Nothing new to raise returns [].
    """
    access.require(access.can_raise_shortfalls(by), "只有领导小组办公室可以把问题清单转为整改任务。")
    if deadline is None or deadline < timezone.localdate():
        raise ValidationError("整改期限不能早于今天。", code="deadline")
    profiles = SchoolYearFigures.objects.filter(year=year).values("part__school_id")
    list(SchoolProfile.objects.select_for_update().filter(pk__in=profiles).order_by("pk").values_list("pk"))
    preview = preview_shortfalls(year)
    if preview.missing_owner:
        names = "、".join(p.school.unit.name for p in preview.missing_owner)
        raise ValidationError(f"以下学校没有联络员，也找不到县教委（教育行政部门）承办：{names}", code="owner")
    sole = access.sole_liaisons([p.school.unit_id for p in preview.raising if p.has_liaison])
    items, rows = [], []
    for school in preview.raising:
        item = workflow_services.create_ad_hoc_item(
            by,
            unit=school.owner,
            kind=DutyItem.Kind.RECTIFICATION,
            title=f"整改：{school.school.unit.name}{year}年度办学条件问题"[:200],
            deadline=deadline,
            instructions=instructions(school, year, deadline),
            assignee=sole.get(school.school.unit_id) if school.has_liaison else None,
        )
        items.append(item)
        rows.extend(_row(shortfall, year, item, by) for shortfall in school.new)
    Shortfall.objects.bulk_create(rows)
    return items


def instructions(school, year, deadline):
    lines = "\n".join(f"{number}. {shortfall.text()}" for number, shortfall in enumerate(school.new, start=1))
    owner = "" if school.has_liaison else f"（{school.school.unit.name}尚无联络员，由{school.owner}承办。）\n"
    return (
        f"{school.school.unit.name}{year}年度办学条件对照《实施方案》标准存在以下问题，"
        f"请于{deadline:%Y年%m月%d日}前完成整改，并上传整改情况和佐证材料：\n{owner}{lines}"
    )


def _decimal(value):
    return Decimal(repr(float(value))).quantize(Decimal("0.0001"))


def _row(shortfall, year, item, by):
    return Shortfall(
        school_id=shortfall.school_id,
        part_id=shortfall.part_id,
        stage=shortfall.stage,
        year=year,
        code=shortfall.code,
        value=_decimal(shortfall.value),
        threshold=_decimal(shortfall.threshold),
        gap=_decimal(shortfall.gap),
        below_floor=shortfall.below_floor,
        text=shortfall.text()[:300],
        item=item,
        raised_by=by,
    )
