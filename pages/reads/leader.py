"""A unit leader's or head's view of their units (分管领导、主要负责人): each unit's items on time, overdue,
returned and in progress, its latest published assessment score, and the items needing attention (overdue,
returned, due within the warning days). Four queries whatever the number of items."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, Q
from django.utils import timezone

from assessments.models import AssessmentRun, UnitScore
from departments import access
from departments.models import Unit
from workflows.models import DutyItem
from workflows.querysets import warning_days

from .common import LIST_SIZE, visible_items

Stage = DutyItem.Stage
OPEN = Q(stage__in=DutyItem.OPEN_STAGES)
RETURNED = Q(stage=Stage.REPORTING, reworks__gt=0)


@dataclass
class UnitSummary:
    unit: Unit
    on_time: int = 0  # closed by the deadline
    overdue: int = 0  # open past the deadline
    returned: int = 0  # back with the unit for rework
    in_progress: int = 0  # open, not past the deadline
    score: UnitScore | None = None  # the latest published assessment


@dataclass
class LeaderWork:
    units: list  # UnitSummary, by unit name
    attention: list  # items needing attention, the nearest deadline first
    attention_count: int
    soon_days: int = field(default_factory=warning_days)


def _needs_attention(today):
    soon = today + timedelta(days=warning_days())
    return OPEN & (Q(deadline__lte=soon) | RETURNED)


def leader_work(user, today=None):
    """The summary of the units ``user`` leads or heads, or None if they lead none."""
    led = access.led_unit_ids(user)
    if not led:
        return None
    today = today or timezone.localdate()
    items = visible_items(user).filter(unit_id__in=led)
    summaries = {unit.pk: UnitSummary(unit) for unit in Unit.objects.filter(pk__in=led).order_by("name")}
    rows = (
        items.order_by()
        .values("unit")
        .annotate(
            on_time=Count("pk", filter=Q(stage=Stage.CLOSED, closed_at__date__lte=F("deadline"))),
            overdue=Count("pk", filter=OPEN & Q(deadline__lt=today)),
            returned=Count("pk", filter=RETURNED),
            in_progress=Count("pk", filter=OPEN & Q(deadline__gte=today)),
        )
    )
    for row in rows:
        summary = summaries[row["unit"]]
        summary.on_time, summary.overdue = row["on_time"], row["overdue"]
        summary.returned, summary.in_progress = row["returned"], row["in_progress"]
    scores = (
        UnitScore.objects.for_user(user)
        .filter(unit_id__in=led, run__status=AssessmentRun.Status.PUBLISHED)
        .select_related("run")
        .order_by("unit_id", "-run__year", "-run__published_at")
    )
    for score in scores:
        summary = summaries[score.unit_id]
        summary.score = summary.score or score
    attention = items.filter(_needs_attention(today))
    return LeaderWork(
        units=list(summaries.values()),
        attention=list(attention.select_related("unit").order_by("deadline", "pk")[:LIST_SIZE]),
        attention_count=attention.count(),
    )
