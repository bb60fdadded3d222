"""Benchmark of the deadline escalation on PostgreSQL: one sweep and the dispatch over 100,000 open items.

    createdb -h 127.0.0.1 -U postgres taskboard_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taskboard_bench .venv/bin/python bench/escalation.py
    … [--items 100000] [--due 5000] [--overdue 0] [--units 30] [--years 5] [--batch 5000] [--seed 100]

The database must exist and be the benchmark's own: the script migrates it and imports the shipped plan when
they are missing, then EMPTIES its items, notices, deliveries and in-app notifications on every run (it refuses a
database whose name lacks "bench" unless given --force). Celery's broker is forced to ``memory://`` in this
process, so the dispatch the sweep enqueues after commit reaches no real worker and the measures stay clean.

What it builds: ``--units`` units (the plan's own, topped up with 压测单位NN), each with one or two liaisons and
a leader, plus three government-office supervisors and two plan-office members, all with email addresses;
one yearly period per year over ``--years`` years centred on today; ``--items`` open items written with COPY
straight into viewflow's process table and the item table (as the duty flow leaves an item: no viewflow task
rows, which the sweep does not read). Exactly ``--due`` items reach a rung today for the first time, spread over
the default ladder (7 days left, 1 day left, due today, 3 and 7 days overdue); the notices those items got on
earlier days are written beforehand (planned and sent to the liaisons), so today's sweep meets them as a real
one would. Every other item either has its deadline more than 7 days ahead (assigning or reporting) or has been
submitted and awaits inspection, which stops its ladder: none reaches a rung. ``--overdue N`` makes N of them a
backlog instead: 8 to 60 days overdue, never submitted, with all the notices they got on earlier days; they reach
no new rung today, but every sweep meets their rungs again (the cost of a backlog).

What it measures (time.perf_counter, and CaptureQueriesContext for the SQL): one ``sweep_deadlines()``;
``dispatch_deliveries(batch=…)`` called until a batch comes back short (the ``notices.dispatch`` task's loop);
then a second sweep, which must create nothing. Emails go to Django's locmem backend (settings_test): the
dispatch figure is the cost of Taskboard's own work, not of an SMTP server.
"""

import argparse
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import prepare_schema, refuse_unless_disposable, setup_django

SWEEP_TARGET_SECONDS = 5.0
# Days overdue (negative: days left) of the items due today, and the share of them at each.
DUE_MIX = [(-7, 0.4), (-1, 0.2), (0, 0.2), (3, 0.1), (7, 0.1)]
UNIT_KINDS = (
    "government_department",
    "party_committee",
    "education_commission",
    "supervision_office",
    "peoples_organisation",
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000, help="open items in all (default 100000)")
    parser.add_argument("--due", type=int, default=5_000, help="items reaching a rung today (default 5000)")
    parser.add_argument(
        "--overdue",
        type=int,
        default=0,
        help="of the others, items long overdue (8–60 days) and never submitted, with the notices they already got;"
        " none reaches a new rung today (default 0)",
    )
    parser.add_argument("--units", type=int, default=30, help="units owning the items (default 30)")
    parser.add_argument("--years", type=int, default=5, help="years the deadlines span (default 5)")
    parser.add_argument("--batch", type=int, default=5_000, help="dispatch batch size (default 5000, the task's)")
    parser.add_argument("--seed", type=int, default=100, help="random seed (default 100)")
    parser.add_argument("--force", action="store_true", help="run on a database whose name lacks 'bench'")
    args = parser.parse_args(argv)
    if not 0 < args.due <= args.items - args.overdue or args.overdue < 0:
        parser.error("--due must be at least 1, and --due plus --overdue at most --items")
    return args


def empty_outbox_and_items():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE notifications_notification, notices_delivery, notices_notice, viewflow_task, viewflow_process"
            " RESTART IDENTITY CASCADE"
        )


def make_people(unit_count):
    """Units topped up to ``unit_count``; their liaisons and leaders; the offices. Idempotent."""
    from django.contrib.auth import get_user_model

    from departments.models import Membership, Unit
    from departments.services import add_member, grant_role

    units = list(Unit.objects.filter(kind__in=UNIT_KINDS, active=True).order_by("pk")[:unit_count])
    for number in range(len(units) + 1, unit_count + 1):
        unit, _ = Unit.objects.get_or_create(
            name=f"压测单位{number:02d}",
            defaults={"kind": Unit.Kind.GOVERNMENT_DEPARTMENT, "short_name": f"压测{number}"},
        )
        units.append(unit)
    user_model = get_user_model()

    def person(username):
        user, _ = user_model.objects.get_or_create(username=username, defaults={"email": f"{username}@bench.example"})
        return user

    for index, unit in enumerate(units):
        for number in range(1 + index % 2):  # one or two liaisons
            add_member(person(f"bench-liaison-{index:02d}-{number}"), unit, Membership.Role.LIAISON)
        add_member(person(f"bench-leader-{index:02d}"), unit, Membership.Role.LEADER)
    for number in range(3):
        grant_role(person(f"bench-office-{number}"), "government_office")
    for number in range(2):
        grant_role(person(f"bench-plan-office-{number}"), "plan_office")
    return units


def make_periods(plan, years, today):
    from workflows.models import Period

    first = today.year - (years - 1) // 2
    periods = {}
    for year in range(first, first + years):
        periods[year], _ = Period.objects.get_or_create(
            plan=plan,
            kind=Period.Kind.YEAR,
            year=year,
            defaults={"label": f"{year}年度", "starts_on": date(year, 1, 1), "ends_on": date(year, 12, 31)},
        )
    return periods


def due_groups(due):
    """How many due items at each number of days overdue (the last group takes the rounding)."""
    counts = [int(due * share) for _, share in DUE_MIX]
    counts[-1] += due - sum(counts)
    return [(days, count) for (days, _), count in zip(DUE_MIX, counts, strict=True) if count]


def item_rows(args, units, periods, today):
    """(unit, period, deadline, stage) for every item: the due ones first, then the rest."""
    rng = random.Random(args.seed)
    first_day = date(min(periods), 1, 1)
    span = (date(max(periods), 12, 31) - first_day).days
    rows = []
    for days, count in due_groups(args.due):
        deadline = today - timedelta(days=days)
        rows += [(units[n % len(units)], deadline, "reporting") for n in range(count)]
    overdue_days = [days for days in range(8, 61) if days % 3]  # no repeat of the 3-day rung falls today
    rows += [
        (rng.choice(units), today - timedelta(days=rng.choice(overdue_days)), "reporting") for _ in range(args.overdue)
    ]
    for _ in range(args.items - args.due - args.overdue):
        deadline = first_day + timedelta(days=rng.randrange(span + 1))
        if deadline <= today + timedelta(days=7):
            stage = "inspecting"  # submitted: its ladder has stopped
        else:
            stage = "assigning" if rng.random() < 0.1 else "reporting"
        rows.append((rng.choice(units), deadline, stage))
    return [(unit, periods.get(deadline.year), deadline, stage) for unit, deadline, stage in rows]


def fill_items(rows, flow_ref):
    """COPY the items into viewflow's process table and the item table. Returns the seconds it took."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO viewflow_process (flow_class, status, created, data)"
            " SELECT %s, 'NEW', now(), '{}'::jsonb FROM generate_series(1, %s) RETURNING id",
            [flow_ref, len(rows)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        columns = (
            "process_ptr_id, kind, occurrence, title, instructions, deadline, stage, reworks, submitted_at,"
            " withdrawn_reason, unit_id, period_id"
        )
        with cursor.copy(f"COPY workflows_dutyitem ({columns}) FROM STDIN") as copy:
            for pk, (unit, period, deadline, stage) in zip(ids, rows, strict=True):
                submitted = f"{deadline - timedelta(days=3)} 10:00:00+08" if stage == "inspecting" else None
                copy.write_row(
                    (
                        pk,
                        "ad_hoc",
                        1,
                        f"{unit.short_name or unit.name}专项任务{pk}",
                        "",
                        deadline,
                        stage,
                        0,
                        submitted,
                        "",
                        unit.pk,
                        period.pk if period else None,
                    )
                )
    return time.perf_counter() - started


def reached(rung, deadline, day):
    """The occurrence of ``rung`` an item with ``deadline`` has reached on ``day``, or None (the sweep's rule)."""
    overdue = (day - deadline).days
    if overdue < rung.offset_days or (rung.offset_days < 0 and overdue >= 0):
        return None
    if not rung.repeat_every_days:
        return 1
    return (overdue - rung.offset_days) // rung.repeat_every_days + 1


def history_and_today(rungs, deadline, today):
    """(rung, occurrence) written by the sweeps of earlier days, and those reached today."""
    earliest = deadline + timedelta(days=min(rung.offset_days for rung in rungs))
    earlier = set()
    day = earliest
    while day < today:
        earlier |= {(rung, n) for rung in rungs if (n := reached(rung, deadline, day))}
        day += timedelta(days=1)
    now = {(rung, n) for rung in rungs if (n := reached(rung, deadline, today))}
    return earlier, now


def write_history(rungs, today):
    """The notices earlier sweeps wrote for the due items, planned and sent to the liaisons. Returns expected counts."""
    from django.db import connection

    expected_new = candidates = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT deadline, count(*) FROM workflows_dutyitem WHERE stage IN ('assigning', 'reporting')"
            " AND deadline <= %s GROUP BY deadline",
            [today + timedelta(days=7)],
        )
        for deadline, count in cursor.fetchall():
            earlier, now = history_and_today(rungs, deadline, today)
            expected_new += count * len(now - earlier)
            candidates += count * len(now)
            for rung, occurrence in earlier:
                cursor.execute(
                    "INSERT INTO notices_notice (kind, item_id, rung_id, deadline, occurrence, unit_id, title, body,"
                    " recipients_planned, created_at)"
                    " SELECT 'rung', process_ptr_id, %s, deadline, %s, unit_id, %s || title, '', true, now()"
                    " FROM workflows_dutyitem WHERE deadline = %s AND stage IN ('assigning', 'reporting')",
                    [rung.pk, occurrence, f"{rung.name}：", deadline],
                )
        cursor.execute(
            "INSERT INTO notices_delivery (notice_id, recipient_id, channel, status, attempts, last_error, sent_at)"
            " SELECT n.id, m.user_id, c.channel, 'sent', 1, '', now() FROM notices_notice n"
            " JOIN departments_membership m ON m.unit_id = n.unit_id AND m.role = 'liaison'"
            " CROSS JOIN (VALUES ('in_app'), ('email')) AS c(channel)"
        )
    return expected_new, candidates


def measure(function):
    """(result, seconds, SQL queries, seconds spent in SQL) of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    sql = sum(float(query["time"]) for query in context.captured_queries)
    return result, seconds, len(context.captured_queries), sql


def counts():
    from notices.models import Delivery, Notice

    return Notice.objects.count(), Delivery.objects.count()


def dispatch_until_done(batch):
    from notices.services import dispatch_deliveries

    total, rounds = Counter(), 0
    while True:
        result = dispatch_deliveries(batch=batch)
        rounds += 1
        total.update(sent=result.sent, retrying=result.retrying, failed=result.failed)
        if result.sent + result.retrying + result.failed < batch:
            return total, rounds


def main(argv=None):
    args = parse_args(argv)
    setup_django("escalation.py")
    from django.db import connection, transaction
    from django.utils import timezone
    from viewflow.workflow.fields import get_flow_ref

    from notices.models import Delivery, Rung
    from notices.services import sweep_deadlines
    from workflows.flows import DutyFlow
    from workflows.models import DutyItem

    refuse_unless_disposable(args.force)
    plan = prepare_schema()
    today = timezone.localdate()
    rungs = list(Rung.objects.filter(active=True))
    if not rungs:
        sys.exit("the escalation ladder is empty: the bench needs the default ladder of notices/migrations/0002.")

    started = time.perf_counter()
    with transaction.atomic():
        empty_outbox_and_items()
        units = make_people(args.units)
        periods = make_periods(plan, args.years, today)
        rows = item_rows(args, units, periods, today)
        copy_seconds = fill_items(rows, get_flow_ref(DutyFlow))
        expected_new, candidates = write_history(rungs, today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    fill_seconds = time.perf_counter() - started
    stages = Counter(DutyItem.objects.values_list("stage", flat=True))
    notices_before, deliveries_before = counts()
    print(
        f"filled in {fill_seconds:.1f} s (COPY of the items {copy_seconds:.1f} s): {sum(stages.values()):,} open items"
        f" ({', '.join(f'{stage} {n:,}' for stage, n in sorted(stages.items()))}) in {len(units)} units over"
        f" {args.years} years; {args.due:,} reach a rung today, {args.overdue:,} long overdue;"
        f" history: {notices_before:,} notices, {deliveries_before:,} deliveries"
    )
    print(f"today {today}; expected: {candidates:,} rungs reached today, {expected_new:,} of them new")

    result, seconds, queries, sql = measure(sweep_deadlines)
    notices_after, deliveries_after = counts()
    new_notices, new_deliveries = notices_after - notices_before, deliveries_after - deliveries_before
    verdict = "within" if seconds <= SWEEP_TARGET_SECONDS else "OVER"
    print(
        f"\nsweep 1: {seconds:.2f} s ({sql:.2f} s in SQL), {queries} queries; created {new_notices:,} notices and"
        f" {new_deliveries:,} deliveries (SweepResult: notices={result.notices:,}, deliveries={result.deliveries:,})"
    )
    print(
        f"  {1000 * seconds / args.due:.3f} ms per due item, {1000 * seconds / max(new_notices, 1):.3f} ms per"
        f" notice, {1000 * seconds / max(new_deliveries, 1):.4f} ms per delivery;"
        f" {verdict} the {SWEEP_TARGET_SECONDS:.0f} s target"
    )
    if new_notices != expected_new:
        print(f"  !! expected {expected_new:,} new notices, the sweep created {new_notices:,}")

    (total, rounds), seconds, queries, sql = measure(lambda: dispatch_until_done(args.batch))
    pending = Delivery.objects.exclude(status=Delivery.Status.SENT).count()
    print(
        f"\ndispatch: {seconds:.2f} s ({sql:.2f} s in SQL), {queries} queries in {rounds} batches of {args.batch};"
        f" sent {total['sent']:,}, retrying {total['retrying']}, failed {total['failed']}; {pending} not sent"
    )
    if total["sent"]:
        print(
            f"  {1000 * seconds / total['sent']:.3f} ms per delivery, {total['sent'] / seconds:,.0f} deliveries/s,"
            f" {queries / rounds:.1f} queries per batch"
        )

    result, seconds, queries, sql = measure(sweep_deadlines)
    notices_again, deliveries_again = counts()
    print(
        f"\nsweep 2: {seconds:.2f} s ({sql:.2f} s in SQL), {queries} queries; created"
        f" {notices_again - notices_after:,} notices and {deliveries_again - deliveries_after:,} deliveries"
        f" (SweepResult: notices={result.notices:,}, deliveries={result.deliveries:,})"
    )
    if notices_again != notices_after or deliveries_again != deliveries_after:
        print("  !! the second sweep wrote rows: it should create none")


if __name__ == "__main__":
    main()
