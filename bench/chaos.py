"""Chaos run: 10,000 items through their ladders over simulated days while workers, Redis and PostgreSQL fail.

    .venv/bin/python bench/chaos.py [--minutes 10] [--items 10000] [--kill-every 6] [--pg-restarts 3]
        [--redis-restarts 3] [--pg-port 55432] [--redis-port 56379] [--web-port 58000] [--keep-logs DIR]

Needs nothing running: the script starts its own PostgreSQL (initdb in a temporary folder, as the postgres user
when run as root) and Redis on spare ports, migrates, imports the plan, fills the items (bench/escalation.py's
helpers), then starts two Celery workers (every queue the settings route to), beat and a web process (gunicorn,
or runserver without it), all with the production settings (DEBUG off). For ``--minutes`` it moves the simulated
date on one day at a time — every item's deadline and every rung notice's deadline one day earlier, in one locked
transaction, and the items whose unit "submits" that day moved to inspection — and has the real workers sweep
each day (a ``notices.sweep`` task sent after the shift commits, sent again until one succeeds); beat and the
workers dispatch. Meanwhile a worker is SIGKILLed every ``--kill-every`` seconds and started again, Redis and
PostgreSQL are restarted a few times, and the web is probed every second with a liaison's board.

At the end (after a final drain) it checks: every (item, rung, deadline, occurrence) the ladder's rules call for
over the simulated days noticed exactly once, no other; every notice's deliveries planned and sent, each in-app
one exactly once in the inbox; the web's failures only while PostgreSQL was down. It prints a summary and exits 1
if an invariant fails. Every process and the temporary folder are removed whatever happens (logs are copied to
``--keep-logs``, or to a folder under /tmp when an invariant fails).
"""

import argparse
import contextlib
import os
import signal
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chaos_faults import Faults, Probe, interrupted_tasks
from chaos_ladder import expected_notices, ladder_rungs, verify
from chaos_services import BASE_DIR, Services, wait_port


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--minutes", type=float, default=10, help="how long the faults go on (default 10)")
    add("--items", type=int, default=10_000, help="items (default 10000)")
    add("--units", type=int, default=30, help="units owning them (default 30)")
    add(
        "--spread", type=int, default=30, help="deadlines fall from 8 days before day 0 to this many after (default 30)"
    )
    add("--day-seconds", type=float, default=3, help="shortest simulated day, in seconds (default 3)")
    add("--kill-every", type=float, default=6, help="seconds between kills, and least time a worker is up (default 6)")
    add("--pg-restarts", type=int, default=3, help="PostgreSQL restarts (default 3)")
    add("--pg-down", type=float, default=5, help="seconds PostgreSQL stays down each time (default 5)")
    add("--redis-restarts", type=int, default=3, help="Redis restarts (default 3)")
    add("--redis-down", type=float, default=3, help="seconds Redis stays down each time (default 3)")
    add("--sweep-timeout", type=float, default=20, help="seconds to wait for a sweep before sending another")
    add("--drain-minutes", type=float, default=5, help="longest wait for the outbox to empty at the end")
    add("--seed", type=int, default=15)
    add("--pg-port", type=int, default=55432)
    add("--redis-port", type=int, default=56379)
    add("--web-port", type=int, default=58000)
    add("--keep-logs", help="copy the processes' logs to this folder")
    return parser.parse_args(argv)


def setup_django(services):
    os.environ.update(services.env())
    sys.path[:0] = [str(services.folder), str(BASE_DIR)]
    import django

    django.setup()
    import logging

    logging.getLogger("celery.backends.redis").setLevel(logging.ERROR)  # "Connection to Redis lost": expected here


def db_retry(function, *args):
    """Call ``function`` until PostgreSQL answers (it is restarted under the script's feet)."""
    from django.db import InterfaceError, OperationalError, connection

    for _ in range(600):
        try:
            return function(*args)
        except (OperationalError, InterfaceError):
            with contextlib.suppress(Exception):
                connection.close()
            time.sleep(1)
    raise RuntimeError("PostgreSQL did not come back within 10 minutes")


def fill(args, plan, today):
    """The items, their deadlines spread around day 0, each with the overdue day its unit submits it on.
    Returns {item id: (deadline offset from day 0, overdue days when submitted)}."""
    import random

    from django.db import connection, transaction
    from fill import fill_items, make_people, make_periods
    from viewflow.workflow.fields import get_flow_ref

    from workflows.flows import DutyFlow
    from workflows.models import DutyItem

    rng = random.Random(args.seed)
    with transaction.atomic():
        units = make_people(args.units)
        periods = make_periods(plan, 3, today)
        rows, plans = [], []
        for number in range(args.items):
            # At most 8 days overdue on day 0, so the sweeps of one day write the same whether one or several run.
            offset, stop = rng.randint(-8, args.spread), rng.randint(-3, 15)
            deadline = today + timedelta(days=offset)
            stage = "reporting" if -offset < stop else "inspecting"  # submitted before day 0: its ladder is over
            rows.append((units[number % len(units)], periods.get(deadline.year), deadline, stage))
            plans.append((offset, stop))
        fill_items(rows, get_flow_ref(DutyFlow))
        ids = list(DutyItem.objects.order_by("pk").values_list("pk", flat=True))
        items = dict(zip(ids, plans, strict=True))
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE chaos_stop (item_id integer PRIMARY KEY, stop integer NOT NULL)")
            cursor.execute("CREATE TABLE chaos_day (day integer NOT NULL)")
            cursor.execute("INSERT INTO chaos_day VALUES (0)")
            with cursor.copy("COPY chaos_stop FROM STDIN") as copy:
                for pk, (_, stop) in items.items():
                    copy.write_row((pk, stop))
        cursor = connection.cursor()
        cursor.execute("ANALYZE")
    return items, units


def shift(day, today):
    """Day ``day`` begins: deadlines one day earlier (items and notices alike), the day's submissions. Idempotent."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        # Shorter than deadlock_timeout (1 s): when a worker's transaction holds one table and waits for the other,
        # the shift gives way (and is tried again) before PostgreSQL would abort the worker's transaction instead.
        cursor.execute("SET LOCAL lock_timeout = '500ms'")
        cursor.execute("UPDATE chaos_day SET day = %s WHERE day = %s", [day, day - 1])
        if cursor.rowcount == 0:
            return  # the commit went through before the connection was lost
        cursor.execute("LOCK TABLE workflows_dutyitem, notices_notice IN ACCESS EXCLUSIVE MODE")
        cursor.execute("UPDATE workflows_dutyitem SET deadline = deadline - 1")
        cursor.execute("UPDATE notices_notice SET deadline = deadline - 1 WHERE rung_id IS NOT NULL")
        cursor.execute(
            "UPDATE workflows_dutyitem d SET stage = 'inspecting', submitted_at = now() FROM chaos_stop s"
            " WHERE s.item_id = d.process_ptr_id AND d.stage = 'reporting' AND %s::date - d.deadline >= s.stop",
            [today],
        )


def sweep(app, args, stats, faults=None):
    """Send ``notices.sweep`` until one succeeds: a worker killed while sweeping, or a restarted Redis, loses the
    task (it waits unacknowledged for the visibility timeout), so another is sent after each fault, or after
    ``--sweep-timeout`` seconds; the first of them to succeed ends the day (the others run too, harmlessly)."""
    sent = []  # (monotonic time sent, AsyncResult)
    resend, faults_seen = True, faults.count() if faults else 0
    while True:
        if faults and faults.count() != faults_seen:
            faults_seen, resend = faults.count(), True
        if resend or time.monotonic() - sent[-1][0] > args.sweep_timeout:
            try:
                sent.append((time.monotonic(), app.send_task("notices.sweep")))
                stats["sweeps sent"] += 1
                resend = False
            except Exception as error:
                stats[f"sweeps not sent ({type(error).__name__})"] += 1
                time.sleep(1)
                continue
        for began, result in sent:
            state = None
            with contextlib.suppress(Exception):  # Redis, the result backend, may be down
                state = result.state
            if state == "SUCCESS":
                stats["longest sweep wait s"] = max(stats["longest sweep wait s"], round(time.monotonic() - began, 1))
                return
            if state == "FAILURE" and result is sent[-1][1]:  # PostgreSQL went away under it: send another now
                stats["sweeps failed"] += 1
                resend = True
        time.sleep(0.2)


def celery_queues(app):
    """Every queue the settings route a task to, and the default one."""
    queues = {app.conf.task_default_queue}

    def collect(routes):
        if isinstance(routes, dict):
            for route in routes.values():
                queue = route.get("queue") if isinstance(route, dict) else route
                if isinstance(queue, str):
                    queues.add(queue)
                elif getattr(queue, "name", None):
                    queues.add(queue.name)
        elif isinstance(routes, list | tuple):
            for part in routes:
                collect(part)

    collect(app.conf.task_routes or {})
    for queue in app.conf.task_queues or ():
        queues.add(getattr(queue, "name", str(queue)))
    return sorted(queues)


def probe_cookie(units):
    from django.conf import settings
    from django.test import Client

    from departments.models import Membership

    liaison = Membership.objects.filter(unit=units[0], role=Membership.Role.LIAISON).first().user
    client = Client()
    client.force_login(liaison)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def outbox():
    from notices.models import Delivery, Notice

    waiting = Delivery.objects.exclude(status__in=[Delivery.Status.SENT, Delivery.Status.FAILED]).count()
    return waiting + Notice.objects.filter(recipients_planned=False).count()


def drain(app, args):
    """Wait for the workers to send everything (nudging them); the seconds it took, or None if they did not."""
    started = time.monotonic()
    last_nudge = 0
    while time.monotonic() - started < args.drain_minutes * 60:
        if db_retry(outbox) == 0:
            return time.monotonic() - started
        if time.monotonic() - last_nudge > 5:
            last_nudge = time.monotonic()
            with contextlib.suppress(Exception):
                app.send_task("notices.dispatch")
        time.sleep(1)
    return None


def main(argv=None):
    args = parse_args(argv)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda number, frame: sys.exit(128 + number))
    services = Services(args.pg_port, args.redis_port, args.web_port)
    failed = True
    try:
        failed = run(args, services)
    finally:
        logs = args.keep_logs or (
            failed and Path(tempfile.gettempdir()) / f"taskboard-chaos-logs-{time.strftime('%Y%m%d-%H%M%S')}"
        )
        if logs:
            services.keep_logs(logs)
            print(f"logs copied to {logs}")
        services.close()
    # Not sys.exit: the Celery results still referenced would try the stopped Redis for 20 s in their finalisers.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(1 if failed else 0)


def run(args, services):
    from collections import Counter

    print(f"temporary folder {services.folder}; starting PostgreSQL on {args.pg_port}, Redis on {args.redis_port}")
    services.init_postgres()
    services.start_redis()
    setup_django(services)
    from common import prepare_schema
    from django.utils import timezone

    from taskboard.celery import app

    plan = prepare_schema()
    today = timezone.localdate()
    started_fill = time.monotonic()
    items, units = fill(args, plan, today)
    rungs = ladder_rungs()
    print(
        f"filled {len(items):,} items in {len(units)} units in {time.monotonic() - started_fill:.1f} s;"
        f" day 0 is {today}"
    )
    queues = celery_queues(app)
    services.add_celery(queues)
    services.add_web()
    for name in ("worker-a", "worker-b", "beat", "web"):
        services.processes[name].start()
    if not wait_port(args.web_port, 60):
        raise RuntimeError("the web process did not start (see web.log)")
    probe = Probe(args.web_port, "/board/", probe_cookie(units))
    for _ in range(60):  # the web's first answers (its workers import everything) before the clock starts
        if probe.once()[0]:
            break
        time.sleep(1)
    print(f"workers on queues {', '.join(queues)}; web on {args.web_port}; load {os.getloadavg()[0]:.2f}")

    stats, day_seconds = Counter(), []
    began = time.monotonic()
    sweep(app, args, Counter())  # day 0, the one with most to write, swept before the faults begin
    print(f"day 0 swept in {time.monotonic() - began:.1f} s; faults begin")
    started = time.monotonic()
    faults = Faults(services, args, started)
    probe.start()
    faults.start()
    day = 1
    try:
        while True:
            began = time.monotonic()
            db_retry(shift, day, today)
            sweep(app, args, stats, faults)
            day_seconds.append(time.monotonic() - began)
            if faults.error:
                raise faults.error
            if time.monotonic() - started >= args.minutes * 60:
                break
            time.sleep(max(0.0, args.day_seconds - (time.monotonic() - began)))
            day += 1
            if day % 10 == 0:
                print(
                    f"  day {day}: {time.monotonic() - started:.0f} s, {faults.kills} kills,"
                    f" load {os.getloadavg()[0]:.2f}"
                )
    finally:
        faults.stop.set()
        faults.join(120)
    days = day + 1
    chaos_seconds = time.monotonic() - started
    faults.supervise()
    drained = drain(app, args)
    probe.stop.set()
    probe.join(15)
    if timezone.localdate() != today:
        print("!! the run crossed midnight in Asia/Shanghai: the real date moved the ladder too; run it again")
        return True

    verdict = db_retry(verify, rungs, items, days)
    probes, inside, outside, p50, p99 = probe.summary(faults.pg_windows)
    downtime = sum(end - began for began, end, _ in faults.pg_windows)
    problems = verdict.failures()
    if drained is None:
        problems.append(f"the outbox was not empty after {args.drain_minutes} minutes of draining")
    if outside:
        shown = ", ".join(f"{b - started:.1f}–{e - started:.1f} s: {detail}" for b, e, _, detail in outside[:5])
        windows = ", ".join(f"{b - started:.1f}–{e - started:.1f} s" for b, e, _ in faults.pg_windows)
        problems.append(f"{len(outside)} web probe failures while PostgreSQL was up ({shown}; it was down {windows})")
    if expected_notices(rungs, items, days) != expected_notices(rungs, items, days, sweeps_per_day=2):
        problems.append("the model's premise failed: two sweeps a day would expect other notices than one")

    loads = faults.loads or [os.getloadavg()[0]]
    print(f"\nchaos: {chaos_seconds:.0f} s, {days} simulated days ({today} … +{days - 1}); load average (1 min)"
          f" median {median(loads):.2f}, max {max(loads):.2f}")  # fmt: skip
    print(f"  faults: {faults.kills} worker SIGKILLs, {faults.redis_restarts} Redis restarts, {len(faults.pg_windows)}"
          f" PostgreSQL restarts ({', '.join(mode for *_, mode in faults.pg_windows)}; {downtime:.1f} s down in all);"
          f" restarted after dying unasked: {dict(faults.unexpected) or 'none'}")  # fmt: skip
    killed = interrupted_tasks([services.processes[name].log for name in ("worker-a", "worker-b")])
    print(f"  tasks killed or lost under a worker (received, never finished): {dict(killed) or 'none'}")
    print(f"  days: median {median(day_seconds):.1f} s, max {max(day_seconds):.1f} s; {dict(stats)}")
    print(f"  notices: {verdict.notices:,} written, {verdict.expected:,} expected; missing {len(verdict.missing)},"
          f" not called for {len(verdict.extra)}, duplicated {len(verdict.duplicates)}")  # fmt: skip
    print(f"  deliveries: {dict(verdict.deliveries)}; drained in {drained:.0f} s" if drained is not None
          else f"  deliveries: {dict(verdict.deliveries)}; NOT drained")  # fmt: skip
    print(f"  in-app: {verdict.in_app_missing} sent without a notification, {verdict.in_app_duplicated} twice")
    print(f"  web: {probes} probes, {len(inside)} failed while PostgreSQL was down, {len(outside)} while it was up;"
          f" answered in {p50:.0f} ms median, {p99:.0f} ms p99")  # fmt: skip
    if problems:
        print("\nFAILED:\n  " + "\n  ".join(problems))
        return True
    print("\nOK: every invariant held")
    return False


if __name__ == "__main__":
    main()
