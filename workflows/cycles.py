"""What opening a cycle would create (read only): one item per active template, due date and owner unit, for a
year or a phase of the plan. ``services.open_cycle`` creates them.

Items already opened for the period are left out (an item is keyed on template, period, unit and occurrence).
A duty owned by a collective (各乡镇（街道）) opens one item per active member unit.

Due rule (DutyTemplate.cadence, due_month, due_day; defaults yearly, 12, 31):
- once: one item, due on the period's last day;
- yearly: due_month/due_day of each year in the period;
- half-yearly: due_day of June and December; quarterly: of March, June, September,
  December; monthly: of every month;
- days past a month's end fall on its last day; dates outside the period are
  dropped, and a template with no date inside the period is due on its last day;
- a template with a time limit in working days (``working_days``, e.g. 5个工作日内) is due that many
  working days after the hand-over (today), on the county's working-day calendar, whatever its cadence.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import Truncator

from departments.models import Unit
from workdays.calendar import WorkCalendar, uncovered_warning

from .models import DutyItem, DutyTemplate, Period

CADENCE_MONTHS = {
    DutyTemplate.Cadence.HALF_YEARLY: (6, 12),
    DutyTemplate.Cadence.QUARTERLY: (3, 6, 9, 12),
    DutyTemplate.Cadence.MONTHLY: tuple(range(1, 13)),
}


@dataclass(frozen=True)
class PlannedItem:
    template: DutyTemplate
    unit: Unit
    occurrence: int
    occurrences: int  # how many times the template falls due in the period
    deadline: date
    working_days: int | None = None  # the time limit, when the deadline was counted in working days

    @property
    def title(self):
        title = Truncator(self.template.text).chars(80)
        return f"{title}（第{self.occurrence}/{self.occurrences}次）" if self.occurrences > 1 else title


@dataclass
class CyclePreview:
    period: Period
    planned: list = field(default_factory=list)  # PlannedItem not yet opened
    existing: int = 0  # already opened for this period
    warnings: list = field(default_factory=list)

    @property
    def item_count(self):
        return len(self.planned)

    @property
    def unit_count(self):
        return len({p.unit.pk for p in self.planned})

    @property
    def deadlines(self):
        return sorted({p.deadline for p in self.planned})

    def summary(self):
        if not self.planned:
            return f"{self.period.label}：没有需要新建的任务（已有 {self.existing} 项）。"
        first, last = self.deadlines[0], self.deadlines[-1]
        due = f"截止 {first:%Y年%m月%d日}" if first == last else f"截止 {first:%Y年%m月%d日} 至 {last:%Y年%m月%d日}"
        counts = f"将为 {self.unit_count} 个单位新建 {self.item_count} 项任务"
        return f"{self.period.label}：{counts}，{due}（已有 {self.existing} 项）。"


def period_for(plan, *, year=None, phase=None):
    """The period for a year or a phase of the plan: the saved one if it was opened before, else a new one."""
    if (year is None) == (phase is None):
        raise ValidationError("请选择一个年度或一个实施阶段。", code="period")
    if phase is not None:
        if phase.plan_id != plan.pk:
            raise ValidationError("该阶段不属于这个方案。", code="period")
        existing = Period.objects.filter(plan=plan, kind=Period.Kind.PHASE, phase=phase).first()
        return existing or Period(
            plan=plan,
            kind=Period.Kind.PHASE,
            phase=phase,
            label=f"{phase.name}阶段",
            starts_on=phase.starts_on,
            ends_on=phase.ends_on,
        )
    if not 2000 <= year <= plan.target_year + 1:
        raise ValidationError(f"年度应在 2000 至 {plan.target_year + 1} 之间。", code="period")
    existing = Period.objects.filter(plan=plan, kind=Period.Kind.YEAR, year=year).first()
    return existing or Period(
        plan=plan,
        kind=Period.Kind.YEAR,
        year=year,
        label=f"{year}年度",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
    )


def due_dates(template, starts_on, ends_on):
    if template.cadence == DutyTemplate.Cadence.ONCE:
        return [ends_on]
    months = CADENCE_MONTHS.get(template.cadence, (template.due_month,))
    dates = []
    for year in range(starts_on.year, ends_on.year + 1):
        for month in months:
            day = min(template.due_day, calendar.monthrange(year, month)[1])
            due = date(year, month, day)
            if starts_on <= due <= ends_on:
                dates.append(due)
    return dates or [ends_on]


def preview_cycle(plan, *, year=None, phase=None):
    """What opening the period would create: N items for M units, due …; writes nothing."""
    period = period_for(plan, year=year, phase=phase)
    templates = list(
        DutyTemplate.objects.filter(plan=plan, active=True)
        .select_related("lead_unit")
        .prefetch_related("cooperating_units")
        .order_by("paragraph", "clause")
    )
    opened = set()
    if period.pk:
        opened = set(DutyItem.objects.filter(period=period).values_list("template_id", "unit_id", "occurrence"))
    preview = CyclePreview(period=period, existing=len(opened))
    members = _active_members({template.lead_unit_id for template in templates if template.lead_unit.is_collective})
    handed_over = timezone.localdate()
    work_calendar = WorkCalendar.load() if any(template.working_days for template in templates) else None
    for template in templates:
        owners = _owners(template, members, preview.warnings)
        if template.working_days:
            dates = [work_calendar.add_working_days(handed_over, template.working_days)]
        else:
            dates = due_dates(template, period.starts_on, period.ends_on)
        for occurrence, deadline in enumerate(dates, start=1):
            for unit in owners:
                if (template.pk, unit.pk, occurrence) not in opened:
                    preview.planned.append(
                        PlannedItem(template, unit, occurrence, len(dates), deadline, template.working_days or None)
                    )
    counted = [planned.deadline for planned in preview.planned if planned.working_days]
    if counted:
        warning = uncovered_warning(work_calendar.uncovered_years(handed_over, max(counted)))
        if warning:
            preview.warnings.append(warning)
    return preview


def _active_members(collective_ids):
    """{collective id: [its active member units, by name]}, in two queries."""
    links = list(Unit.objects.member_links(collective_ids))
    units = Unit.objects.in_bulk({member_id for _collective_id, member_id in links})
    members = {}
    for collective_id, member_id in links:
        members.setdefault(collective_id, []).append(units[member_id])
    return {collective_id: sorted(units, key=lambda unit: unit.name) for collective_id, units in members.items()}


def _owners(template, members_of, warnings):
    """Who owns the template's items: its lead unit, or each active member of a lead collective."""
    lead = template.lead_unit
    if not lead.is_collective:
        return [lead]
    members = members_of.get(lead.pk, [])
    if not members:
        warnings.append(
            f"{lead}还没有成员单位，附件2-{template.paragraph}.{template.clause} 暂不能分派，请先导入乡镇（街道）。"
        )
    return members
