"""问题清单 and 问题台账: a year's shortfalls become rectification items (整改) of the duty flow, one per school.

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
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone, translation

from departments import access
from departments.models import Unit
from workflows import services as workflow_services
from workflows.models import DutyItem

from ..models import SchoolProfile, SchoolYearFigures, Shortfall
from .catalogue import CatalogueIncomplete, load_thresholds
from .compute import compute_year
from .frame import year_frame
from .shortfalls import Found, find_shortfalls

OPEN, OVERDUE, CLOSED, WITHDRAWN = "open", "overdue", "closed", "withdrawn"
STATUS_CHOICES = [("", "全部"), (OPEN, "整改中"), (OVERDUE, "逾期未完成"), (CLOSED, "已办结"), (WITHDRAWN, "已撤回")]


@dataclass
class SchoolPreview:
    """One school's shortfalls of the year: those to raise, and those already raised or being rectified."""

    school: SchoolProfile
    owner: Unit | None  # None when the school has no liaison and there is no 县教委
    has_liaison: bool
    new: list[Found] = field(default_factory=list)
    already: list[tuple[Found, Shortfall]] = field(default_factory=list)  # with the row that blocks it


@dataclass
class ShortfallPreview:
    year: int
    schools: list[SchoolPreview]
    commission: Unit | None

    @property
    def raising(self):
        return [school for school in self.schools if school.new]

    @property
    def new_count(self):
        return sum(len(school.new) for school in self.schools)

    @property
    def already_count(self):
        return sum(len(school.already) for school in self.schools)

    @property
    def missing_owner(self):
        return [school for school in self.raising if school.owner is None]


def education_commission():
    return Unit.objects.filter(kind=Unit.Kind.EDUCATION_COMMISSION, active=True).order_by("pk").first()


def preview_shortfalls(year):
    """What raising ``year`` would create (``raising``) and what is already raised or open (``already``).

    A fixed number of queries (7) whatever the number of schools. ValidationError if the year has no
    figures or the plan's catalogue lacks thresholds.
    """
    try:
        thresholds = load_thresholds()
    except CatalogueIncomplete as error:
        raise ValidationError(str(error), code="catalogue") from error
    frame = year_frame(year)
    if frame.empty:
        raise ValidationError(f"{year}年还没有学校年度数据。", code="no_figures")
    found = find_shortfalls(compute_year(year, thresholds=thresholds, frame=frame), frame, thresholds)
    school_ids = {f.school_id for f in found}
    blockers = {}
    existing = (
        Shortfall.objects.filter(school_id__in=school_ids)
        .filter(Q(year=year) | Q(item__stage__in=DutyItem.OPEN_STAGES))
        .select_related("item")
        .order_by("year", "pk")
    )
    for row in existing:
        blockers[(row.school_id, row.stage, row.code)] = row  # the latest wins
    schools = SchoolProfile.objects.select_related("unit").in_bulk(school_ids)
    liaisons = access.liaisons_by_unit({school.unit_id for school in schools.values()})
    commission = education_commission()
    previews = {}
    for shortfall in found:
        school = schools[shortfall.school_id]
        if school.pk not in previews:
            has_liaison = bool(liaisons.get(school.unit_id))
            previews[school.pk] = SchoolPreview(school, school.unit if has_liaison else commission, has_liaison)
        blocker = blockers.get(shortfall.key)
        if blocker is None:
            previews[school.pk].new.append(shortfall)
        else:
            previews[school.pk].already.append((shortfall, blocker))
    ordered = sorted(previews.values(), key=lambda p: p.school.unit.name)
    return ShortfallPreview(year=year, schools=ordered, commission=commission)


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


class LedgerRow(NamedTuple):
    """One line of the 问题台账: one rectification item. Plain values only (text, dates, ints)."""

    school: str  # the school's name
    owner: str  # the owner unit's name: the school, or 县教委
    what: str  # the shortfalls and their gaps, joined by "；"
    deadline: date
    stage_label: str  # in Chinese: 待交办, 办理中, 待检查, 已办结, 已撤回
    evidence_count: int  # evidence files on all the item's reports
    closed_on: date | None  # the day (Asia/Shanghai) it was closed (办结); None while open or if withdrawn
    item_id: int
    year: int  # the year of the figures the shortfalls come from
    stage: str  # DutyItem.Stage value


SHORTFALL_LINES = Shortfall.objects.select_related("school__unit").order_by("pk")


def ledger_items(year=None, *, status=None, school=None, user=None, today=None):
    """The rectification items raised from shortfalls, filtered; ``user`` limits them to what that user sees."""
    raised = Shortfall.objects.all()
    if year:
        raised = raised.filter(year=year)
    if school:
        raised = raised.filter(school=school)
    items = DutyItem.objects.filter(pk__in=raised.values("item_id"))
    today = today or timezone.localdate()
    if status == OPEN:
        items = items.filter(stage__in=DutyItem.OPEN_STAGES)
    elif status == OVERDUE:
        items = items.filter(stage__in=DutyItem.OPEN_STAGES, deadline__lt=today)
    elif status in (CLOSED, WITHDRAWN):
        items = items.filter(stage=status)
    if user is not None:
        # Only rows whose item the reader can open: the ledger links each row to its item.
        items = items.filter(pk__in=DutyItem.objects.for_user(user).values("pk"))
    return (
        items.select_related("unit")
        .annotate(evidence_count=Count("reports__evidence"))
        .prefetch_related(Prefetch("shortfalls", queryset=SHORTFALL_LINES))
    )


def ledger_rows(year=None, *, status=None, school=None, user=None):
    """The 问题台账 as a list of ``LedgerRow``, newest year first, then by school name and item.

    ``ledger_rows(2025)`` gives every school's rows of 2025 (for the self-evaluation report); ``year=None``
    every year. Optional keyword filters: ``status`` (one of "open", "overdue", "closed", "withdrawn"),
    ``school`` (a SchoolProfile), ``user`` (only the rows that user may see). Two queries whatever the
    number of items (plus a few permission look-ups when ``user`` is given). ``row._asdict()`` gives a dict.
    """
    rows = []
    with translation.override("zh-hans"):
        for item in ledger_items(year, status=status, school=school, user=user):
            shortfalls = list(item.shortfalls.all())
            first = shortfalls[0]
            closed = item.stage == DutyItem.Stage.CLOSED and item.closed_at
            rows.append(
                LedgerRow(
                    school=first.school.unit.name,
                    owner=item.unit.name,
                    what="；".join(shortfall.text for shortfall in shortfalls),
                    deadline=item.deadline,
                    stage_label=str(item.get_stage_display()),
                    evidence_count=item.evidence_count,
                    closed_on=timezone.localdate(item.closed_at) if closed else None,
                    item_id=item.pk,
                    year=first.year,
                    stage=item.stage,
                )
            )
    return sorted(rows, key=lambda row: (-row.year, row.school, row.item_id))
