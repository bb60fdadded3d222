"""Deadline day: 200 liaisons on a working morning, and a login storm, against gunicorn with production settings.

    createdb -h 127.0.0.1 -U postgres taskboard_bench_dd
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taskboard_bench_dd REDIS_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python bench/deadline_day.py [--items 200000] [--configs sync:4,gthread:2x4] [--reuse]

It fills the bench database (the escalation bench's COPY helpers: ``--items`` background items, ``--overdue`` of
them long overdue, in ``--units`` units; it EMPTIES the items and outbox first, and refuses a database whose name
lacks "bench" unless given --force), adds ``--liaisons`` liaisons spread over the units, each with an item of
their own due today (created, assigned and signed for through the services, so viewflow's tasks are real), then
for each gunicorn configuration of ``--configs`` (``sync:W`` or ``gthread:WxT``): starts gunicorn on a free port
with the README's production settings (``taskboard.settings``, DEBUG off, a random 50+ character SECRET_KEY,
behind a pretend TLS proxy), warms it up, and runs locust headless (``bench/locust_deadline_day.py``):

(a) the working morning: every liaison's session already open (written to the session store beforehand: no
    password hashing), each opens the board and their item, saves a progress note with a small PDF, sees the
    item, submits it for inspection and sees it again; all started within ``--ramp`` seconds;
(b) the login storm: each liaison opens the login page and signs in (the production password hasher), all
    started within ``--ramp`` seconds.

Then it checks the database row by row (every note saved once with its one file stored once, every item submitted
once) and prints p50/p95/p99 per step and overall, the last liaison's finish, the time inside Django per step
(from ``bench/deadline_day_wsgi.py``'s log), the queries per step, and the load average. gunicorn and locust are
stopped whatever happens (their process groups are killed on the way out).
"""

import argparse
import json
import math
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import prepare_schema, refuse_unless_disposable, setup_django
from deadline_day_procs import (
    free_port,
    on_signal,
    production_env,
    run_locust,
    start_gunicorn,
    stop,
    stop_all,
    wait_ready,
    warm_up,
)

TARGET_P99_MS = 1000
OWASP_PBKDF2_SHA256 = 600_000  # OWASP Password Storage Cheat Sheet (2023 and since): PBKDF2-HMAC-SHA256
SERVER_STEPS = [  # (method, path pattern, step) of the server log
    ("GET", "/board/", "1 board"),
    ("POST", "/report/", "3+5 note/submit (POST)"),
    ("GET", "/plans/items/", "2+4+6 item (GET)"),
    ("GET", "/login/", "1 login page"),
    ("POST", "/login/", "2 log in"),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200_000, help="background items (default 200000)")
    parser.add_argument("--overdue", type=int, default=20_000, help="of them, long overdue and open (default 20000)")
    parser.add_argument("--units", type=int, default=30, help="units (default 30)")
    parser.add_argument("--years", type=int, default=5, help="years the deadlines span (default 5)")
    parser.add_argument("--liaisons", type=int, default=200, help="liaisons, one item due today each (default 200)")
    parser.add_argument("--ramp", type=float, default=60, help="seconds within which every user starts (default 60)")
    parser.add_argument(
        "--configs",
        default="sync:4,gthread:2x4",
        help="gunicorn configurations, sync:W or gthread:WxT (default %(default)s)",
    )
    parser.add_argument("--scenarios", default="morning,login", help="morning, login or both (default both)")
    parser.add_argument("--reuse", action="store_true", help="keep the background items of an earlier run")
    parser.add_argument("--seed", type=int, default=15, help="random seed of the background (default 15)")
    parser.add_argument("--logs", default="", help="folder for the logs and raw timings (default: a temporary one)")
    parser.add_argument("--force", action="store_true", help="run on a database whose name lacks 'bench'")
    args = parser.parse_args(argv)
    args.configs = [parse_config(text) for text in args.configs.split(",") if text.strip()]
    args.scenarios = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    if not set(args.scenarios) <= {"morning", "login"}:
        parser.error("--scenarios takes morning, login or both")
    return args


def parse_config(text):
    kind, _, size = text.strip().partition(":")
    if kind == "sync":
        return {"label": text.strip(), "class": "sync", "workers": int(size), "threads": 1}
    if kind == "gthread":
        workers, _, threads = size.partition("x")
        return {"label": text.strip(), "class": "gthread", "workers": int(workers), "threads": int(threads)}
    raise SystemExit(f"unknown gunicorn configuration {text!r}: use sync:W or gthread:WxT")


# --- figures -----------------------------------------------------------------------------------------------------


def percentile(values, p):
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else float("nan")


def spread(values):
    return f"p50 {percentile(values, 50):7.0f}  p95 {percentile(values, 95):7.0f}  p99 {percentile(values, 99):7.0f} ms"


def load_text():
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def report_client(result, started):
    """Per step and overall from locust's raw timings; returns (overall p99, last finish in seconds)."""
    by_step = defaultdict(list)
    failures = defaultdict(int)
    for name, _start, milliseconds, _status, error in result["requests"]:
        by_step[name].append(milliseconds)
        failures[name] += error is not None
    everything = [ms for values in by_step.values() for ms in values]
    for name in sorted(by_step):
        print(f"  {name:<24} n={len(by_step[name]):4d} failed={failures[name]:3d}  {spread(by_step[name])}")
    print(
        f"  {'overall (every request)':<24} n={len(everything):4d} failed={sum(failures.values()):3d}"
        f"  {spread(everything)}"
    )
    users = result["users"]
    done = [user for user in users if user["ok"]]
    sequences = [1000 * (user["end"] - user["start"]) for user in done]
    if sequences:
        print(f"  {'whole sequence per user':<24} n={len(sequences):4d}               {spread(sequences)}")
    first_start = min((user["start"] for user in users), default=started)
    last_start = max((user["start"] for user in users), default=started)
    last_end = max((user["end"] or 0 for user in users), default=started)
    print(
        f"  users: {len(done)} of {len(users)} finished their sequence; the last started"
        f" {last_start - first_start:.1f} s and the last finished {last_end - first_start:.1f} s"
        " after the first started"
    )
    return percentile(everything, 99), last_end - first_start, len(done)


def report_server(server_log, since_line):
    """Time inside Django and queries per step, from the WSGI wrapper's log (lines after ``since_line``)."""
    lines = Path(server_log).read_text(encoding="utf-8").splitlines()[since_line:] if Path(server_log).exists() else []
    steps = defaultdict(list)
    for line in lines:
        _pid, method, path, status, milliseconds, queries, sql = line.split("\t")
        for step_method, fragment, step in SERVER_STEPS:
            if method == step_method and fragment in path:
                steps[step].append((float(milliseconds), int(queries), float(sql), status))
                break
    for step, rows in steps.items():
        times = [row[0] for row in rows]
        queries = sorted(row[1] for row in rows)
        sql = [row[2] for row in rows]
        print(
            f"  in Django: {step:<22} n={len(rows):4d}  {spread(times)}; queries median {queries[len(queries) // 2]}"
            f" (max {queries[-1]}), SQL median {percentile(sql, 50):.0f} ms"
        )
    return len(lines) + since_line


# --- the run -----------------------------------------------------------------------------------------------------


def hasher_figures():
    from deadline_day_data import production_hasher

    hasher = production_hasher()
    times = []
    for _ in range(3):
        started = time.perf_counter()
        hasher.encode("bench-password", hasher.salt())
        times.append(time.perf_counter() - started)
    return hasher, sorted(times)[1]


def main(argv=None):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    secret_key = secrets.token_urlsafe(50)  # 67 characters; the settings refuse fewer than 50
    os.environ["SECRET_KEY"] = secret_key  # settings_test keeps it: the sessions written here are gunicorn's too
    setup_django("deadline_day.py")
    try:
        run(args, secret_key)
    finally:
        stop_all()


def run(args, secret_key):
    import deadline_day_data as data
    from django.db import connection, connections
    from django.utils import timezone

    from workflows.models import DutyItem

    refuse_unless_disposable(args.force)
    plan = prepare_schema()
    today = timezone.localdate()
    logs = Path(args.logs or tempfile.mkdtemp(prefix="deadline-day-"))
    logs.mkdir(parents=True, exist_ok=True)
    media_root, var_dir = logs / "media", logs / "var"
    shutil.rmtree(media_root, ignore_errors=True)
    var_dir.mkdir(exist_ok=True)
    print(f"logs and raw timings in {logs}; {load_text()}")

    background = DutyItem.objects.exclude(title__contains="截止日材料报送").count()
    if args.reuse and background:
        from fill import make_people, make_periods

        units, periods = make_people(args.units), make_periods(plan, args.years, today)
        print(f"reusing {background:,} background items")
    else:
        units, periods, seconds = data.fill_background(
            args.items, args.overdue, args.units, args.years, args.seed, plan, today
        )
        print(
            f"filled {args.items:,} background items ({args.overdue:,} long overdue) in {len(units)} units"
            f" in {seconds:.1f} s"
        )
    password = data.new_password()
    liaisons = data.make_liaisons(args.liaisons, units, password)
    hasher, hash_seconds = hasher_figures()
    print(
        f"password hasher: {hasher.algorithm} ({type(hasher).__name__}), {hasher.iterations:,} iterations"
        f" (Django's default; OWASP asks at least {OWASP_PBKDF2_SHA256:,} for PBKDF2-HMAC-SHA256): one hash"
        f" {1000 * hash_seconds:.0f} ms here"
    )
    warm_session = data.open_sessions([data.warm_up_user()])
    warm_cookie = f"sessionid={next(iter(warm_session.values()))['sessionid']}"
    pdf_hex = data.SMALL_PDF.hex()
    summary = []
    for config in args.configs:
        label = config["label"]
        print(
            f"\n=== gunicorn {label}: {config['workers']} {config['class']} workers x {config['threads']} threads ==="
        )
        items = data.make_morning_items(
            liaisons, periods[today.year], f"{label} {datetime.now().astimezone():%H:%M:%S}", today
        )
        sessions = data.open_sessions(liaisons)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE workflows_dutyitem, viewflow_process, viewflow_task, django_session")
        plan_path = logs / f"plan-{config['class']}-{config['workers']}x{config['threads']}.json"
        plan_path.write_text(
            json.dumps(
                {
                    "pdf_hex": pdf_hex,
                    "morning": data.morning_plan(liaisons, items, sessions),
                    "login": data.login_plan(liaisons, password),
                }
            ),
            encoding="utf-8",
        )
        connections.close_all()
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        tag = f"{config['class']}-{config['workers']}x{config['threads']}"
        server_log = logs / f"server-{tag}.tsv"
        env = production_env(secret_key, media_root, var_dir, server_log)
        gunicorn = start_gunicorn(config, port, env, logs / f"gunicorn-{tag}.log")
        try:
            wait_ready(gunicorn, base_url)
            warm_up(base_url, config, warm_cookie)
            seen = len(server_log.read_text(encoding="utf-8").splitlines()) if server_log.exists() else 0
            for scenario in args.scenarios:
                user_class = "MorningLiaison" if scenario == "morning" else "LoginStorm"
                print(f"\n{scenario}: {args.liaisons} users started within {args.ramp:.0f} s; before: {load_text()}")
                started, since = time.time(), timezone.now()
                result = run_locust(
                    user_class,
                    plan_path,
                    logs / f"{scenario}-{tag}.json",
                    args.liaisons,
                    args.ramp,
                    base_url,
                    logs / f"locust-{scenario}-{tag}.log",
                )
                print(f"  after: {load_text()}")
                p99, last, done = report_client(result, started)
                seen = report_server(server_log, seen)
                row = {"config": label, "scenario": scenario, "p99": p99, "last": last, "done": done}
                if scenario == "morning":
                    problems, tally = data.verify_morning(items, media_root)
                    print("  database: " + ", ".join(f"{what} {n}" for what, n in sorted(tally.items())))
                    for problem in problems[:20]:
                        print(f"  !! {problem}")
                    print(
                        f"  lost or duplicated writes: {len(problems)}; p99 {p99:.0f} ms, target {TARGET_P99_MS} ms:"
                        f" {'met' if p99 < TARGET_P99_MS else 'MISSED'}"
                    )
                    row["problems"] = len(problems)
                else:
                    logins = data.count_logins([user.username for user in liaisons], since)
                    throughput = logins / last if last else 0
                    print(f"  logins recorded (last_login): {logins}; throughput {throughput:.2f} logins/s")
                    row["throughput"] = throughput
                connections.close_all()
                row["load"] = os.getloadavg()[0]
                summary.append(row)
        finally:
            stop(gunicorn)
    print("\nsummary:")
    for row in summary:
        extra = (
            f"lost/duplicated {row['problems']}"
            if row["scenario"] == "morning"
            else f"{row['throughput']:.2f} logins/s"
        )
        print(
            f"  {row['config']:<12} {row['scenario']:<8} p99 {row['p99']:7.0f} ms,"
            f" last finished at {row['last']:6.1f} s, {row['done']} users done, {extra}; load (1 min) {row['load']:.2f}"
        )


if __name__ == "__main__":
    main()
