"""Benchmark of the time-lapse: the whole plan, 2022–2028, played by ``simulation.simulate`` on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres taskboard_bench_sim
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taskboard_bench_sim .venv/bin/python bench/simulation.py
    … [--from 2022] [--to 2028] [--schools 200] [--seed 2028] [--runs 1] [--force]

The database must be the benchmark's own (its name must contain "bench" unless --force): each run FLUSHES it,
imports the shipped plan and plays the plan with evidence files in a temporary folder, as ``manage.py
simulate_plan`` does. It prints, per simulated year, the time and the queries (per day, per day of the routine
work — sweep, digest, notices — and per step people took), the time of each phase of the work, the rows created,
the load average beside, and the database digest: with ``--runs 2`` the two digests must be equal.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import prepare_schema, refuse_unless_disposable, setup_django

TABLES = (
    ("workflows", "DutyItem"),
    ("workflows", "ItemEvent"),
    ("workflows", "Report"),
    ("workflows", "Evidence"),
    ("workflows", "Inspection"),
    ("viewflow", "Task"),
    ("notices", "Notice"),
    ("notices", "Delivery"),
    ("notifications", "Notification"),
    ("assessments", "ScoreLine"),
    ("indicators", "IndicatorValue"),
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="start_year", type=int, default=2022)
    parser.add_argument("--to", dest="end_year", type=int, default=2028)
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2028)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--force", action="store_true")
    options = parser.parse_args()
    setup_django("simulation.py")
    refuse_unless_disposable(options.force)
    prepare_schema()
    digests = [run(options, number) for number in range(1, options.runs + 1)]
    if len(digests) > 1:
        print(f"digests {'equal' if len(set(digests)) == 1 else 'DIFFER'}: {', '.join(digests)}")


def run(options, number):
    from django.apps import apps
    from django.core.management import call_command
    from django.test.utils import override_settings

    from indicators.models import EvaluationRule
    from simulation.digest import database_digest
    from simulation.engine import PHASES, simulate

    call_command("flush", interactive=False, verbosity=0)  # post_migrate's rows (groups, the ladder) come back
    EvaluationRule.objects.get_or_create(year=None)  # the migration's one data row
    call_command("import_plan", verbosity=0, stdout=io.StringIO())
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        started, load = time.perf_counter(), os.getloadavg()[0]
        result = simulate(
            start=date(options.start_year, 1, 1),
            end=date(options.end_year, 12, 31),
            seed=options.seed,
            schools=options.schools,
        )
        seconds = time.perf_counter() - started
    print(f"\nrun {number}: {options.start_year}–{options.end_year}, {options.schools} schools, seed {options.seed}")
    header = f"{'year':>6}{'s':>8}{'q/day':>8}{'routine':>9}{'steps':>7}{'q/step':>8}"
    print(header + "".join(f"{phase:>11}" for phase in PHASES))
    for year, stats in sorted(result.years.items()):
        print(
            f"{year:>6}{stats.seconds:8.2f}{stats.queries_per_day:8.1f}{stats.routine_queries_per_day():9.1f}"
            f"{stats.actions:7d}{stats.queries_per_action():8.1f}"
            + "".join(f"{stats.by_phase.get(phase, 0.0):11.2f}" for phase in PHASES)
        )
    years = len(result.years)
    print(
        f"total {seconds:.1f} s ({seconds / years:.1f} s per simulated year); "
        f"load average before {load:.2f}, after {os.getloadavg()[0]:.2f}"
    )
    rows = ", ".join(f"{model} {apps.get_model(app, model).objects.count():,}" for app, model in TABLES)
    print(f"rows: {rows}")
    print(f"problems found while running: {len(result.problems)}")
    digest = database_digest()
    print(f"digest {digest}")
    return digest


if __name__ == "__main__":
    main()
