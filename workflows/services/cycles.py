"""Opening a cycle: create and assign every item the period lacks, as ``workflows.cycles`` plans them.

Idempotent: an item is keyed on (template, period, unit, occurrence), so opening the same period twice
creates nothing new.
"""

from dataclasses import dataclass

from django.db import transaction

from departments import access

from ..cycles import preview_cycle
from ..models import DutyItem, ItemEvent, Period
from .steps import complete_assignment


@dataclass
class CycleResult:
    period: Period
    created: list
    existing: int


@transaction.atomic
def open_cycle(by, plan, *, year=None, phase=None, assign_sole_liaison=True):
    """Open the period: create and assign every item it lacks. Returns the created items."""
    access.require(access.can_open_cycles(by), "只有县政府办公室或领导小组办公室可以开启周期。")
    from ..flows import DutyFlow

    preview = preview_cycle(plan, year=year, phase=phase)
    period = preview.period
    if period.pk is None:
        period.opened_by = by
        period.save()
    sole_liaisons = access.sole_liaisons({p.unit.pk for p in preview.planned}) if assign_sole_liaison else {}
    created = []
    for planned in preview.planned:
        item = DutyFlow.start.run(
            kind=DutyItem.Kind.DUTY,
            template=planned.template,
            period=period,
            occurrence=planned.occurrence,
            unit=planned.unit,
            title=planned.title,
            deadline=planned.deadline,
            working_days=planned.working_days,
            assignee=sole_liaisons.get(planned.unit.pk),
            created_by=by,
        )
        item.cooperating_units.set(planned.template.cooperating_units.all())
        ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.OPENED, actor=by, text=f"随{period.label}开启")
        complete_assignment(item, by, text=f"随{period.label}交办，截止 {planned.deadline:%Y年%m月%d日}")
        created.append(item)
    return CycleResult(period=period, created=created, existing=preview.existing)
