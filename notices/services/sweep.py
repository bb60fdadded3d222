"""The deadline sweep: set-based, exactly once per (item, rung, deadline, occurrence), one notice per item.

One query selects the items on the ladder that may have reached something new — those their ``LadderMark`` does
not put off (``marks``: the sweep costs in proportion to the rungs newly reached, not to the backlog) — and one
more the latest occurrence of each rung already sent for their current deadlines; the choice is made in Python
and the notices are written by one INSERT, conflicts ignored (the unique key makes a second sweep, a double beat
or a concurrent worker a no-op), with the items' new marks. Recipients are planned in the same transaction, in a
fixed number of queries: for the sweep's own notices from the ids their INSERT returns (``write_notices``), then
for every other notice that lacks them. A worker that dies mid-sweep rolls the whole transaction back; the next
sweep does it all again.

Which items: open items the unit still works on (assigned, awaiting signature, in progress) — a
submitted item stops its ladder, one handed back to the office waits for the office; a returned
one has a new deadline, so its ladder starts again from it.

**One notice per item per sweep**: the highest rung it reached. An item eight days overdue on
its first sweep gets only 逾期7天升级, not four notices; the rungs it skipped are never sent late
(nor is a reminder before the deadline once the deadline has passed). A repeating rung sends
only its current occurrence, and not one whose span a higher rung already covered.

**Unsigned rungs** (``Rung.Applies.UNSIGNED``, default 未签收提醒) tell of items still awaiting
signature (待签收) that many days after their hand-over (the viewflow process's ``created``),
once per item. An item whose deadline rung fires in the same sweep gets that one; the unsigned
reminder follows at the next sweep.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from workflows.models import DutyItem

from ..models import Notice, Rung
from . import marks
from .planning import DEFAULT_CHANNELS, plan_deliveries, schedule_dispatch, write_deliveries
from .rows import insert_rows

__all__ = ["DEFAULT_CHANNELS", "LADDER_STAGES", "SweepResult", "plan_deliveries", "schedule_dispatch"]

Stage = DutyItem.Stage
LADDER_STAGES = tuple(stage for stage in DutyItem.WORKING_STAGES if stage != Stage.HANDED_BACK)
AD_HOC_LABEL = "临时任务"


@dataclass
class SweepResult:
    notices: int  # written (a concurrent sweep may have written some of them first)
    deliveries: int


def period_label(label):
    return label or AD_HOC_LABEL


def describe(rung, title, deadline, today, period=None):
    days = (deadline - today).days
    when = f"截止日期 {deadline:%Y年%m月%d日}"
    heading = f"{rung.name}：{title}（{period_label(period)}）"
    if days > 0:
        return heading, f"{when}，还有 {days} 天。请按时办理并提交检查。"
    if days == 0:
        return heading, f"{when}，今天到期。请尽快提交检查。"
    return heading, f"{when}，已逾期 {-days} 天。请尽快办理并提交检查。"


def describe_unsigned(rung, title, deadline, handed_over, period=None):
    heading = f"{rung.name}：{title}（{period_label(period)}）"
    return heading, f"{handed_over:%Y年%m月%d日}交办，至今尚未签收（截止日期 {deadline:%Y年%m月%d日}）。请尽快签收。"


def occurrence(rung, deadline, today):
    if not rung.repeat_every_days:
        return 1
    return (today - deadline - timedelta(days=rung.offset_days)).days // rung.repeat_every_days + 1


def reach(offset, repeat, occurrence):
    """Days from the deadline at which this occurrence of a rung begins."""
    return offset + (occurrence - 1) * (repeat or 0)


ITEM_FIELDS = ("pk", "unit_id", "deadline", "title", "period__label")


def deadline_ladder(rungs):
    """[(rung, until)] of the active deadline rungs in order: ``until`` is the days from the deadline at which a
    reminder before the deadline stops being reached (the next rung's, at most 0), None for the others. An item
    opened the day before its deadline gets the one-day reminder, not the seven-day one as well."""
    ladder = []
    for index, rung in enumerate(rungs):
        until = None
        if rung.before_deadline:
            until = min(next((r.offset_days for r in rungs[index + 1 :] if r.offset_days > rung.offset_days), 0), 0)
        ladder.append((rung, until))
    return ladder


def unsigned_items(rung, today):
    """Items awaiting signature handed over at least ``offset_days`` days ago (Shanghai days), not yet told."""
    cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=rung.offset_days - 1), time.min))
    sent = Notice.objects.filter(item=OuterRef("pk"), rung=rung)
    items = DutyItem.objects.filter(stage=Stage.SIGNING, created__lt=cutoff).exclude(Exists(sent))
    return items.values_list(*ITEM_FIELDS, "created")


SENT_CHUNK = 10_000  # items per query of ``sent_on_current_deadlines`` (SQLite caps a statement's parameters)


def sent_on_current_deadlines(items, deadline_rungs):
    """{item id: [(rung id, rung order, occurrence, reach)]} of the deadline rungs' notices already sent for the
    current deadline of ``items`` ({item id: its deadline}; one query per ``SENT_CHUNK`` items).

    Only each rung's latest occurrence per deadline is read, from the outbox's unique key alone: occurrences are
    sent in order, so the latest says both whether today's was sent and how far the rung reached; the rows grow
    with the rungs and the deadlines, not with the days overdue. Notices of an earlier deadline and of the unsigned
    ladder are left out here, in Python. The items are given by id, not as the sweep's query: from a subquery the
    planner misjudged how few items the marks leave and read every rung notice ever sent (a 750,000-row semi-join,
    1.3 s)."""
    rungs = {rung.pk: rung for rung in deadline_rungs}
    item_ids = list(items)
    sent = {}
    for start in range(0, len(item_ids), SENT_CHUNK):
        rows = (
            Notice.objects.filter(item_id__in=item_ids[start : start + SENT_CHUNK], rung__isnull=False)
            .order_by()
            .values_list("item_id", "rung_id", "deadline")
            .annotate(latest=Max("occurrence"))
        )
        for item_id, rung_id, deadline, latest in rows:
            rung = rungs.get(rung_id)  # None: the unsigned reminder, on a ladder of its own
            if rung is None or deadline != items[item_id]:
                continue
            offset, repeat = rung.offset_days, rung.repeat_every_days
            sent.setdefault(item_id, []).append((rung_id, (offset, rung_id), latest, reach(offset, repeat, latest)))
    return sent


def superseded(rung, current, already):
    """Whether this occurrence was sent, or a higher rung already told of the span it begins. ``already`` holds each
    rung's latest occurrence: ``current`` is today's, so it was sent when it is the latest (or older than the latest,
    after the rung's repeat was lengthened: an occurrence is never sent after a later one)."""
    order, begins = (rung.offset_days, rung.pk), reach(rung.offset_days, rung.repeat_every_days, current)
    for rung_id, other_order, other_occurrence, other_reach in already:
        if rung_id == rung.pk and other_occurrence >= current:
            return True
        if other_order > order and other_reach >= begins:
            return True
    return False


def choose(ladder, deadline, today, already):
    """(the rung and occurrence to send today, or None; whether a lower one is still owed after it) for an item
    with ``deadline`` whose rungs' latest occurrences are ``already``.

    The highest rung reached and neither sent nor covered is sent; a lower one not covered by it (a repeating
    rung whose occurrence begins after the higher rung's day) is owed, and goes with the next sweep."""
    overdue = (today - deadline).days
    open_rungs = []
    for rung, until in ladder:
        if overdue < rung.offset_days or (until is not None and overdue >= until):
            continue
        current = occurrence(rung, deadline, today)
        if not superseded(rung, current, already):
            open_rungs.append((rung, current))
    if not open_rungs:
        return None, False
    rung, current = open_rungs[-1]
    told = [
        *already,
        (rung.pk, (rung.offset_days, rung.pk), current, reach(rung.offset_days, rung.repeat_every_days, current)),
    ]
    return (rung, current), any(not superseded(lower, n, told) for lower, n in open_rungs[:-1])


def _deadline_notices(deadline_rungs, today, *, everything=False):
    """({item id: RungNotice} of the highest rung each item reached today, [the items' new marks])."""
    ladder = deadline_ladder([rung for rung in deadline_rungs if rung.active])
    marked_as = marks.fingerprint(deadline_rungs)
    items = marks.items_to_look_at(ladder, today, None if everything else marked_as, LADDER_STAGES)
    rows = list(items.values_list(*ITEM_FIELDS))
    sent = sent_on_current_deadlines({row[0]: row[2] for row in rows}, deadline_rungs)
    chosen, new_marks = {}, []
    for item_id, unit_id, deadline, title, period in rows:
        choice, owed = choose(ladder, deadline, today, sent.get(item_id, ()))
        next_on = today if owed else marks.next_change(ladder, deadline, today)
        new_marks.append((item_id, deadline, marked_as, today, next_on))  # marks.MARK_FIELDS
        if choice is None:
            continue
        rung, current = choice
        chosen[item_id] = rung_notice(
            item_id, unit_id, rung, deadline, current, describe(rung, title, deadline, today, period)
        )
    return chosen, new_marks


@dataclass(slots=True)
class RungNotice:
    """A rung's notice the sweep chose, not yet written: a plain object, not a ``Notice`` (the sweep builds
    thousands, and only ``write_notices`` turns them into rows; the planner and the ladder's preview read the
    same attributes)."""

    item_id: int
    unit_id: int
    rung: Rung
    deadline: date
    occurrence: int
    title: str
    body: str
    pk: int | None = None
    kind = Notice.Kind.RUNG

    @property
    def rung_id(self):
        return self.rung.pk


def rung_notice(item_id, unit_id, rung, deadline, occurrence, text):
    """The (unsaved) notice of ``rung``'s ``occurrence`` for an item; ``text``: (title, body)."""
    title, body = text
    return RungNotice(item_id, unit_id, rung, deadline, occurrence, title[:200], body)


def _unsigned_notices(rungs, today, chosen):
    for rung in rungs:
        for item_id, unit_id, deadline, title, period, created in unsigned_items(rung, today):
            if item_id in chosen:
                continue
            text = describe_unsigned(rung, title, deadline, timezone.localtime(created), period)
            chosen[item_id] = rung_notice(item_id, unit_id, rung, deadline, 1, text)


def ladder_notices(today, *, everything=False):
    """The rung notices a sweep on ``today`` would write (unsaved; one per item): reads only, so the ladder's page
    previews a day with it (``notices.reads.ladder_preview``). ``everything``: look at every item on the ladder,
    not only those their marks do not put off (the soak test's check of the marks)."""
    return _ladder(today, everything=everything)[0]


def _ladder(today, *, everything=False):
    rungs = list(Rung.objects.order_by("offset_days", "pk"))
    deadline_rungs = [rung for rung in rungs if rung.applies_to == Rung.Applies.DEADLINE]
    chosen, new_marks = _deadline_notices(deadline_rungs, today, everything=everything)
    unsigned_rungs = [rung for rung in rungs if rung.applies_to == Rung.Applies.UNSIGNED and rung.active]
    _unsigned_notices(unsigned_rungs, today, chosen)
    return list(chosen.values()), new_marks


NOTICE_FIELDS = (
    "kind",
    "item_id",
    "rung_id",
    "deadline",
    "occurrence",
    "unit_id",
    "title",
    "body",
    "recipients_planned",
    "created_at",
)


def write_notices(notices):
    """Write the sweep's notices, conflicts ignored (a concurrent sweep may have written the same keys meanwhile).

    On PostgreSQL, with their deliveries at once: written already planned, the notices this INSERT wrote (not the
    ones a concurrent sweep had) come back with their ids, so the planner need not lock them, read them back and
    mark them. Elsewhere ``plan_deliveries`` plans them as it does every other notice. Returns the deliveries."""
    now = timezone.now()
    at_once = connection.vendor == "postgresql"
    rows = [
        (str(n.kind), n.item_id, n.rung_id, n.deadline, n.occurrence, n.unit_id, n.title, n.body, at_once, now)
        for n in notices
    ]
    if not at_once:
        insert_rows(Notice, NOTICE_FIELDS, rows)
        return 0
    by_item = {notice.item_id: notice for notice in notices}
    written = []
    for pk, item_id in insert_rows(Notice, NOTICE_FIELDS, rows, returning=("id", "item_id")):
        notice = by_item[item_id]
        notice.pk = pk
        written.append(notice)
    return write_deliveries(written) if written else 0


@transaction.atomic
def sweep_deadlines(today=None):
    """Write the notice each item has reached today (the highest rung), and plan their deliveries.

    The timeline's notices (``notify_events``) are written in the same pass, so a sweep leaves nothing untold."""
    from .events import write_event_notices

    today = today or timezone.localdate()
    notices, new_marks = _ladder(today)
    planned = write_notices(notices)
    marks.write_marks(new_marks)
    write_event_notices()
    deliveries = planned + plan_deliveries()
    schedule_dispatch()
    return SweepResult(notices=len(notices), deliveries=deliveries)
