"""What bench/chaos.py expects of the ladder, and how it checks the database against it after the run.

The expectation is a model of the rules as the README states them ("Reminders and escalation"), written apart
from the sweep's code: each simulated day, an item still on its ladder gets at most one notice, of the highest
rung it has reached whose current occurrence it has not had, unless a higher rung already told of that span; a
reminder before the deadline counts only while it is the latest one reached; a submitted item gets nothing more.
"""

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class LadderRung:
    pk: int
    offset: int
    repeat: int | None

    def occurrence(self, overdue):
        """The occurrence reached ``overdue`` days after the deadline (negative: before), or None."""
        if overdue < self.offset:
            return None
        return (overdue - self.offset) // self.repeat + 1 if self.repeat else 1

    def begins(self, occurrence):
        return self.offset + (occurrence - 1) * (self.repeat or 0)


def reached_today(rungs, overdue):
    """(rung, occurrence) pairs reached on a day; of the reminders before the deadline, only the latest."""
    reached = [(rung, n) for rung in rungs if (n := rung.occurrence(overdue))]
    before = [pair for pair in reached if pair[0].offset < 0]
    if overdue >= 0:
        return [pair for pair in reached if pair[0].offset >= 0]
    return before[-1:]


def one_sweep(rungs, overdue, sent):
    """The (rung, occurrence) one sweep writes for an item, given ``sent`` {rung pk: latest occurrence}."""
    chosen = None
    for rung, occurrence in reached_today(rungs, overdue):  # along the ladder: a higher rung replaces a lower one
        if sent.get(rung.pk, 0) >= occurrence:
            continue
        begins = rung.begins(occurrence)
        if any(
            (other.offset, other.pk) > (rung.offset, rung.pk) and other.begins(sent[other.pk]) >= begins
            for other in rungs
            if other.pk in sent
        ):
            continue  # a higher rung already told of this span
        chosen = (rung, occurrence)
    return chosen


def expected_notices(rungs, items, days, sweeps_per_day=1):
    """{(item id, rung pk, occurrence)} over simulated days 0 … days-1.

    ``items``: {item id: (deadline offset from day 0, overdue days at which the item is submitted)}."""
    expected = set()
    for item_id, (offset, stop) in items.items():
        sent = {}
        for day in range(days):
            overdue = day - offset
            if overdue >= stop:
                break
            for _ in range(sweeps_per_day):
                chosen = one_sweep(rungs, overdue, sent)
                if chosen is None:
                    break
                rung, occurrence = chosen
                sent[rung.pk] = occurrence
                expected.add((item_id, rung.pk, occurrence))
    return expected


@dataclass
class Verdict:
    notices: int
    expected: int
    missing: list
    extra: list
    duplicates: list
    stale_deadlines: int
    unplanned: int
    deliveries: Counter
    short_deliveries: list
    in_app_missing: int
    in_app_duplicated: int

    def failures(self):
        problems = []
        if self.missing:
            problems.append(f"{len(self.missing)} expected notices missing, e.g. {self.missing[:5]}")
        if self.extra:
            problems.append(f"{len(self.extra)} notices the rules do not call for, e.g. {self.extra[:5]}")
        if self.duplicates:
            problems.append(
                f"{len(self.duplicates)} (item, rung, occurrence) noticed twice, e.g. {self.duplicates[:5]}"
            )
        if self.stale_deadlines:
            problems.append(f"{self.stale_deadlines} notices whose deadline is not their item's")
        if self.unplanned:
            problems.append(f"{self.unplanned} notices without planned recipients")
        unsent = sum(n for status, n in self.deliveries.items() if status != "sent")
        if unsent:
            problems.append(f"{unsent} deliveries not sent: {dict(self.deliveries)}")
        if self.short_deliveries:
            problems.append(f"{len(self.short_deliveries)} notices lack deliveries, e.g. {self.short_deliveries[:5]}")
        if self.in_app_missing or self.in_app_duplicated:
            problems.append(
                f"in-app: {self.in_app_missing} sent deliveries without their notification,"
                f" {self.in_app_duplicated} with more than one"
            )
        return problems


def verify(rungs, items, days):
    """Compare the database with the model after the final drain."""
    from django.db import connection

    from notices.channels import enabled_channels
    from notices.models import Delivery, Notice
    from notices.recipients import Audience
    from notices.services.planning import rung_audience

    expected = expected_notices(rungs, items, days)
    rows = list(
        Notice.objects.filter(kind=Notice.Kind.RUNG).values_list(
            "pk", "item_id", "rung_id", "occurrence", "deadline", "item__deadline", "unit_id", "recipients_planned"
        )
    )
    keys = Counter((item, rung, occurrence) for _, item, rung, occurrence, *_ in rows)
    stale = sum(1 for row in rows if row[4] != row[5])
    with connection.cursor() as cursor:
        cursor.execute("SELECT notice_id, count(*) FROM notices_delivery GROUP BY notice_id")
        planned_count = dict(cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FILTER (WHERE n.c IS NULL), count(*) FILTER (WHERE n.c > 1)"
            " FROM notices_delivery d LEFT JOIN (SELECT (data->>'delivery')::bigint AS delivery, count(*) AS c"
            " FROM notifications_notification GROUP BY 1) n ON n.delivery = d.id"
            " WHERE d.channel = 'in_app' AND d.status = 'sent'"
        )
        in_app_missing, in_app_duplicated = cursor.fetchone()
    channels = set(enabled_channels())
    audience = Audience({row[6] for row in rows})
    by_pk = {rung.pk: rung for rung in _rung_objects()}
    short = []
    for pk, _, rung_id, _, _, _, unit_id, _ in rows:
        flags, rung_channels = rung_audience(by_pk[rung_id])
        people = audience.for_notice(unit_id=unit_id, **flags)
        wanted = sum(
            1
            for _, email in people
            for channel in rung_channels
            if channel in channels and (channel != "email" or email)
        )
        if planned_count.get(pk, 0) != wanted:
            short.append((pk, planned_count.get(pk, 0), wanted))
    return Verdict(
        notices=len(rows),
        expected=len(expected),
        missing=sorted(expected - set(keys)),
        extra=sorted(set(keys) - expected),
        duplicates=sorted(key for key, n in keys.items() if n > 1),
        stale_deadlines=stale,
        unplanned=sum(1 for row in rows if not row[7]),
        deliveries=Counter(Delivery.objects.values_list("status", flat=True)),
        short_deliveries=short,
        in_app_missing=in_app_missing,
        in_app_duplicated=in_app_duplicated,
    )


def _rung_objects():
    from notices.models import Rung

    return list(Rung.objects.all())


def ladder_rungs():
    """The active deadline rungs, in the ladder's order."""
    from notices.models import Rung

    rungs = Rung.objects.filter(active=True, applies_to=Rung.Applies.DEADLINE).order_by("offset_days", "pk")
    return [LadderRung(rung.pk, rung.offset_days, rung.repeat_every_days) for rung in rungs]
