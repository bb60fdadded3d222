"""The few aggregated queries an assessment reads, each returned as a pandas DataFrame.

Which items count: of the kinds (and periods) the scheme counts, not withdrawn, with a
deadline in the assessment year on or before ``as_of``. The run judges them at the end of
``as_of``: an item still open then was not done on time, even one due that very day (it
is 0 days overdue and loses only its share of the on-time points).

An item is *done on time* when it was closed and its last submission (the one that was
accepted) fell on or before its deadline, in Asia/Shanghai dates: the unit is not made to
pay for the time the inspection took. The deadline judged is the one in force, or, when the
scheme counts lateness from the original deadline, the one before any approved extension
request (``judged_deadline``); every other change of the deadline stands.

Everything else that counts is *imperfect* and is read item by item, because each imperfect
item becomes a line of the explanation; the on-time ones are only counted, in SQL. With the
scheme's signing time counted, the items signed for late are read too (``_signing``).
"""

import datetime
from dataclasses import dataclass

import pandas as pd
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from departments.models import Unit
from notices.models import Circular, Criticism
from workflows.models import DutyItem, ExtensionRequest, ItemEvent

from .parameters import Parameters

LEAD, COOPERATING = "lead", "cooperating"
ITEM_ID = "process_ptr_id"  # the item table's own key column


@dataclass
class Facts:
    units: pd.DataFrame  # unit_id, unit_name, unit_kind
    counts: pd.DataFrame  # unit_id, role, due, on_time
    # item_id, title, unit_id, role, deadline, deadline_in_force, stage, done_on, reworks, urgings; deadline is the
    # judged one: it differs from deadline_in_force only for an item judged from its original deadline
    imperfect: pd.DataFrame
    urgings: pd.DataFrame  # item_id, owner_id, urgings (every judged item that was urged)
    criticisms: pd.DataFrame  # unit_id, circular_title, published_on, items
    praises: pd.DataFrame  # unit_id, circular_title, published_on
    # item_id, title, unit_id, handed_on, signed_on (NaT: unsigned); empty unless the scheme counts signing time
    signing: pd.DataFrame = None


def judged_deadline(parameters: Parameters, prefix=""):
    """The deadline lateness is counted from, as an expression over the items (``prefix`` across a relation).

    The deadline in force; or, when the scheme counts from the original deadline, the deadline the item had when
    its earliest approved extension request was asked (``current_deadline``) — one correlated subquery, not a query
    per item. Other changes (the office's extensions, an inspector's return) are not undone."""
    in_force = F(prefix + "deadline")
    if not parameters.from_original_deadline:
        return in_force
    first_approved = ExtensionRequest.objects.filter(
        item=OuterRef(prefix.removesuffix("__") + "_id" if prefix else "pk"), status=ExtensionRequest.Status.APPROVED
    ).order_by("created_at", "pk")
    return Coalesce(Subquery(first_approved.values("current_deadline")[:1]), in_force)


def counted(parameters: Parameters, year: int, as_of: datetime.date, prefix=""):
    """The filter for the items judged, as a Q; ``prefix`` (e.g. "item__") applies it across a relation.

    The query filtered must carry the alias ``judged_deadline`` (``judged_deadline(parameters, prefix)``)."""
    condition = Q(kind__in=parameters.kinds, stage__in=[DutyItem.Stage.CLOSED, *DutyItem.OPEN_STAGES])
    if parameters.period_ids:
        condition &= Q(period__in=parameters.period_ids) | Q(period__isnull=True)
    if prefix:
        condition = _prefixed(condition, prefix)
    return condition & Q(
        judged_deadline__gte=datetime.date(year, 1, 1), judged_deadline__lte=min(as_of, datetime.date(year, 12, 31))
    )


def _prefixed(condition, prefix):
    children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in condition.children
    ]
    return Q(*children, _connector=condition.connector, _negated=condition.negated)


def counted_items(parameters: Parameters, year: int, as_of: datetime.date):
    items = DutyItem.objects.alias(judged_deadline=judged_deadline(parameters)).filter(counted(parameters, year, as_of))
    return items.order_by().annotate(  # no ordering: Process's "-created" would join viewflow's table
        done_on=TruncDate(Coalesce("submitted_at", "closed_at"), tzinfo=timezone.get_default_timezone())
    )


DONE_STAGES = (DutyItem.Stage.CLOSED, DutyItem.Stage.INSPECTING)


def _on_time():
    """Closed, or submitted and awaiting inspection, with the (last) submission on or before the deadline."""
    return Q(stage__in=DONE_STAGES, done_on__lte=F("judged_deadline"))


def _frame(rows, columns):
    return pd.DataFrame.from_records(list(rows), columns=columns)


def read_facts(parameters: Parameters, year: int, as_of: datetime.date) -> Facts:
    items = counted_items(parameters, year, as_of)
    roles = [(LEAD, "unit_id", parameters.lead_weight)]
    roles.append((COOPERATING, "cooperating_units__id", parameters.cooperating_weight))
    roles = [(role, unit_field, weight) for role, unit_field, weight in roles if weight > 0]

    count_frames, imperfect_frames = [], []
    # Urgings of judged items, from the events' side (few rows, joined to their items by key).
    urgings = _frame(
        ItemEvent.objects.alias(judged_deadline=judged_deadline(parameters, prefix="item__"))
        .filter(
            counted(parameters, year, as_of, prefix="item__"),
            kind=ItemEvent.Kind.URGED,
            created_at__lt=_day_after(as_of),
        )
        .values("item_id", "item__unit_id")
        .annotate(urgings=Count("pk"))
        .values_list("item_id", "item__unit_id", "urgings"),
        ["item_id", "owner_id", "urgings"],
    )
    imperfect_filter = ~_on_time() | Q(reworks__gt=0)
    if parameters.per_urging > 0:  # an urged item costs points even when done on time: it needs its line
        urged = ItemEvent.objects.filter(
            item=OuterRef(ITEM_ID), kind=ItemEvent.Kind.URGED, created_at__lt=_day_after(as_of)
        )
        imperfect_filter |= Exists(urged)
    imperfect = items.filter(imperfect_filter)
    for role, unit_field, _weight in roles:
        counts = (
            items.values(unit_field)
            .annotate(due=Count(ITEM_ID), on_time=Count(ITEM_ID, filter=_on_time()))
            .values_list(unit_field, "due", "on_time")
        )
        frame = _frame(counts, ["unit_id", "due", "on_time"]).dropna(subset=["unit_id"])
        count_frames.append(frame.assign(role=role))

    # One scan for the imperfect items: a row per cooperating unit (or one with none), the owner on every row.
    rows = imperfect.annotate(judged_on=F("judged_deadline")).values_list(
        ITEM_ID, "title", "unit_id", "cooperating_units__id", "judged_on", "deadline", "stage", "done_on", "reworks"
    )
    columns = ["item_id", "title", "owner_id", "cooperating_id", "deadline", "deadline_in_force", "stage", "done_on"]
    both = _frame(rows, [*columns, "reworks"])
    for role, _unit_field, _weight in roles:
        if role == LEAD:
            frame = both.drop_duplicates("item_id").rename(columns={"owner_id": "unit_id"})
        else:
            frame = both.dropna(subset=["cooperating_id"]).rename(columns={"cooperating_id": "unit_id"})
        imperfect_frames.append(frame.drop(columns=["owner_id", "cooperating_id"], errors="ignore").assign(role=role))
    imperfect_frame = pd.concat(imperfect_frames, ignore_index=True)
    imperfect_frame = imperfect_frame.merge(urgings[["item_id", "urgings"]], on="item_id", how="left")
    imperfect_frame["urgings"] = imperfect_frame["urgings"].fillna(0).astype(int)
    imperfect_frame.loc[imperfect_frame["role"] != LEAD, "urgings"] = 0  # an urging presses the owner

    counts = _members_for_collectives(pd.concat(count_frames, ignore_index=True))
    imperfect_frame = _members_for_collectives(imperfect_frame)
    criticisms, praises = _criticisms(year, as_of), _praises(year, as_of)
    assessed = pd.concat([counts["unit_id"], criticisms["unit_id"], praises["unit_id"]]).unique().tolist()
    return Facts(
        units=_units(assessed),
        counts=counts,
        urgings=urgings,
        imperfect=imperfect_frame,
        criticisms=criticisms,
        praises=praises,
        signing=_signing(items, parameters, as_of),
    )


SIGNING_COLUMNS = ["item_id", "title", "unit_id", "handed_on", "signed_on"]


def _signing(items, parameters, as_of):
    """The judged items whose owner may have taken longer to sign for them than the scheme allows: signed (more
    than the days allowed after the hand-over, a superset of those late in Asia/Shanghai dates), or still awaiting
    the signature. Items from before signing existed (never signed, not awaiting it) are not read. No query when
    the scheme does not count signing time."""
    if not parameters.count_signing_time:
        return _frame([], SIGNING_COLUMNS)
    allowed = datetime.timedelta(days=parameters.signing_days_allowed)
    waited = Q(signed_at__isnull=False, signed_at__gt=F("created") + allowed)
    waiting = Q(signed_at__isnull=True, stage=DutyItem.Stage.SIGNING, created__lt=_day_after(as_of) - allowed)
    tz = timezone.get_default_timezone()
    rows = (
        items.filter(waited | waiting)
        .annotate(handed_on=TruncDate("created", tzinfo=tz), signed_on=TruncDate("signed_at", tzinfo=tz))
        .values_list(ITEM_ID, "title", "unit_id", "handed_on", "signed_on")
    )
    return _members_for_collectives(_frame(rows, SIGNING_COLUMNS))


def _members_for_collectives(frame):
    """A collective named as a cooperating unit (各乡镇（街道）) stands for each of its active member units:
    each of them answers for the item (as the duty flow lets any of them contribute), the collective itself
    is not assessed."""
    members = _frame(Unit.objects.member_links(), ["unit_id", "member_id"])
    if frame.empty or members.empty:
        return frame
    frame = frame.astype({"unit_id": "int64"}).merge(members, on="unit_id", how="left")
    frame["unit_id"] = frame["member_id"].fillna(frame["unit_id"]).astype("int64")
    return frame.drop(columns="member_id")


def _units(unit_ids):
    """The units assessed: those with items judged in the year or named in its circulars."""
    units = Unit.objects.filter(pk__in=[int(unit_id) for unit_id in unit_ids]).values_list("pk", "name", "kind")
    return _frame(units, ["unit_id", "unit_name", "unit_kind"])


def _published_in(year, as_of):
    tz = timezone.get_default_timezone()
    return (
        Circular.objects.filter(status=Circular.Status.PUBLISHED)
        .annotate(published_on=TruncDate("published_at", tzinfo=tz))
        .filter(published_on__year=year, published_on__lte=as_of)
    )


def _day_after(day):
    """The first moment after ``day`` in Asia/Shanghai: what happened before it happened by the end of ``day``."""
    following = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(following, timezone.get_default_timezone())


def _criticisms(year, as_of):
    circulars = _published_in(year, as_of)
    criticisms = Criticism.objects.filter(circular__in=circulars.values("pk"))
    rows = criticisms.annotate(published_on=TruncDate("circular__published_at", tzinfo=timezone.get_default_timezone()))
    frame = _frame(
        rows.values_list("pk", "unit_id", "circular__title", "published_on"),
        ["criticism_id", "unit_id", "circular_title", "published_on"],
    )
    named = _frame(
        Criticism.items.through.objects.filter(criticism__in=criticisms.values("pk"))
        .order_by("dutyitem_id")
        .values_list("criticism_id", "dutyitem__title"),
        ["criticism_id", "title"],
    )
    titles = named.groupby("criticism_id")["title"].agg("、".join).rename("items")
    frame = frame.merge(titles, left_on="criticism_id", right_index=True, how="left")
    frame["items"] = frame["items"].fillna("")
    return frame


def _praises(year, as_of):
    circulars = _published_in(year, as_of)
    through = Circular.praised_units.through.objects.filter(circular__in=circulars.values("pk"))
    rows = through.annotate(published_on=TruncDate("circular__published_at", tzinfo=timezone.get_default_timezone()))
    return _frame(
        rows.values_list("unit_id", "circular__title", "published_on"), ["unit_id", "circular_title", "published_on"]
    )
