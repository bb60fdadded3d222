"""Rows the home page tests make directly: the home page only reads them (the services that write them are tested
where they live)."""

from datetime import timedelta

from django.utils import timezone

from indicators.models import FIGURE_FIELDS, SchoolYearFigures, Shortfall
from notices.models import Notice, Rung
from workflows.models import DutyItem, ExtensionRequest, HandBack, Inspection, ItemEvent

Stage = DutyItem.Stage


def make_item(unit, *, days=10, stage=Stage.REPORTING, **fields):
    """An item due ``days`` after today (Asia/Shanghai)."""
    from workflows.flows import DutyFlow

    fields.setdefault("title", f"{unit.name}的任务")
    fields.setdefault("kind", DutyItem.Kind.AD_HOC)
    return DutyItem.objects.create(
        flow_class=DutyFlow, unit=unit, stage=stage, deadline=timezone.localdate() + timedelta(days=days), **fields
    )


def returned_item(unit, inspector, *, reasons, days=5, **fields):
    """An item back with its unit after an inspector returned it with ``reasons``."""
    item = make_item(unit, days=days, reworks=1, **fields)
    Inspection.objects.create(item=item, inspector=inspector, verdict=Inspection.Verdict.RETURNED, reasons=reasons)
    return item


def extension_request(item, by, *, status=ExtensionRequest.Status.PENDING, decided_days_ago=None, **fields):
    decided = {}
    if decided_days_ago is not None:
        decided = {"decided_at": timezone.now() - timedelta(days=decided_days_ago), "decision_reason": "同意延期"}
    return ExtensionRequest.objects.create(
        item=item,
        unit=item.unit,
        requested_by=by,
        current_deadline=item.deadline,
        requested_deadline=item.deadline + timedelta(days=30),
        reason=fields.pop("reason", "需要补充材料"),
        status=status,
        **decided,
        **fields,
    )


def hand_back(item, by, *, resolution=HandBack.Resolution.PENDING, resolved_days_ago=None):
    resolved = {}
    if resolved_days_ago is not None:
        resolved = {"resolved_at": timezone.now() - timedelta(days=resolved_days_ago), "resolution_note": "确认办理"}
    return HandBack.objects.create(
        item=item, unit=item.unit, handed_back_by=by, reason="不属于本单位职责", resolution=resolution, **resolved
    )


def instruction(item, by, text):
    return ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.INSTRUCTION, actor=by, text=text)


def mark_circular_candidate(item):
    """The notice of the rung that marks an item for a circular (逾期7天升级)."""
    rung = Rung.objects.filter(marks_circular_candidate=True).order_by("pk").first()
    return Notice.objects.create(kind=Notice.Kind.RUNG, item=item, rung=rung, deadline=item.deadline, title=rung.name)


def add_score(run, unit, *, rank, score=100):
    """A unit's line in a published assessment (written directly: the home page only reads it)."""
    from django.db import models

    from assessments.models import UnitScore

    counts = [field.name for field in UnitScore._meta.fields if isinstance(field, models.PositiveIntegerField)]
    return UnitScore.objects.create(
        run=run,
        unit=unit,
        unit_name=unit.name,
        unit_kind=unit.kind,
        rank=rank,
        score=score,
        deductions=0,
        bonuses=0,
        **dict.fromkeys(counts, 0),
    )


def school_figures(part, year):
    return SchoolYearFigures.objects.create(part=part, year=year, **dict.fromkeys(FIGURE_FIELDS, 1))


def shortfall(profile, item, year, code):
    return Shortfall.objects.create(
        school=profile,
        stage="primary",
        year=year,
        code=code,
        value=1,
        threshold=2,
        gap=1,
        text=f"{code}未达标",
        item=item,
    )
