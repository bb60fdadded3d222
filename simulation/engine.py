"""The day loop of ``manage.py simulate_plan``: the plan played forward on a simulated clock.

Each simulated day runs what beat and the worker run (the deadline sweep after midnight, the daily digest at
08:00, the dispatch and the timeline's notices after every step, as the worker does after each commit), and on
a working day the offices, the units and the inspectors act (``office``, ``actors``). Celery runs its tasks
in the process (eager) while the simulation runs, so every notice goes through the outbox, the dispatcher and
the channels as it would with a worker; email goes to Django's in-memory outbox.
"""

import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from celery import current_app as celery_app
from django.db import DatabaseError, connection, transaction
from django.test.utils import override_settings

from departments.models import Unit
from notices import services as notices
from workdays.calendar import WorkCalendar
from workflows.models import Plan

from .actors import Inspectors, Units
from .cast import Cast
from .clock import INSPECTION_HOURS, LIAISON_HOURS, MORNING_DIGEST, NIGHT_SWEEP, OFFICE_HOURS, SimulatedClock
from .days import Days, days_between
from .office import Assessor, Office, PlanOffice
from .profiles import assign_profiles
from .schools import register_schools

PHASES = ("sweep", "digest", "offices", "units", "inspectors", "notices")
ROUTINE = ("sweep", "digest", "notices")


@dataclass
class YearStats:
    year: int
    days: int = 0
    seconds: float = 0.0
    queries: int = 0
    by_phase: dict = field(default_factory=lambda: defaultdict(float))
    queries_by_phase: dict = field(default_factory=lambda: defaultdict(int))
    actions: int = 0  # steps the people took (signing, reports, inspections, urgings, …)

    @property
    def queries_per_day(self):
        return self.queries / self.days if self.days else 0

    def routine_queries_per_day(self):
        """Queries per day of the work every day has whatever people do: sweep, digest, notices."""
        return sum(self.queries_by_phase[phase] for phase in ROUTINE) / self.days if self.days else 0

    def queries_per_action(self):
        """Queries of the offices', units' and inspectors' work per step they took."""
        work = sum(self.queries_by_phase[phase] for phase in PHASES if phase not in ROUTINE)
        return work / self.actions if self.actions else 0


@dataclass
class SimulationResult:
    start: date
    end: date
    seed: int
    years: dict = field(default_factory=dict)  # year → YearStats
    counts: Counter = field(default_factory=Counter)
    profiles: dict = field(default_factory=dict)  # unit name → Profile
    problems: list = field(default_factory=list)  # invariants found broken while the plan ran


class QueryCounter:
    """Counts the queries the simulation sends (a connection wrapper: nothing is kept but the number)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def simulate(*, start, end, seed=2028, schools=200, plan=None, progress=None):
    """Play ``plan`` (the latest imported) from ``start`` to ``end`` inclusive. Returns a ``SimulationResult``."""
    plan = plan or Plan.objects.order_by("-imported_at").first()
    if plan is None:
        raise ValueError("请先导入实施方案（manage.py import_plan），再运行模拟。")
    result = SimulationResult(start=start, end=end, seed=seed)
    counter = QueryCounter()
    eager = {"task_always_eager": True, "task_eager_propagates": True}
    saved = {key: celery_app.conf[key] for key in eager}
    celery_app.conf.update(eager)
    task_log = logging.getLogger("celery.app.trace")  # one line per eager task otherwise
    task_log_level = task_log.level
    task_log.setLevel(logging.WARNING)
    try:
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            connection.execute_wrapper(counter),
            SimulatedClock(start) as clock,
        ):
            _flush_per_commit(False)
            _play(plan, result, clock, counter, schools, progress)
    finally:
        _flush_per_commit(True)
        celery_app.conf.update(saved)
        task_log.setLevel(task_log_level)
    return result


def _play(plan, result, clock, counter, school_count, progress):
    seed, counts = result.seed, result.counts
    clock.at(result.start, OFFICE_HOURS)
    cast = Cast.gather()
    register_schools(seed, school_count)
    result.profiles = assign_profiles(seed, [unit.name for unit in _units_of(cast)])
    days = Days(WorkCalendar.load())
    office, plan_office = Office(seed, cast, days, plan, counts), PlanOffice(seed, cast, days, plan, counts)
    assessor = Assessor(cast, days, counts, result.problems)
    units, inspectors = Units(seed, cast, result.profiles, counts), Inspectors(seed, cast, result.profiles, counts)
    total = (result.end - result.start).days + 1
    for number, day in enumerate(days_between(result.start, result.end), start=1):
        stats = result.years.setdefault(day.year, YearStats(day.year))
        started, queries_before, actions_before = time.perf_counter(), counter.count, counts.total()
        timed = partial(_timed, stats, counter, clock, day)
        with transaction.atomic():  # a day is one transaction: a failure leaves the run at the day before
            timed("sweep", NIGHT_SWEEP, notices.sweep_deadlines)
            timed("digest", MORNING_DIGEST, notices.send_daily_digest)
            if days.is_workday(day):
                for actor in (assessor, office, plan_office):
                    timed("offices", OFFICE_HOURS, actor.act, day)
                timed("units", LIAISON_HOURS, units.act, day)
                timed("inspectors", INSPECTION_HOURS, inspectors.act, day)
            timed("notices", INSPECTION_HOURS, _deliver)
        stats.actions += counts.total() - actions_before
        stats.days += 1
        stats.seconds += time.perf_counter() - started
        stats.queries += counter.count - queries_before
        if progress is not None:
            progress(number, total, day)
    clock.at(result.end, OFFICE_HOURS)
    assessor.draft(result.end)


def _flush_per_commit(wait):
    """PostgreSQL: while the simulation runs, this session's commits do not wait for the disk
    (``synchronous_commit``). A crash could lose the last moments of the run, never corrupt it; the run is
    repeatable from its seed. Other sessions are unaffected; the setting is put back at the end."""
    if connection.vendor != "postgresql" or connection.connection is None:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO DEFAULT" if wait else "SET synchronous_commit TO OFF")
    except DatabaseError:  # after a failed day inside a caller's transaction: the failure is what matters
        if not wait:
            raise


def _timed(stats, counter, clock, day, phase, moment, work, *args):
    clock.at(day, moment)
    started, queries = time.perf_counter(), counter.count
    work(*args)
    stats.by_phase[phase] += time.perf_counter() - started
    stats.queries_by_phase[phase] += counter.count - queries


def _deliver():
    """What the worker has left after the day's steps: timeline notices written in bulk, deliveries due."""
    notices.notify_events()
    while notices.dispatch_deliveries().claimed:
        pass


def _units_of(cast):
    return Unit.objects.filter(pk__in=cast.liaisons).order_by("name")
