"""Helpers for the board's tests: items made quickly in any state."""

from datetime import timedelta

from django.utils import timezone

from workflows.models import DutyItem


def make_item(unit, *, days=10, stage=DutyItem.Stage.REPORTING, cooperating=(), **fields):
    """An item due ``days`` after today (Asia/Shanghai), written directly: the board only reads items.

    For lists only; the flows' own behaviour is tested through the services.
    """
    from workflows.flows import DutyFlow

    fields.setdefault("title", f"{unit} 的任务")
    fields.setdefault("kind", DutyItem.Kind.AD_HOC)
    item = DutyItem.objects.create(
        flow_class=DutyFlow,
        unit=unit,
        stage=stage,
        deadline=timezone.localdate() + timedelta(days=days),
        **fields,
    )
    if cooperating:
        item.cooperating_units.set(cooperating)
    return item


def make_items(count, units, *, period=None, assignee=None, cooperating=()):
    """``count`` items spread over the units, every stage and every light, submitted in turn."""
    stages = [DutyItem.Stage.REPORTING, DutyItem.Stage.INSPECTING, DutyItem.Stage.CLOSED, DutyItem.Stage.ASSIGNING]
    now = timezone.now()
    for n in range(count):
        stage = stages[n % len(stages)]
        make_item(
            units[n % len(units)],
            days=(n % 20) - 5,
            stage=stage,
            title=f"批量任务 {n}",
            period=period,
            assignee=assignee,
            cooperating=cooperating,
            submitted_at=now - timedelta(hours=n) if stage == DutyItem.Stage.INSPECTING else None,
        )
