"""Benchmark of the indicators on PostgreSQL: values, pass marks and difference coefficients of 5,000 school parts.

    createdb -h 127.0.0.1 -U postgres taskboard_bench_ind
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taskboard_bench_ind .venv/bin/python bench/indicators.py
    … [--parts 5000] [--years 10] [--seed 2028] [--force]

The database must exist and be the benchmark's own (its name must contain "bench" unless --force): the script
migrates it and imports the shipped plan when they are missing, then EMPTIES the indicators tables and the schools
it made on a previous run. It builds schools until they have ``--parts`` parts (70 % primary schools, 15 % junior,
10 % nine-year schools with two parts, 5 % teaching points), and ``--years`` years of random but plausible figures
for every part, written with bulk_create; then ANALYZE.

It measures (time.perf_counter, CaptureQueriesContext): ``compute_year`` for one year (the frame query, the
thresholds, the rule; pandas for values, the 6-of-7 standard, school checks, 14 coefficients); the same for every
year; ``store_year`` for one year (compute plus replacing the stored values in one transaction).
"""

import argparse
import random
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


def main(argv=None):
    args = parse_args(argv)
    setup_django("indicators.py")
    from django.db import connection, transaction

    from indicators.computation import compute_year, load_thresholds
    from indicators.services.store import store_year

    refuse_unless_disposable(args.force)
    prepare_schema()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    with transaction.atomic():
        empty()
        parts, years = build(args, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"filled in {time.perf_counter() - started:.1f} s: {len(parts):,} school parts × {len(years)} years"
        f" = {len(parts) * len(years):,} rows of figures ({years[0]}–{years[-1]})"
    )
    thresholds = load_thresholds()
    last = years[-1]
    result, seconds, sql, queries = measure(lambda: compute_year(last))
    print(
        f"\none year ({last}): {seconds:.3f} s ({sql:.3f} s in SQL), {queries} queries;"
        f" {len(result.values):,} indicator values, {int(result.parts['passes'].sum()):,} of"
        f" {len(result.parts):,} parts pass the resource standard, {len(result.coefficients)} coefficients"
    )
    for row in result.coefficients.itertuples(index=False):
        print(f"  {row.stage:8} {row.code:32} CV {row.coefficient:.4f} over {row.parts:,} parts")
    _, seconds, sql, queries = measure(lambda: [compute_year(year, thresholds=thresholds) for year in years])
    print(
        f"\nall {len(years)} years: {seconds:.3f} s ({sql:.3f} s in SQL), {queries} queries;"
        f" {seconds / len(years) * 1000:.0f} ms per year"
    )
    _, seconds, sql, queries = measure(lambda: store_year(last))
    print(f"\nstore_year({last}): {seconds:.3f} s ({sql:.3f} s in SQL), {queries} queries")


if __name__ == "__main__":
    main()
