"""What the notice pages read. Each runs a fixed number of queries whatever the number of rows:
aggregates and subqueries, never a query per item.

Items are always listed from ``DutyItem.objects.for_user(user)``.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from departments.models import Unit
from workflows.models import DutyItem

from .models import Circular, Delivery, Notice, Rung
from .services.sweep import LADDER_STAGES

RECENT_CIRCULAR_DAYS = 30

# key, label, fewest and most days overdue (None: no upper bound)
OVERDUE_BUCKETS = [
    ("1-7", "逾期1–7天", 1, 7),
    ("8-14", "逾期8–14天", 8, 14),
    ("15-30", "逾期15–30天", 15, 30),
    ("over-30", "逾期30天以上", 31, None),
]
BUCKET_KEYS = [key for key, *_rest in OVERDUE_BUCKETS]


# --- inbox --------------------------------------------------------------------------------------------------------


def inbox_for(user):
    """The notifications library's rows for the user, newest first (no generic relations are read)."""
    from notifications.models import Notification

    return Notification.objects.filter(recipient=user).order_by("-timestamp", "-pk")


def filter_inbox(notifications, *, unread=False, kind="", period=None, q=""):
    """The inbox narrowed: unread only, one kind of notice, one period, words in the title or text. Kind and
    period are read from the row's data (written by ``channels.InAppChannel``)."""
    if unread:
        notifications = notifications.filter(unread=True)
    if kind:
        notifications = notifications.filter(data__kind=kind)
    if period is not None:
        notifications = notifications.filter(data__period=period.pk)
    q = (q or "").strip()
    if q:
        notifications = notifications.filter(Q(verb__icontains=q) | Q(description__icontains=q))
    return notifications


# --- an item's notices --------------------------------------------------------------------------------------------


def notices_of_item(item):
    deliveries = Delivery.objects.select_related("recipient").order_by("recipient__username", "channel", "pk")
    return (
        Notice.objects.filter(item=item)
        .select_related("rung", "urging__created_by", "circular")
        .prefetch_related(Prefetch("deliveries", queryset=deliveries))
        .order_by("-created_at", "-pk")
    )


# --- the overdue dashboard ----------------------------------------------------------------------------------------


def overdue_items(user, today):
    """Open items past their deadline (the board's red light), among those the user may see."""
    return DutyItem.objects.for_user(user).filter(stage__in=DutyItem.OPEN_STAGES, deadline__lt=today)


def bucket_filter(key, today):
    low, high = next((low, high) for k, _label, low, high in OVERDUE_BUCKETS if k == key)
    q = Q(deadline__lte=today - timedelta(days=low))
    if high is not None:
        q &= Q(deadline__gte=today - timedelta(days=high))
    return q


def bucket_counts(items, today):
    """[(key, label, count)] for the four spans of days overdue, from one aggregate query."""
    counts = items.order_by().aggregate(
        **{f"b{n}": Count("pk", filter=bucket_filter(key, today)) for n, key in enumerate(BUCKET_KEYS)}
    )
    return [(key, label, counts[f"b{n}"]) for n, (key, label, *_rest) in enumerate(OVERDUE_BUCKETS)]


def by_unit(items):
    """Per owner unit: how many overdue, how many of those await inspection, and the oldest deadline."""
    return list(
        items.order_by()
        .values("unit", "unit__name", "unit__short_name")
        .annotate(
            n=Count("pk"),
            inspecting=Count("pk", filter=Q(stage=DutyItem.Stage.INSPECTING)),
            oldest=Min("deadline"),
        )
        .order_by("oldest", "unit__name")
    )


def _rung_notices():
    return Notice.objects.filter(kind=Notice.Kind.RUNG, rung__isnull=False)


LADDER_ORDER = ("-rung__offset_days", "-rung_id")  # the highest rung first


def top_rungs_of(item_ids):
    """{item id: rung name} of the highest rung each listed item (a page of them) reached: one query, the page's
    notices read in ladder order and the first of each item kept."""
    tops = {}
    rows = _rung_notices().filter(item_id__in=list(item_ids)).order_by("item_id", *LADDER_ORDER)
    for item_id, name in rows.values_list("item_id", "rung__name"):
        tops.setdefault(item_id, name)
    return tops


def _top_rung_counts(items, ladder):
    """{rung id: number of ``items`` whose highest rung it is} (items no rung reached are not counted), from one
    query: each item's highest rung is the maximum of its notices' places on the ``ladder``, then the items are
    counted by it. Only the notices' unique index (item, rung, …) is read, item by item for the listed items
    (``= ANY(ARRAY(…))`` on PostgreSQL; a notice with a rung is a rung's notice, so its kind need not be read):
    a hash join of every notice with the items cost twice as much, a subquery per item ten times as much."""
    places = " ".join(f"WHEN {int(rung.pk)} THEN {n}" for n, rung in enumerate(ladder))
    try:
        items_sql, items_params = items.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # e.g. ``.none()``: Django compiles no SQL for a set known to be empty
        return {}
    listed = f"= ANY(ARRAY({items_sql}))" if connection.vendor == "postgresql" else f"IN ({items_sql})"
    sql = (
        f"SELECT top, COUNT(*) FROM (SELECT MAX(CASE rung_id {places} END) AS top"  # noqa: S608 (Django's SQL)
        f" FROM {Notice._meta.db_table} WHERE rung_id IS NOT NULL AND item_id {listed} GROUP BY item_id) per_item"
        " GROUP BY top"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, items_params)
        return {ladder[top].pk: n for top, n in cursor.fetchall() if top is not None}


def by_top_rung(items, total):
    """[(rung or None, count)] ordered along the ladder, the items no reminder reached last. ``total``: how many
    items there are (the buckets' sum): those without a rung's notice are the rest."""
    ladder = sorted(Rung.objects.all(), key=lambda rung: (rung.offset_days, rung.pk))
    counts = _top_rung_counts(items, ladder) if ladder else {}
    table = [(rung, counts[rung.pk]) for rung in reversed(ladder) if rung.pk in counts]
    unreached = total - sum(counts.values())
    if unreached:
        table.append((None, unreached))
    return table


def candidate_notice():
    return Notice.objects.filter(item=OuterRef("pk"), rung__marks_circular_candidate=True)


def circular_candidate_items(items):
    """通报候选: overdue items not yet submitted whose notices came from a rung that marks them (as when drafting)."""
    return items.filter(stage__in=LADDER_STAGES).filter(Exists(candidate_notice()))


CANDIDATES_SHOWN = 10  # items named under each unit; the rest are counted and a link lists them page by page


@dataclass
class UnitCandidates:
    """A unit's circular candidates: how many, the oldest deadline, and the first ``CANDIDATES_SHOWN`` of them."""

    unit: Unit
    count: int
    oldest: date
    items: list = field(default_factory=list)

    @property
    def more(self):
        return self.count - len(self.items)


def candidates_by_unit(candidates, shown=CANDIDATES_SHOWN):
    """[UnitCandidates] by unit name, from two queries whatever the number of candidates: the ids of each unit's
    first ``shown`` items by deadline, with the unit's count and oldest deadline beside them (window functions over
    the item table's own columns), then those items with their units and periods."""
    ranked = (
        candidates.annotate(
            rank=Window(RowNumber(), partition_by=F("unit_id"), order_by=[F("deadline").asc(), F("pk").asc()]),
            unit_count=Window(Count("pk"), partition_by=F("unit_id")),
            unit_oldest=Window(Min("deadline"), partition_by=F("unit_id")),
        )
        .filter(rank__lte=shown)
        .order_by()
        .values_list("pk", "unit_id", "unit_count", "unit_oldest")
    )
    rows = list(ranked)
    items = DutyItem.objects.select_related("unit", "period").in_bulk([pk for pk, *_rest in rows])
    groups = {}
    for pk, unit_id, count, oldest in sorted(rows, key=lambda row: (items[row[0]].deadline, row[0])):
        group = groups.get(unit_id)
        if group is None:
            group = groups[unit_id] = UnitCandidates(items[pk].unit, count, oldest)
        group.items.append(items[pk])
    return sorted(groups.values(), key=lambda group: (group.unit.name, group.unit.pk))


# --- delivery failures --------------------------------------------------------------------------------------------


def failed_deliveries():
    """Deliveries that failed for good, and those waiting to be retried (pending after a failed attempt)."""
    return (
        Delivery.objects.filter(Q(status=Delivery.Status.FAILED) | Q(status=Delivery.Status.PENDING, attempts__gt=0))
        .select_related("recipient", "notice__item", "notice__unit")
        .order_by("-pk")
    )


# --- circulars ----------------------------------------------------------------------------------------------------


def recent_circulars(now=None):
    """Circulars published in the last 30 days, newest first (the board's banner)."""
    since = (now or timezone.now()) - timedelta(days=RECENT_CIRCULAR_DAYS)
    return Circular.objects.filter(status=Circular.Status.PUBLISHED, published_at__gte=since).order_by(
        "-published_at", "-pk"
    )


def praisable_units():
    """Units a circular may praise: the real units every circular is sent to (no collectives, no schools)."""
    return (
        Unit.objects.filter(active=True)
        .exclude(kind__in=[Unit.Kind.COLLECTIVE, Unit.Kind.SCHOOL])
        .order_by("kind", "name")
    )


def units_closed_on_time(period):
    """Units whose every item of the period (withdrawn ones aside) was closed by its deadline (Shanghai dates)."""
    on_time = Q(stage=DutyItem.Stage.CLOSED, closed_at__date__lte=F("deadline"))
    rows = (
        DutyItem.objects.filter(period=period)
        .exclude(stage=DutyItem.Stage.WITHDRAWN)
        .order_by()
        .values("unit")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=on_time))
    )
    return {row["unit"] for row in rows if row["total"] == row["on_time"]}


def overdue_of_period(period, today=None):
    """The period's items still owed past their deadline (not yet submitted, Shanghai dates)."""
    today = today or timezone.localdate()
    return DutyItem.objects.filter(period=period, stage__in=DutyItem.WORKING_STAGES, deadline__lt=today)


def units_with_overdue_items(period, unit_ids=None, today=None):
    """{unit id: number of overdue items} in the period (one query), of ``unit_ids`` if given."""
    items = overdue_of_period(period, today)
    if unit_ids is not None:
        items = items.filter(unit_id__in=unit_ids)
    return dict(items.order_by().values("unit").annotate(n=Count("pk")).values_list("unit", "n"))


def suggested_criticism(period, today=None):
    """[(unit, overdue count)] of the period, most overdue first: the units a circular may name (one query)."""
    rows = (
        overdue_of_period(period, today)
        .order_by()
        .values("unit", "unit__name", "unit__short_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__name")
    )
    return [(row["unit__short_name"] or row["unit__name"], row["n"]) for row in rows]


def period_candidates(period, today=None):
    """The period's circular candidates: its overdue items not yet submitted that reached a rung marking them."""
    today = today or timezone.localdate()
    return circular_candidate_items(DutyItem.objects.filter(period=period, deadline__lt=today))


def circular_candidates(period, today=None):
    """{unit: UnitCandidates} of the period, by unit name (one query, whatever the number of candidates)."""
    return {group.unit: group for group in candidates_by_unit(period_candidates(period, today))}


# --- the ladder's page: its rungs and what the next sweep would send -------------------------------------------


PREVIEW_ROWS = 100  # items listed on the ladder's page; the counts cover every item


def ladder_preview(day):
    """Who would get what if the sweep ran on ``day``: the sweep's own choice of rungs (``ladder_notices``) and the
    planner's audience (``Audience``), read only — nothing is written. A fixed number of queries whatever the number
    of items: the items due for a look, the notices already sent, the audience, the listed items and the people.

    Returns {"by_rung": [(rung, items, recipients)], "rows": [row], "items": N, "more": N}, each row a dict with the
    item's id, title, period, unit and deadline, the rung, the people told (names) and the channels' labels."""
    from django.contrib.auth import get_user_model

    from departments.names import display_name

    from .channels import CHANNELS, enabled_channels
    from .recipients import Audience
    from .services.planning import rung_audience
    from .services.sweep import ladder_notices, period_label

    notices = sorted(ladder_notices(day), key=lambda notice: (notice.rung.offset_days, notice.deadline, notice.item_id))
    audience = Audience(notice.unit_id for notice in notices) if notices else None
    enabled = enabled_channels()
    told = {}
    for notice in notices:
        flags, channels = rung_audience(notice.rung)
        people = audience.for_notice(unit_id=notice.unit_id, **flags)
        labels = [CHANNELS[code].label for code in channels if code in enabled and code in CHANNELS]
        told[notice.item_id] = (people, labels)
    shown = notices[:PREVIEW_ROWS]
    items = DutyItem.objects.select_related("unit", "period").in_bulk([notice.item_id for notice in shown])
    person_ids = {user_id for notice in shown for user_id, _email in told[notice.item_id][0]}
    people = get_user_model().objects.in_bulk(person_ids)
    by_rung = {}
    for notice in notices:
        count, recipients = by_rung.get(notice.rung, (0, set()))
        by_rung[notice.rung] = (count + 1, recipients | {user_id for user_id, _email in told[notice.item_id][0]})
    rows = [
        {
            "item_id": notice.item_id,
            "title": items[notice.item_id].title,
            "period": period_label(items[notice.item_id].period and items[notice.item_id].period.label),
            "unit": items[notice.item_id].unit,
            "deadline": notice.deadline,
            "rung": notice.rung,
            "people": [display_name(people[user_id]) for user_id, _email in told[notice.item_id][0]],
            "channels": told[notice.item_id][1],
        }
        for notice in shown
    ]
    return {
        "by_rung": [(rung, count, len(recipients)) for rung, (count, recipients) in by_rung.items()],
        "rows": rows,
        "items": len(notices),
        "more": max(0, len(notices) - PREVIEW_ROWS),
    }
