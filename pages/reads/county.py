"""The county-wide to-do sections: the inspectors' queue, the government office's desk and the leadership group
leader's summary. Each a fixed number of queries whatever the number of items."""

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from notices.reads import circular_candidate_items, overdue_items
from workflows.models import DutyItem, ExtensionRequest, HandBack

from .common import FEW, extension_requests_of, hand_backs_of, overdue_by_unit, recent_instructions, visible_items


@dataclass
class InspectionWork:
    waiting: int
    oldest: DutyItem | None  # the longest waiting submission


def inspection_work(user):
    """Two queries: the queue's length and its oldest item (as the queue orders it)."""
    queue = visible_items(user).filter(stage=DutyItem.Stage.INSPECTING)
    oldest = queue.select_related("unit").order_by(F("submitted_at").asc(nulls_last=True), "pk").first()
    return InspectionWork(waiting=queue.count() if oldest else 0, oldest=oldest)


@dataclass
class OfficeWork:
    overdue_total: int
    overdue_units: list  # notices.reads.by_unit rows
    extensions_pending: int
    oldest_extensions: list
    hand_backs_pending: int
    oldest_hand_backs: list
    circular_candidates: int
    instructions: list


def _oldest_pending(rows):
    """(count, the FEW oldest): two queries."""
    return rows.count(), list(rows.select_related("item__unit", "unit").order_by("created_at", "pk")[:FEW])


def office_work(user, today=None):
    today = today or timezone.localdate()
    overdue_total, overdue_units = overdue_by_unit(user, today)
    extensions_pending, oldest_extensions = _oldest_pending(
        extension_requests_of(user).filter(status=ExtensionRequest.Status.PENDING)
    )
    hand_backs_pending, oldest_hand_backs = _oldest_pending(
        hand_backs_of(user).filter(resolution=HandBack.Resolution.PENDING)
    )
    return OfficeWork(
        overdue_total=overdue_total,
        overdue_units=overdue_units,
        extensions_pending=extensions_pending,
        oldest_extensions=oldest_extensions,
        hand_backs_pending=hand_backs_pending,
        oldest_hand_backs=oldest_hand_backs,
        circular_candidates=circular_candidate_items(overdue_items(user, today)).count(),
        instructions=recent_instructions(user),
    )


@dataclass
class LeadershipWork:
    open: int
    overdue: int
    closed: int
    overdue_units: list
    instructions: list


def leadership_work(user, today=None):
    """The county at a glance: open, overdue and closed items, the overdue ones by unit, the latest instructions.
    Three queries."""
    today = today or timezone.localdate()
    open_ = Q(stage__in=DutyItem.OPEN_STAGES)
    counts = visible_items(user).aggregate(
        open=Count("pk", filter=open_),
        overdue=Count("pk", filter=open_ & Q(deadline__lt=today)),
        closed=Count("pk", filter=Q(stage=DutyItem.Stage.CLOSED)),
    )
    _total, overdue_units = overdue_by_unit(user, today)
    return LeadershipWork(**counts, overdue_units=overdue_units, instructions=recent_instructions(user))
