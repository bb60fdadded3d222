"""The deadline sweep: set-based, exactly once per (item, rung, deadline, occurrence).

For each active rung, one query selects the items that have reached it and one INSERT
writes their notices, conflicts ignored (the unique key makes a second sweep, a double
beat or a concurrent worker a no-op). Recipients are then planned for every notice that
lacks them, in a fixed number of queries, in the same transaction. A worker that dies
mid-sweep rolls the whole transaction back; the next sweep does it all again.

Which items: open items not yet submitted (assigning, reporting) — a submitted item stops
its ladder; a returned one has a new deadline, so its ladder starts again from it.
A reminder before the deadline is not sent once the deadline has passed; a repeating rung
sends only its current occurrence (missed ones are not sent late).
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from workflows.models import DutyItem

from ..models import Delivery, Notice, Rung
from ..recipients import Audience

log = logging.getLogger(__name__)

LADDER_STAGES = (DutyItem.Stage.ASSIGNING, DutyItem.Stage.REPORTING)
DEFAULT_CHANNELS = ("in_app", "email")


@dataclass
class SweepResult:
    notices: int  # written (a concurrent sweep may have written some of them first)
    deliveries: int


def describe(rung, title, deadline, today):
    days = (deadline - today).days
    when = f"截止日期 {deadline:%Y年%m月%d日}"
    if days > 0:
        return f"{rung.name}：{title}", f"{when}，还有 {days} 天。请按时办理并提交检查。"
    if days == 0:
        return f"{rung.name}：{title}", f"{when}，今天到期。请尽快提交检查。"
    return f"{rung.name}：{title}", f"{when}，已逾期 {-days} 天。请尽快办理并提交检查。"


def occurrence(rung, deadline, today):
    if not rung.repeat_every_days:
        return 1
    return (today - deadline - timedelta(days=rung.offset_days)).days // rung.repeat_every_days + 1


def due_items(rung, today, next_offset):
    """Open items that reached the rung today and do not have its notice yet (an anti-join in the database)."""
    items = DutyItem.objects.filter(stage__in=LADDER_STAGES, deadline__lte=today - timedelta(days=rung.offset_days))
    if rung.before_deadline:
        # Only while it is the latest reminder reached: an item opened the day before its
        # deadline gets the one-day reminder, not the seven-day one as well.
        items = items.filter(deadline__gt=today - timedelta(days=next_offset))
    if not rung.repeat_every_days:
        sent = Notice.objects.filter(item=OuterRef("pk"), rung=rung, deadline=OuterRef("deadline"))
        items = items.exclude(Exists(sent))
    return items.values_list("pk", "unit_id", "deadline", "title")


def sent_occurrences(rung):
    """(item, deadline, occurrence) already sent by a repeating rung, for items still on the ladder."""
    if not rung.repeat_every_days:
        return set()
    return set(
        Notice.objects.filter(rung=rung, item__stage__in=LADDER_STAGES).values_list("item_id", "deadline", "occurrence")
    )


@transaction.atomic
def sweep_deadlines(today=None):
    """Write the notices every item has reached today, and plan their deliveries."""
    today = today or timezone.localdate()
    rungs = list(Rung.objects.filter(active=True).order_by("offset_days", "pk"))
    notices = []
    for index, rung in enumerate(rungs):
        next_offset = next((r.offset_days for r in rungs[index + 1 :] if r.offset_days > rung.offset_days), 0)
        already = sent_occurrences(rung)
        for item_id, unit_id, deadline, title in due_items(rung, today, min(next_offset, 0)):
            current = occurrence(rung, deadline, today)
            if (item_id, deadline, current) in already:
                continue
            notice_title, body = describe(rung, title, deadline, today)
            notices.append(
                Notice(
                    kind=Notice.Kind.RUNG,
                    item_id=item_id,
                    unit_id=unit_id,
                    rung=rung,
                    deadline=deadline,
                    occurrence=current,
                    title=notice_title[:200],
                    body=body,
                )
            )
    # Conflicts are still ignored: a concurrent sweep may have written the same keys meanwhile.
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    deliveries = plan_deliveries()
    schedule_dispatch()
    return SweepResult(notices=len(notices), deliveries=deliveries)


def _audience_flags(notice):
    if notice.kind == Notice.Kind.RUNG:
        rung = notice.rung
        return {
            "liaisons": rung.notify_liaisons,
            "leaders": rung.notify_unit_leaders,
            "government_office": rung.notify_government_office,
            "leadership_office": rung.notify_leadership_office,
        }, rung.channels()
    return {"liaisons": True, "leaders": True}, DEFAULT_CHANNELS


def plan_deliveries():
    """One delivery per (notice, person, channel) for every notice that has none yet. Returns how many."""
    from ..channels import enabled_channels

    pending = list(
        Notice.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(recipients_planned=False)
        .select_related("rung")
        .only("pk", "kind", "unit_id", "rung")
    )
    if not pending:
        return 0
    channels = enabled_channels()
    audience = Audience(notice.unit_id for notice in pending)
    deliveries = []
    for notice in pending:
        flags, notice_channels = _audience_flags(notice)
        for user_id, email in audience.for_notice(unit_id=notice.unit_id, **flags):
            for channel in notice_channels:
                if channel in channels and (channel != "email" or email):
                    deliveries.append(Delivery(notice_id=notice.pk, recipient_id=user_id, channel=channel))
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    Notice.objects.filter(pk__in=[notice.pk for notice in pending]).update(recipients_planned=True)
    return len(deliveries)


def schedule_dispatch():
    """After commit, ask a worker to dispatch. If the broker is down the outbox waits for beat's next run."""

    def enqueue():
        from ..tasks import dispatch_task

        try:
            dispatch_task.apply_async(retry=False)
        except Exception as error:  # broker unreachable: the web request must not fail for it
            log.warning("notices: broker unavailable, dispatch deferred to the next beat: %s", error)

    transaction.on_commit(enqueue)
