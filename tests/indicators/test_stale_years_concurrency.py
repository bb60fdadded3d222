"""Refreshing stale years on PostgreSQL connections at once: two workers compute a year once; a mark held by a
change still in progress is skipped, never waited for; a change made while a worker computes is not lost.

SQLite serialises writers and ignores row locks, so this runs on PostgreSQL only.
"""

import threading
import time
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection, connections, transaction

from indicators.computation import compute_year
from indicators.models import EvaluationRule, IndicatorValue, StaleYear
from indicators.services.stale_years import mark_stale, refresh_stale_years
from indicators.services.store import store_year
from indicators.tasks import refresh_stale_years_task
from workflows.models import Plan

from .conftest import YEAR

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(transactional_db):
    """The shipped plan, committed: the baseline every test starts from (tests/conftest.py)."""
    return Plan.objects.get(doc_number="奉节府办发〔2021〕100号")


@pytest.fixture
def stored(county):
    assert connection.vendor == "postgresql"
    store_year(YEAR)
    StaleYear.objects.all().delete()
    return county


@pytest.fixture(autouse=True)
def no_broker():
    with mock.patch.object(refresh_stale_years_task, "apply_async"):
        yield


@pytest.fixture
def slow_computations():
    """Each computation of a year takes a second, so the other side arrives while it runs. Counts them."""
    started = threading.Event()

    def slow(year, **kwargs):
        started.set()
        time.sleep(1)
        return compute_year(year, **kwargs)

    with mock.patch("indicators.services.store.compute_year", side_effect=slow) as counted:
        counted.started = started
        yield counted


def in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_workers_compute_a_stale_year_once(stored, slow_computations):
    mark_stale([YEAR])
    results = {}
    workers = [in_thread(refresh_stale_years, results, name) for name in ("first", "second")]
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(results.values()) == [[], [YEAR]]
    assert slow_computations.call_count == 1
    assert not StaleYear.objects.exists()


def test_a_mark_held_by_a_change_in_progress_is_skipped_then_refreshed(stored):
    mark_stale([YEAR])
    held, release, results = threading.Event(), threading.Event(), {}

    def change():
        with transaction.atomic():
            mark_stale([YEAR])  # the row is locked until this transaction ends
            held.set()
            release.wait(timeout=30)

    changing = in_thread(change, results, "change")
    assert held.wait(timeout=10)
    began = time.monotonic()
    assert refresh_stale_years() == []  # skipped: the change's commit asks for another run
    assert time.monotonic() - began < 5
    release.set()
    changing.join(timeout=30)
    assert refresh_stale_years() == [YEAR]
    assert not StaleYear.objects.exists()


def test_a_change_made_while_a_worker_computes_is_not_lost(stored, slow_computations):
    below_floor = IndicatorValue.objects.filter(year=YEAR, below_floor=True)
    mark_stale([YEAR])
    results = {}
    worker = in_thread(refresh_stale_years, results, "worker")
    assert slow_computations.started.wait(timeout=10)
    with transaction.atomic():  # as the admin saves: the new rule is seen by others once this commits
        rule = EvaluationRule.objects.get(year__isnull=True)
        rule.floor_ratio = Decimal("0.10")
        rule.save()  # marks the year while the worker computes it from the rule as it was: waits for its commit
    worker.join(timeout=60)
    assert results["worker"] == [YEAR]
    assert below_floor.count() == 11
    assert list(StaleYear.objects.values_list("year", flat=True)) == [YEAR]  # still stale: not lost
    assert refresh_stale_years() == [YEAR]
    assert below_floor.count() == 2
