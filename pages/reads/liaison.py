"""The liaison's to-do list: the items of the units they act for to sign, to report and to report again, their
extension requests and their hand-backs. Eight queries whatever the number of items."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone

from departments import access
from departments.models import Unit
from workflows.models import DutyItem, ExtensionRequest, HandBack

from .common import LIST_SIZE, RECENT_DAYS, extension_requests_of, hand_backs_of, visible_items, with_return_reasons

Stage = DutyItem.Stage
TO_SIGN = Q(stage=Stage.SIGNING)
TO_REPORT = Q(stage=Stage.REPORTING, reworks=0)
RETURNED = Q(stage=Stage.REPORTING, reworks__gt=0)


@dataclass
class LiaisonWork:
    units: list  # the units they act for
    counts: dict  # to_sign, to_report, returned, overdue
    to_sign: list
    to_report: list
    returned: list  # annotated with return_reasons and returned_at
    extensions: list  # pending first, then decided in the last RECENT_DAYS days
    extensions_pending: int
    hand_backs: list  # pending first, then resolved in the last RECENT_DAYS days
    hand_backs_pending: int

    @property
    def several_units(self):
        return len(self.units) > 1

    @property
    def is_empty(self):
        return not (any(self.counts.values()) or self.extensions or self.hand_backs)


def _by_deadline(items, condition):
    return list(items.filter(condition).select_related("unit").order_by("deadline", "pk")[:LIST_SIZE])


def _recent(rows, pending, decided_at, since):
    """Pending rows (oldest first), then those decided since ``since`` (newest first): (rows, pending count)."""
    counts = rows.aggregate(pending=Count("pk", filter=pending))
    waiting_first = Case(When(pending, then=Value(0)), default=Value(1), output_field=IntegerField())
    shown = (
        rows.filter(pending | Q(**{f"{decided_at}__gte": since}))
        .select_related("item__unit")
        .order_by(waiting_first, F(decided_at).desc(nulls_last=True), "created_at", "pk")
    )
    return list(shown[:LIST_SIZE]), counts["pending"]


def liaison_work(user, today=None):
    """The to-do list of the units ``user`` acts for, or None if they act for none."""
    acting = access.acting_unit_ids(user)
    if not acting:
        return None
    today = today or timezone.localdate()
    items = visible_items(user).filter(unit_id__in=acting)
    counts = items.aggregate(
        to_sign=Count("pk", filter=TO_SIGN),
        to_report=Count("pk", filter=TO_REPORT),
        returned=Count("pk", filter=RETURNED),
        overdue=Count("pk", filter=Q(stage__in=DutyItem.WORKING_STAGES, deadline__lt=today)),
    )
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    extensions, extensions_pending = _recent(
        extension_requests_of(user).filter(unit_id__in=acting),
        Q(status=ExtensionRequest.Status.PENDING),
        "decided_at",
        since,
    )
    hand_backs, hand_backs_pending = _recent(
        hand_backs_of(user).filter(unit_id__in=acting),
        Q(resolution=HandBack.Resolution.PENDING),
        "resolved_at",
        since,
    )
    return LiaisonWork(
        units=list(Unit.objects.filter(pk__in=acting).order_by("name")),
        counts=counts,
        to_sign=_by_deadline(items, TO_SIGN),
        to_report=_by_deadline(items, TO_REPORT),
        returned=list(
            with_return_reasons(items.filter(RETURNED)).select_related("unit").order_by("deadline", "pk")[:LIST_SIZE]
        ),
        extensions=extensions,
        extensions_pending=extensions_pending,
        hand_backs=hand_backs,
        hand_backs_pending=hand_backs_pending,
    )
