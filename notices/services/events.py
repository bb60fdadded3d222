"""The timeline's notices: every step that changes someone's work is told through the outbox, exactly once.

workflows writes a timeline line (``ItemEvent``) in each step's transaction and may not import notices, so
``notify_events`` reads the lines no notice has told of yet (no ``NoticeSource``) and writes their notices:
set-based, a fixed number of queries whatever the number of events. A line is told once: ``NoticeSource.event``
is unique, so a second pass, or two passes at once, write nothing new (a notice whose lines another pass
claimed first is removed before the transaction ends). Lines older than ``EVENT_HORIZON`` are not told late
(so a first run over years of history, or after a long outage, does not flood anyone).

Who is told of what (``notices.recipients.EVENT_AUDIENCES``): a hand-over goes to the unit's liaisons as one
digest per unit and period per pass; a submission goes to the inspectors as one digest per pass (待检查 N 项);
every other step is a notice of its own. Urgings and circulars have their own notices already.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from workflows.models import ItemEvent

from ..models import Notice, NoticeSource
from .planning import plan_deliveries, schedule_dispatch

EventKind = ItemEvent.Kind
Kind = Notice.Kind
EVENT_HORIZON = timedelta(days=3)
AD_HOC_LABEL = "临时任务"
DIGEST_LINES = 30  # items listed in a digest's text; the rest are counted

# Event kind → notice kind, for the events told one by one.
SINGLE = {
    EventKind.RETURNED: Kind.RETURNED,
    EventKind.ACCEPTED: Kind.ACCEPTED,
    EventKind.DEADLINE_CHANGED: Kind.DEADLINE,
    EventKind.EXTENSION_REQUESTED: Kind.EXTENSION,
    EventKind.EXTENSION_APPROVED: Kind.EXTENSION,
    EventKind.EXTENSION_REJECTED: Kind.EXTENSION,
    EventKind.HANDED_BACK: Kind.SIGNING,
    EventKind.HANDBACK_RESOLVED: Kind.SIGNING,
    EventKind.REASSIGNED: Kind.REASSIGNED,
    EventKind.INSTRUCTION: Kind.INSTRUCTION,
}
TOLD = frozenset({*SINGLE, EventKind.ASSIGNED, EventKind.SUBMITTED})

HEADINGS = {
    EventKind.RETURNED: "退回整改",
    EventKind.ACCEPTED: "检查通过，已办结",
    EventKind.DEADLINE_CHANGED: "截止日期调整",
    EventKind.EXTENSION_REQUESTED: "延期申请",
    EventKind.EXTENSION_APPROVED: "延期申请已批准",
    EventKind.EXTENSION_REJECTED: "延期申请未获批准",
    EventKind.HANDED_BACK: "退回交办",
    EventKind.HANDBACK_RESOLVED: "退回交办已处理",
    EventKind.REASSIGNED: "经办人变更",
    EventKind.INSTRUCTION: "领导批示",
}

FIELDS = (
    "pk",
    "kind",
    "text",
    "old_deadline",
    "new_deadline",
    "item_id",
    "item__title",
    "item__deadline",
    "item__unit_id",
    "item__unit__name",
    "item__period_id",
    "item__period__label",
)


def _date(day):
    return f"{day:%Y年%m月%d日}" if day else ""


def _body(event):
    kind, text = event["kind"], event["text"].strip()
    lines = []
    if kind == EventKind.RETURNED:
        lines = [f"退回理由：{text}", f"新的截止日期：{_date(event['new_deadline'] or event['item__deadline'])}"]
    elif kind == EventKind.DEADLINE_CHANGED:
        lines = [f"截止日期由 {_date(event['old_deadline'])} 调整为 {_date(event['new_deadline'])}。", f"理由：{text}"]
    elif kind == EventKind.EXTENSION_REQUESTED:
        wanted = f"申请延期至 {_date(event['new_deadline'])}。" if event["new_deadline"] else "申请延期。"
        lines = [f"{event['item__unit__name']}{wanted}", f"理由：{text}", "请审批。"]
    elif kind == EventKind.EXTENSION_APPROVED:
        lines = [f"截止日期调整为 {_date(event['new_deadline'] or event['item__deadline'])}。", text]
    elif kind == EventKind.HANDED_BACK:
        lines = [f"{event['item__unit__name']}认为此项不属本单位职责，退回交办。", f"理由：{text}", "请改派或确认。"]
    elif kind == EventKind.REASSIGNED:
        lines = [f"经办人：{text}"]
    else:
        lines = [text]
    lines.append(f"当前截止日期：{_date(event['item__deadline'])}")
    return "\n".join(line for line in lines if line and not line.endswith("：")).strip()


def _label(event):
    return event["item__period__label"] or AD_HOC_LABEL


def _single(event):
    kind = event["kind"]
    title = f"{HEADINGS[kind]}：{event['item__title']}（{_label(event)}）"
    if kind in (EventKind.EXTENSION_REQUESTED, EventKind.HANDED_BACK):
        title = f"{HEADINGS[kind]}：{event['item__unit__name']} · {event['item__title']}（{_label(event)}）"
    return Notice(
        kind=SINGLE[kind],
        item_id=event["item_id"],
        unit_id=event["item__unit_id"],
        title=title[:200],
        body=_body(event),
    )


def _listing(events, with_unit=False):
    items = {}
    for event in events:
        unit = f"{event['item__unit__name']}：" if with_unit else ""
        items.setdefault(event["item_id"], f"· {unit}{event['item__title']}（截止 {_date(event['item__deadline'])}）")
    lines = list(items.values())
    more = f"\n……等共 {len(lines)} 项" if len(lines) > DIGEST_LINES else ""
    return items, "\n".join(lines[:DIGEST_LINES]) + more


def _assigned_digest(events):
    """One notice per unit and period: the items newly handed over to it."""
    first = events[0]
    items, listing = _listing(events)
    label = _label(first)
    if len(items) == 1:
        title = f"新交办任务：{first['item__title']}（{label}）"
        note = first["text"].strip()
        body = f"{note}\n{listing}" if note else listing
    else:
        title = f"新交办任务 {len(items)} 项（{label}）"
        body = f"{label}交办给本单位 {len(items)} 项任务，请及时签收办理：\n{listing}"
    return Notice(
        kind=Kind.ASSIGNED,
        item_id=first["item_id"] if len(items) == 1 else None,
        unit_id=first["item__unit_id"],
        title=title[:200],
        body=body,
    )


def _submitted_digest(events):
    """One notice for the inspectors per pass: what awaits inspection."""
    items, listing = _listing(events, with_unit=True)
    labels = "、".join(sorted({_label(event) for event in events}))
    only = events[0]["item_id"] if len(items) == 1 else None
    return Notice(
        kind=Kind.SUBMITTED,
        item_id=only,
        unit_id=events[0]["item__unit_id"] if only else None,
        title=f"待检查 {len(items)} 项（{labels}）"[:200],
        body=f"以下任务已提交检查：\n{listing}",
    )


def _untold():
    since = timezone.now() - EVENT_HORIZON
    told = NoticeSource.objects.filter(event=OuterRef("pk"))
    return (
        ItemEvent.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(kind__in=TOLD, created_at__gte=since)
        .exclude(Exists(told))
        .order_by("item__unit_id", "item__deadline", "item_id", "pk")
        .values(*FIELDS)
    )


def write_event_notices():
    """Write the notices of the untold timeline lines (inside the caller's transaction). Returns how many."""
    events = list(_untold())
    if not events:
        return 0
    planned = []  # (notice, [event ids])
    assigned, submitted = defaultdict(list), []
    for event in events:
        if event["kind"] == EventKind.ASSIGNED:
            assigned[(event["item__unit_id"], event["item__period_id"])].append(event)
        elif event["kind"] == EventKind.SUBMITTED:
            submitted.append(event)
        else:
            planned.append((_single(event), [event["pk"]]))
    for group in assigned.values():
        planned.append((_assigned_digest(group), [event["pk"] for event in group]))
    if submitted:
        planned.append((_submitted_digest(submitted), [event["pk"] for event in submitted]))
    notices = Notice.objects.bulk_create([notice for notice, _events in planned])
    sources = [
        NoticeSource(notice_id=notice.pk, event_id=event_id)
        for notice, (_same, event_ids) in zip(notices, planned, strict=True)
        for event_id in event_ids
    ]
    NoticeSource.objects.bulk_create(sources, ignore_conflicts=True)
    # A concurrent pass that claimed these lines first told of them: drop the notices left without a line.
    written = [notice.pk for notice in notices]
    orphans = Notice.objects.filter(pk__in=written).exclude(Exists(NoticeSource.objects.filter(notice=OuterRef("pk"))))
    _total, removed = orphans.delete()
    return len(written) - removed.get(Notice._meta.label, 0)


@transaction.atomic
def notify_events():
    """Tell of every timeline line not yet told, plan the deliveries, and nudge the dispatcher. Returns the
    number of notices written."""
    written = write_event_notices()
    if written:
        plan_deliveries()
        schedule_dispatch()
    return written
