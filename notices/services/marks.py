"""Which items a sweep looks at: a skip-list that keeps the sweep in proportion to the rungs newly reached.

An item's deadline ladder changes only on the days an occurrence of a rung begins (``offset_days``, then every
``repeat_every_days`` after it): between two such days the rungs it has reached, and their occurrences, stay the
same. So after the sweep has looked at an item and written what it had reached, it records in a ``LadderMark``
the next such day (``next_on``), or today again when a lower rung is still owed (the rung a higher one did not
cover, sent by the next sweep), or nothing when no rung can begin any more. The next sweeps skip the item until
then, with one anti-join: a backlog of items long overdue costs a scan of the items' stage and deadline and a
lookup of each one's mark, not a reading of every notice it ever got.

A mark is only ever a reason to skip, never a record of what was sent (the outbox's unique key is that). It holds
only while nothing it was computed from changed:

- the item's deadline (``deadline``: an extension, a return with a new deadline start its ladder again);
- the ladder's rungs and the sweep's rules (``ladder``: a fingerprint of every deadline rung's settings and of
  ``LADDER_RULES``, so an edited, added or switched-off rung wakes every item once);
- the day it was computed for (``checked_on`` at most today: a sweep for an earlier day looks again).

A stale mark costs one more look; a sweep with no marks at all (the first after the upgrade) looks at every item
on the ladder, as the sweep always did, and writes them. Only ``sweep_deadlines`` writes marks; the ladder's
preview and the soak test's invariants read with them or without them (``ladder_notices(everything=True)``).
"""

import hashlib
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q

from workflows.models import DutyItem

from ..models import LadderMark
from .rows import insert_rows

# Raise when the sweep's choice of rungs changes: every mark is then stale and each item is looked at once more.
LADDER_RULES = 1


def fingerprint(deadline_rungs):
    """A short fingerprint of every deadline rung's settings (active or not: a switched-off rung's notices still
    cover a lower rung's span) and of the sweep's rules."""
    settings = sorted((rung.pk, rung.offset_days, rung.repeat_every_days or 0, rung.active) for rung in deadline_rungs)
    return hashlib.sha256(repr((LADDER_RULES, settings)).encode()).hexdigest()[:16]


def next_change(ladder, deadline, today):
    """The first day after ``today`` on which an occurrence of an active rung of ``ladder`` begins for an item
    with ``deadline``, or None when none ever will (every rung reached, none repeating)."""
    overdue = (today - deadline).days
    days = []
    for rung, _until in ladder:
        offset, repeat = rung.offset_days, rung.repeat_every_days
        if overdue < offset:
            days.append(offset)
        elif repeat:
            days.append(offset + ((overdue - offset) // repeat + 1) * repeat)
    return deadline + timedelta(days=min(days)) if days else None


def items_to_look_at(ladder, today, marked_as, stages):
    """Items on the ladder that may have reached something new today: in ``stages``, close enough to their
    deadline for the lowest rung, and without a mark (for their deadline, this ladder) that puts them off."""
    if not ladder:
        return DutyItem.objects.none()
    lowest = min(rung.offset_days for rung, _until in ladder)
    # No ordering: the items' default one (viewflow's process ``created``) would join the process table.
    items = DutyItem.objects.filter(stage__in=stages, deadline__lte=today - timedelta(days=lowest)).order_by()
    if marked_as is None:
        return items
    put_off = LadderMark.objects.filter(
        Q(next_on__isnull=True) | Q(next_on__gt=today),
        item=OuterRef("pk"),
        deadline=OuterRef("deadline"),
        ladder=marked_as,
        checked_on__lte=today,
    )
    return items.exclude(Exists(put_off))


MARK_FIELDS = ("item_id", "deadline", "ladder", "checked_on", "next_on")


def write_marks(marks):
    """Insert or refresh the marks (tuples in ``MARK_FIELDS`` order), in item order so two concurrent sweeps never
    wait on each other's rows crosswise."""
    insert_rows(LadderMark, MARK_FIELDS, sorted(marks), update_on="item_id")
