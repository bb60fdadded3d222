"""Benchmark of the indicators on PostgreSQL: values, pass marks and difference coefficients of 5,000 school parts.

    createdb -h 127.0.0.1 -U postgres taskboard_bench_ind
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taskboard_bench_ind .venv/bin/python bench/indicators.py
    … [--parts 5000] [--years 10] [--seed 2028] [--force]

The database must exist and be the benchmark's own (its name must contain "bench" unless --force): the script
migrates it and imports the shipped plan when they are missing, then EMPTIES the indicators tables and the schools
it made on a previous run. It builds schools until they have ``--parts`` parts (70 % primary schools, 15 % junior,
10 % nine-year schools with two parts, 5 % teaching points), and ``--years`` years of random but plausible figures
for every part, written with bulk_create; then ANALYZE.

It measures (time.perf_counter, CaptureQueriesContext; medians of ``--runs``, each with the load average):
``compute_year`` for one year (the frame query, the thresholds, the rule; pandas for values, the 6-of-7 standard,
school checks, 14 coefficients); every year, one by one and with ``compute_years``; every year stored into an
empty table; ``store_year`` with nothing changed; one figure changed and its year refreshed; then the indicator
pages through the test client, one ``PAGE plan_office/indicators-<page> queries= ms= main_sql_ms= load=`` line
each (``--keep`` reuses the last run's schools and figures).
"""

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import prepare_schema, refuse_unless_disposable, setup_django

PREFIX = "压测学校"
MIX = [("primary", 0.70), ("junior", 0.15), ("nine_year", 0.10), ("teaching_point", 0.05)]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", type=int, default=5_000, help="school parts (default 5000)")
    parser.add_argument("--years", type=int, default=10, help="years of figures (default 10)")
    parser.add_argument("--seed", type=int, default=2028, help="random seed (default 2028)")
    parser.add_argument("--keep", action="store_true", help="keep the schools and figures of the last run")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure, the median printed (default 5)")
    parser.add_argument("--force", action="store_true", help="run on a database whose name lacks 'bench'")
    return parser.parse_args(argv)


def empty():
    from django.db import connection

    from departments.models import Unit

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE indicators_figureedit, indicators_indicatorvalue, indicators_coefficientvalue,"
            " indicators_schoolyearfigures, indicators_schoolpart, indicators_schoolprofile RESTART IDENTITY CASCADE"
        )
    Unit.objects.filter(name__startswith=PREFIX, kind=Unit.Kind.SCHOOL).delete()  # the schools, then their township
    Unit.objects.filter(name__startswith=PREFIX).delete()


def build(args, rng):
    """Schools, parts and figures; returns (parts, figures rows, seconds)."""
    from departments.models import Unit
    from indicators.models import STAGES_OF_TYPE, SchoolPart, SchoolProfile, SchoolYearFigures

    township, _created = Unit.objects.get_or_create(name=f"{PREFIX}所在镇", kind=Unit.Kind.TOWNSHIP)
    types, count = [], 0
    while count < args.parts:
        school_type = rng.choices([kind for kind, _ in MIX], [share for _, share in MIX])[0]
        if count + len(STAGES_OF_TYPE[school_type]) > args.parts:
            school_type = "primary"
        types.append(school_type)
        count += len(STAGES_OF_TYPE[school_type])
    units = Unit.objects.bulk_create(
        [Unit(name=f"{PREFIX}{index:05d}", kind=Unit.Kind.SCHOOL, parent=township) for index in range(len(types))]
    )
    profiles = SchoolProfile.objects.bulk_create(
        [SchoolProfile(unit=unit, township=township, school_type=kind) for unit, kind in zip(units, types, strict=True)]
    )
    parts = SchoolPart.objects.bulk_create(
        [
            SchoolPart(school=profile, stage=stage)
            for profile in profiles
            for stage in STAGES_OF_TYPE[profile.school_type]
        ]
    )
    first_year = 2028 - args.years + 1
    rows = [figures(part, year, rng) for year in range(first_year, 2029) for part in parts]
    SchoolYearFigures.objects.bulk_create(rows, batch_size=5000)
    return parts, list(range(first_year, 2029))


def figures(part, year, rng):
    from indicators.models import SchoolYearFigures

    students = rng.randint(20, 60) if rng.random() < 0.05 else rng.randint(150, 1800)
    classes = max(1, students // rng.randint(35, 48))

    def per(scale, spread=0.35):
        return Decimal(students * scale * rng.uniform(1 - spread, 1 + spread)).quantize(Decimal("0.01"))

    def rooms():
        return Decimal(max(0, classes // 12 + rng.randint(-1, 1)))

    return SchoolYearFigures(
        part=part, year=year, students=students, classes=classes, largest_class=rng.randint(30, 56),
        full_time_teachers=per(0.07), teachers_above_degree=per(0.05), key_teachers=per(0.012),
        pe_teachers=per(0.005), music_teachers=per(0.003), art_teachers=per(0.003),
        teaching_room_area=per(5.5), sports_area=per(9), equipment_value=per(2400), multimedia_rooms=per(0.025),
        music_rooms=rooms(), music_room_min_area=Decimal(rng.randint(80, 110)),
        art_rooms=rooms(), art_room_min_area=Decimal(rng.randint(80, 110)),
        trained_teachers=per(0.065), certified_teachers=per(0.069), rotation_eligible_teachers=per(0.04),
        rotated_teachers=per(0.005), rotated_key_teachers=per(0.001),
    )  # fmt: skip


def measure(func):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        started = time.perf_counter()
        value = func()
        seconds = time.perf_counter() - started
    sql = sum(float(query["time"]) for query in context.captured_queries)
    return value, seconds, sql, len(context.captured_queries)


def median_of(runs, func):
    """(median seconds, the run's queries, its heaviest query in ms, load average) over ``runs`` runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            func()
            timings.append(time.perf_counter() - started)
        heaviest = max((float(query["time"]) for query in context.captured_queries), default=0.0)
    return statistics.median(timings), len(context.captured_queries), heaviest * 1000, os.getloadavg()[0]


def load():
    return f"load {os.getloadavg()[0]:.2f}"


def pages(years, runs):
    """PAGE lines for the indicator pages, as bench/pages.py prints them (server time through the test client)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from departments.services import grant_role
    from indicators.models import SchoolProfile, SchoolYearFigures

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    user, _ = get_user_model().objects.get_or_create(username="bench-plan-office-ind")
    grant_role(user, "plan_office")
    client = Client()
    client.force_login(user)
    last = years[-1]
    school = SchoolProfile.objects.filter(unit__name__startswith=PREFIX).order_by("pk").first()
    figures = SchoolYearFigures.objects.filter(part__school=school, year=last).order_by("pk").first()
    urls = {
        "dashboard-primary": f"/indicators/?year={last}&stage=primary",
        "dashboard-junior": f"/indicators/?year={last}&stage=junior",
        "cv-trend-chart": f"/indicators/charts/cv-trend.png?year={last}&stage=primary",
        "school": f"/indicators/schools/{school.pk}/?year={last}",
        "county": f"/indicators/county/?year={last}",
        "shortfalls": f"/indicators/shortfalls/?year={last}",
        "ledger": f"/indicators/ledger/?year={last}",
    }
    for name, url in urls.items():
        client.get(url)  # warm-up
        seconds, queries, heaviest, load_now = median_of(runs, lambda url=url: _ok(client.get(url), url))
        print(
            f"PAGE plan_office/indicators-{name} queries={queries} ms={seconds * 1000:.0f}"
            f" main_sql_ms={heaviest:.1f} load={load_now:.2f}"
        )
    values = iter(range(runs + 1))

    def edit():
        data = {"figures": figures.pk, "field": "key_teachers", "value": f"{5 + next(values)}", "reason": "压测"}
        _ok(client.post(f"/indicators/schools/{school.pk}/edit/", data), "edit", status=302)

    seconds, queries, heaviest, load_now = median_of(runs, edit)
    print(
        f"PAGE plan_office/indicators-edit-figure(POST) queries={queries} ms={seconds * 1000:.0f}"
        f" main_sql_ms={heaviest:.1f} load={load_now:.2f}"
    )


def _ok(response, url, status=200):
    if response.status_code != status:
        sys.exit(f"{url}: HTTP {response.status_code}")
    return response


def main(argv=None):
    args = parse_args(argv)
    setup_django("indicators.py")
    from django.db import connection, transaction

    from indicators.computation import compute_year, compute_years, load_thresholds
    from indicators.computation.frame import years_with_figures
    from indicators.models import CoefficientValue, IndicatorValue, SchoolPart, SchoolYearFigures
    from indicators.services.store import refresh_year, store_year

    refuse_unless_disposable(args.force)
    prepare_schema()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    if args.keep:
        parts = list(SchoolPart.objects.filter(school__unit__name__startswith=PREFIX))
        years = years_with_figures()
    else:
        with transaction.atomic():
            empty()
            parts, years = build(args, rng)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(
        f"filled in {time.perf_counter() - started:.1f} s: {len(parts):,} school parts × {len(years)} years"
        f" = {len(parts) * len(years):,} rows of figures ({years[0]}–{years[-1]}); {load()}"
    )
    thresholds = load_thresholds()
    last = years[-1]
    result, seconds, sql, queries = measure(lambda: compute_year(last))
    print(
        f"\none year ({last}): {seconds:.3f} s ({sql:.3f} s in SQL), {queries} queries;"
        f" {len(result.values):,} indicator values, {int(result.parts['passes'].sum()):,} of"
        f" {len(result.parts):,} parts pass the resource standard, {len(result.coefficients)} coefficients; {load()}"
    )
    for row in result.coefficients.itertuples(index=False):
        print(f"  {row.stage:8} {row.code:32} CV {row.coefficient:.4f} over {row.parts:,} parts")
    seconds, queries, _heaviest, load_now = median_of(
        args.runs, lambda: [compute_year(year, thresholds=thresholds) for year in years]
    )
    print(
        f"\nall {len(years)} years, year by year (median of {args.runs}): {seconds:.3f} s, {queries} queries;"
        f" {seconds / len(years) * 1000:.0f} ms per year; load {load_now:.2f}"
    )
    seconds, queries, _heaviest, load_now = median_of(args.runs, lambda: compute_years(years, thresholds=thresholds))
    print(
        f"all {len(years)} years, compute_years (median of {args.runs}): {seconds:.3f} s, {queries} queries;"
        f" load {load_now:.2f}"
    )
    IndicatorValue.objects.all().delete()
    CoefficientValue.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE indicators_indicatorvalue")
    started = time.perf_counter()
    for year in years:
        store_year(year)
    seconds = time.perf_counter() - started
    print(
        f"\nstore_year of every year, nothing stored before (an import): {seconds:.3f} s,"
        f" {seconds / len(years) * 1000:.0f} ms a year; {load()}"
    )
    seconds, queries, heaviest, load_now = median_of(args.runs, lambda: store_year(last))
    print(
        f"store_year({last}) again, nothing changed (median of {args.runs}): {seconds:.3f} s, {queries} queries,"
        f" heaviest query {heaviest:.0f} ms; load {load_now:.2f}"
    )
    figures = SchoolYearFigures.objects.filter(year=last).order_by("pk").first()
    counter = iter(range(args.runs))

    @transaction.atomic
    def one_figure_changed():  # what an edit does besides its history row: the figure, then the year refreshed
        SchoolYearFigures.objects.filter(pk=figures.pk).update(key_teachers=figures.key_teachers + next(counter) + 1)
        refresh_year(last)

    seconds, queries, heaviest, load_now = median_of(args.runs, one_figure_changed)
    print(
        f"one figure changed and the year refreshed (median of {args.runs}): {seconds:.3f} s, {queries} queries,"
        f" heaviest query {heaviest:.0f} ms; load {load_now:.2f}"
    )
    print()
    pages(years, args.runs)


if __name__ == "__main__":
    main()
