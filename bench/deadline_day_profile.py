"""Where one liaison's deadline-day sequence spends its time: each step once, alone, in this process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taskboard_bench_dd .venv/bin/python bench/deadline_day_profile.py

Run it after ``bench/deadline_day.py`` on the same database (it uses that run's background items and its first
liaison, and adds one item of its own due today). Django's test client, ``taskboard.settings_test`` (the same
queries as production; the password hasher plays no part: the client is signed in with ``force_login``). For each
step it prints the median of ``--repeat`` wall-clock times (the writes once each), the queries, the seconds in SQL
and the heaviest queries; then a cProfile of one board request and the plan of its heaviest query.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import setup_django


def measure(call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        started = time.perf_counter()
        response = call()
        seconds = time.perf_counter() - started
    queries = [(float(query["time"]), query["sql"]) for query in context.captured_queries]
    return response, seconds, queries


def show(name, runs, expect):
    seconds = statistics.median(run[1] for run in runs)
    response, _, queries = runs[-1]
    if response.status_code != expect:
        print(f"  !! {name}: status {response.status_code}, expected {expect}")
    sql = sum(query[0] for query in queries)
    print(
        f"{name:<22} {1000 * seconds:7.0f} ms (median of {len(runs)}), {len(queries)} queries,"
        f" {1000 * sql:.0f} ms in SQL"
    )
    for query_seconds, text in sorted(queries, reverse=True)[:3]:
        print(f"    {1000 * query_seconds:6.0f} ms  {' '.join(text.split())[:150]}")
    return queries


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each page (default 5); writes run once")
    args = parser.parse_args(argv)
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the test client's host (DEBUG is off)
    setup_django("deadline_day_profile.py")
    import deadline_day_data as data
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from workflows.models import DutyItem
    from workflows.periods import current_period

    today = timezone.localdate()
    user = get_user_model().objects.filter(username__startswith=data.LIAISON_PREFIX).order_by("username").first()
    if user is None:
        sys.exit("no deadline-day liaison here: run bench/deadline_day.py on this database first")
    item_pk = data.make_morning_items([user], current_period(today), "profile", today)[user.pk]
    client = Client()
    client.force_login(user)
    item = f"/plans/items/{item_pk}/"
    visible = DutyItem.objects.for_user(user).count()
    print(f"{user.username}, item {item_pk}; {visible:,} items visible to them of {DutyItem.objects.count():,}")
    client.get("/board/"), client.get(item)  # warm: templates, catalogues, URL resolvers

    board = show("1 board", [measure(lambda: client.get("/board/")) for _ in range(args.repeat)], 200)
    show("2 item", [measure(lambda: client.get(item)) for _ in range(args.repeat)], 200)
    note = {"text": "已完成材料收集。", "progress": "80", "files": SimpleUploadedFile("佐证.pdf", data.SMALL_PDF)}
    show("3 save note with file", [measure(lambda: client.post(item + "report/", note))], 302)
    show("4 item after note", [measure(lambda: client.get(item)) for _ in range(args.repeat)], 200)
    submit = {"text": "已全部完成。", "progress": "100", "submit": "1"}
    show("5 submit", [measure(lambda: client.post(item + "report/", submit))], 302)

    profile = cProfile.Profile()
    profile.enable()
    client.get("/board/")
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(25)
    print("\ncProfile of one board request (cumulative, top 25):")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])

    heaviest = max(board, key=lambda query: query[0])[1]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + heaviest)
        plan = [row[0] for row in cursor.fetchall()]
    print("\nthe board's heaviest query, EXPLAIN ANALYZE (first 30 lines):")
    print("\n".join(plan[:30]))


if __name__ == "__main__":
    main()
