"""Benchmark of the pages at 200,000 items: one line per page and role, with its queries and server time.

    createdb -h 127.0.0.1 -U postgres taskboard_bench_pages
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taskboard_bench_pages .venv/bin/python bench/pages.py
    … [--items 200000] [--overdue 20000] [--units 30] [--years 5] [--parts 5000] [--reuse] [--only board]

The database must be the benchmark's own (its name must contain "bench" unless --force). Without --reuse, or when
the database does not hold the items asked for, the script EMPTIES its items, viewflow processes and tasks,
notices and deliveries, and fills it (``bench/fill.py``): ``--units`` units with their people (liaisons, leaders,
the government office, inspectors, the plan office, the organisation department's assessment readers); one
yearly period per year over ``--years`` years centred on today; ``--items`` items of the plan's templates
(three in ten ad-hoc tasks), one in five with a cooperating unit, their deadlines spread over the periods: those
past are mostly closed (some withdrawn, some awaiting inspection), those ahead at every stage; ``--overdue`` of
them an overdue backlog (8–60 days overdue, never submitted) with the notices earlier sweeps wrote; the viewflow
tasks each item's stage implies (so viewflow's pages list what they would); a published assessment of last year;
``--parts`` school parts with ten years of figures and their stored indicator values (``bench/indicators.py``).

Then, for each page, as a user of each role that opens it (Django's test ``Client``, logged in with
``force_login``): one warm-up request, then five; it prints

    PAGE <role>/<page> queries=<n> ms=<median of 5> main_sql_ms=<the heaviest query of the median request, raw>

(plus the status when it is not 200), and the load average beside each line, since this machine has 2 cores
shared with others. ``--only`` keeps the pages whose ``role/page`` contains the substring. The target is every
page under 300 ms (the issue's budget): lines over it end with ``OVER``.
"""

import argparse
import importlib.util
import logging
import os
import random
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import prepare_schema, refuse_unless_disposable, setup_django
from fill import (
    ItemRow,
    empty_outbox_and_items,
    fill_cooperation,
    fill_items,
    fill_tasks,
    make_people,
    make_periods,
    write_history,
)

BUDGET_MS = 300
RUNS = 5


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200_000, help="items in all (default 200000)")
    parser.add_argument("--overdue", type=int, default=20_000, help="of them, an overdue backlog (default 20000)")
    parser.add_argument("--units", type=int, default=30, help="units owning the items (default 30)")
    parser.add_argument("--years", type=int, default=5, help="yearly periods the deadlines span (default 5)")
    parser.add_argument("--parts", type=int, default=5_000, help="school parts with 10 years of figures (5000)")
    parser.add_argument("--seed", type=int, default=200, help="random seed (default 200)")
    parser.add_argument("--reuse", action="store_true", help="skip the fill when the database holds the items")
    parser.add_argument("--only", default="", help="only the pages whose role/page holds one of these (a,b,…)")
    parser.add_argument("--force", action="store_true", help="run on a database whose name lacks 'bench'")
    args = parser.parse_args(argv)
    if not 0 <= args.overdue <= args.items:
        parser.error("--overdue must be between 0 and --items")
    return args


# ---------------------------------------------------------------------------------------------------- the fill


def stage_for(deadline, today, rng):
    """A plausible stage for an item due on ``deadline`` that is not part of the overdue backlog."""
    if deadline < today:
        return rng.choices(["closed", "withdrawn", "inspecting"], [0.93, 0.02, 0.05])[0]
    return rng.choices(
        ["assigning", "signing", "handed_back", "reporting", "inspecting", "closed"],
        [0.04, 0.08, 0.01, 0.67, 0.15, 0.05],
    )[0]


def item_rows(args, units, periods, templates, liaisons, today, rng):
    first_day = min(period.starts_on for period in periods.values())
    span = (max(period.ends_on for period in periods.values()) - first_day).days
    overdue_days = [days for days in range(8, 61) if days % 3]
    occurrences = Counter()
    rows = []
    for number in range(args.items):
        unit = rng.choice(units)
        if number < args.overdue:
            deadline = today - timedelta(days=rng.choice(overdue_days))
            stage = "reporting" if rng.random() < 0.9 else "assigning"
        else:
            deadline = first_day + timedelta(days=rng.randrange(span + 1))
            stage = stage_for(deadline, today, rng)
        period = periods.get(deadline.year)
        assignee = liaisons.get(unit.pk) if stage not in ("assigning", "signing") else None
        if rng.random() < 0.7 and period is not None:
            template_id, text = rng.choice(templates)
            key = (template_id, period.pk, unit.pk)
            occurrences[key] += 1
            occurrence = occurrences[key]
            title = f"{text}（第{occurrence}次）"
            rows.append(ItemRow(unit, period, deadline, stage, "duty", template_id, occurrence, title, assignee))
        else:
            title = f"{unit.short_name or unit.name}专项任务{number}"
            rows.append(ItemRow(unit, period, deadline, stage, "ad_hoc", title=title, assignee_id=assignee))
    return rows


def fill(args, plan, today):
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from viewflow.workflow.fields import get_flow_ref

    from departments.models import Membership
    from notices.models import Rung
    from workflows.flows import DutyFlow
    from workflows.models import DutyTemplate

    rng = random.Random(args.seed)
    users = get_user_model().objects
    started = time.perf_counter()
    with transaction.atomic():
        empty_outbox_and_items()
        units = make_people(args.units, inspectors=2, assessors=2)
        periods = make_periods(plan, args.years, today)
        templates = [(pk, text[:40]) for pk, text in DutyTemplate.objects.order_by("pk").values_list("pk", "text")]
        liaisons = dict(
            Membership.objects.filter(unit__in=units, role=Membership.Role.LIAISON)
            .order_by("unit_id", "user_id")
            .values_list("unit_id", "user_id")
            .distinct("unit_id")
        )
        rows = item_rows(args, units, periods, templates, liaisons, today, rng)
        copy_seconds, ids = fill_items(rows, get_flow_ref(DutyFlow))
        unit_ids = [unit.pk for unit in units]
        fill_cooperation(
            (pk, rng.choice([unit for unit in unit_ids if unit != row.unit.pk]))
            for pk, row in zip(ids, rows, strict=True)
            if rng.random() < 0.2
        )
        tasks = fill_tasks(
            get_flow_ref(DutyFlow),
            office_id=users.get(username="bench-office-0").pk,
            inspector_id=users.get(username="bench-inspector-0").pk,
        )
        write_history(list(Rung.objects.filter(active=True)), today)
    items_seconds = time.perf_counter() - started
    draft_bench_circular(today)
    assessed = assess(today.year - 1)
    parts = fill_indicators(args) if args.parts else 0
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"filled in {time.perf_counter() - started:.0f} s (items {items_seconds:.0f} s, of which their COPY"
        f" {copy_seconds:.1f} s): {len(rows):,} items, {tasks:,} viewflow tasks, {args.overdue:,} overdue backlog;"
        f" assessment of {assessed}; {parts:,} school parts"
    )


def draft_bench_circular(today):
    """A draft circular naming every unit with candidates this year, so the circular's own page is measured."""
    from django.contrib.auth import get_user_model

    from notices.reads import circular_candidates
    from notices.services.circulars import draft_circular
    from workflows.models import Period

    period = Period.objects.get(year=today.year)
    draft_circular(
        get_user_model().objects.get(username="bench-office-0"),
        title="压测通报",
        period=period,
        rectification_deadline=today + timedelta(days=30),
        criticised=list(circular_candidates(period, today)),
    )


def assess(year):
    """Last year's assessment, computed and published by the organisation department (its pages need one)."""
    from django.contrib.auth import get_user_model

    from assessments.services import publish, start_run

    assessor = get_user_model().objects.get(username="bench-assessor-0")
    run = start_run(assessor, year)
    publish(assessor, run)
    return year


def fill_indicators(args):
    """``bench/indicators.py``'s schools and figures, and every year's values stored (the dashboard reads them)."""
    from django.db import transaction

    from indicators.services.store import store_year

    spec = importlib.util.spec_from_file_location("bench_indicators", Path(__file__).with_name("indicators.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with transaction.atomic():
        module.empty()
        parts, years = module.build(SimpleNamespace(parts=args.parts, years=10), random.Random(args.seed))
    for year in years:
        store_year(year)
    return len(parts)


def filled(args):
    from workflows.models import DutyItem

    return DutyItem.objects.count() == args.items


# ---------------------------------------------------------------------------------------------------- the pages


def pages(today):
    """(role, username, [(page, url)]) for every role, with the items and runs their pages name."""
    from django.db.models import Q

    from assessments.models import AssessmentRun as Run
    from indicators.models import SchoolProfile
    from notices.models import Circular
    from workflows.models import DutyItem, Period

    def item_of(unit_filter, **extra):
        return (
            DutyItem.objects.filter(unit_filter, **extra).order_by("deadline", "pk").values_list("pk", flat=True)
        ).first()

    own = Q(unit__memberships__user__username="bench-liaison-00-0")
    liaison_item = item_of(own, stage="reporting", deadline__lt=today)
    overdue_item = item_of(Q(), stage="reporting", deadline__lt=today)
    inspecting_item = item_of(Q(), stage="inspecting")
    period = Period.objects.filter(year=today.year - 1).first()
    this_period = Period.objects.filter(year=today.year).values_list("pk", flat=True).first()
    run = Run.objects.order_by("-year").first()
    school = SchoolProfile.objects.order_by("pk").values_list("unit_id", flat=True).first()
    circular = Circular.objects.order_by("-pk").values_list("pk", flat=True).first()

    def board(extra_unit=None):
        boards = [
            ("board", "/board/"),
            ("board-filter", "/board/?light=red"),
            ("board-stage", "/board/?stage=reporting&period="),
            ("board-search", "/board/?q=学校"),
            ("board-deep", "/board/?period=&page=1000000"),
            ("board-last-year", f"/board/?period={period.pk}" if period else "/board/?period="),
        ]
        if extra_unit:
            boards.append(("board-unit", f"/board/?period=&unit={extra_unit}"))
        return boards

    from departments.models import Unit

    some_unit = Unit.objects.filter(items__isnull=False).order_by("pk").values_list("pk", flat=True).first()
    viewflow = [
        ("wf-process-list", "/workflow/duty/flows/"),
        ("wf-queue", "/workflow/duty/queue/"),
        ("wf-inbox", "/workflow/duty/inbox/"),
        ("wf-dashboard", "/workflow/duty/"),
        ("wf-task-list", "/workflow/duty/tasks/"),
        ("wf-archive", "/workflow/duty/archive/"),
        ("wf-process", f"/workflow/duty/{overdue_item}/"),
        ("wf-process-list-deep", "/workflow/duty/flows/?page=last"),
        ("wf-task-list-deep", "/workflow/duty/tasks/?page=last"),
        ("wf-archive-deep", "/workflow/duty/archive/?page=last"),
    ]
    home = [("home", "/"), ("inbox", "/notices/")]
    return [
        ("liaison", "bench-liaison-00-0", [*home, *board(), ("item", f"/plans/items/{liaison_item}/")]),
        ("leader", "bench-leader-00", [*home, *board(), ("item", f"/plans/items/{liaison_item}/")]),
        (
            "office",
            "bench-office-0",
            [
                *home,
                *board(some_unit),
                ("item", f"/plans/items/{overdue_item}/"),
                ("matrix", "/board/matrix/"),
                ("overdue", "/notices/overdue/"),
                ("overdue-candidates", f"/notices/overdue/?candidates=1&unit={some_unit}"),
                ("overdue-deep", "/notices/overdue/?page=1000000"),
                ("circulars", "/notices/circulars/"),
                ("circular-create", f"/notices/circulars/new/?period={this_period}"),
                *([("circular", f"/notices/circulars/{circular}/")] if circular else []),
                ("requests", "/plans/requests/"),
                ("units", "/units/"),
                ("units-deep", "/units/?page=1000000"),  # past the end: Django's get_page gives the last page
                ("units-schools", "/units/?kind=school&q=学校&page=2"),
                *viewflow,
            ],
        ),
        (
            "inspector",
            "bench-inspector-0",
            [
                *home,
                *board(),
                ("inspection", "/board/inspection/"),
                ("item", f"/plans/items/{inspecting_item}/"),
                *viewflow,
            ],
        ),
        (
            "plan-office",
            "bench-plan-office-0",
            [
                *home,
                ("board", "/board/"),
                ("plan-progress", "/plans/progress/"),
                ("indicators", "/indicators/"),
                ("indicators-deep", "/indicators/?page=1000000"),
                ("county-figures", "/indicators/county/"),
                ("shortfalls", "/indicators/shortfalls/"),
                ("shortfalls-deep", "/indicators/shortfalls/?page=1000000"),
                ("reports", "/indicators/reports/"),
                ("ledger", "/indicators/ledger/"),
                *([("school", f"/indicators/schools/{school}/")] if school else []),
            ],
        ),
        (
            "assessor",
            "bench-assessor-0",
            [
                *home,
                ("assessments", "/assessments/"),
                *([("run", f"/assessments/runs/{run.pk}/")] if run else []),
                *([("run-unit", f"/assessments/runs/{run.pk}/units/{some_unit}/")] if run and some_unit else []),
            ],
        ),
    ]


def timed_get(client, url):
    """(status, seconds, queries, the heaviest query's seconds) of one GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        started = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - started
    heaviest = max((float(query["time"]) for query in context.captured_queries), default=0.0)
    return response.status_code, seconds, len(context.captured_queries), heaviest


def measure_pages(only, today):
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects
    over = []
    for role, username, role_pages in pages(today):
        client = Client()
        client.force_login(users.get(username=username))
        for page, url in role_pages:
            name = f"{role}/{page}"
            if only and not any(part in name for part in only.split(",")):
                continue
            timed_get(client, url)  # warm-up
            runs = sorted((timed_get(client, url) for _ in range(RUNS)), key=lambda run: run[1])
            status, seconds, queries, heaviest = runs[len(runs) // 2]
            ms = seconds * 1000
            load = os.getloadavg()[0]
            flags = ("" if status == 200 else f" status={status}") + (" OVER" if ms > BUDGET_MS else "")
            print(
                f"PAGE {name} queries={queries} ms={ms:.0f} main_sql_ms={heaviest * 1000:.1f}"
                f"  (load {load:.2f}; {url}){flags}",
                flush=True,
            )
            if ms > BUDGET_MS:
                over.append(name)
    return over


def main(argv=None):
    args = parse_args(argv)
    setup_django("pages.py")
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()  # the test Client's host, and emails kept in memory
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per force_login otherwise
    refuse_unless_disposable(args.force)
    plan = prepare_schema()
    today = timezone.localdate()
    if args.reuse and filled(args):
        print(f"reusing the {args.items:,} items already there")
        from notices.models import Circular

        if not Circular.objects.exists():  # filled by an earlier version of this script
            draft_bench_circular(today)
    else:
        fill(args, plan, today)
    print(f"today {today}; load average {' '.join(f'{n:.2f}' for n in os.getloadavg())}; medians of {RUNS}")
    over = measure_pages(args.only, today)
    print(f"\n{len(over)} pages over {BUDGET_MS} ms" + (f": {', '.join(over)}" if over else ""))


if __name__ == "__main__":
    main()
