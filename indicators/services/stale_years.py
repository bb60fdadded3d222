"""The years whose stored values a change made stale, and their refresh after commit: an outbox, as
``notices.services.sweep`` keeps one for notices.

A rule, a threshold of the catalogue or a school's type is saved (``indicators.signals``, admin or plan
import): ``mark_stale`` records the years whose stored values depend on it — every stored year for a
threshold or the default rule — as ``StaleYear`` rows in the change's own transaction, so a change that rolls
back marks nothing, and one that commits cannot lose its mark. However many saves mark a year, it has one row
(unique year); an existing row is updated, which holds it locked until the change commits.

When the transaction commits, a worker is asked (once per transaction) to ``refresh_stale_years``: each year
is recomputed by ``store.refresh_stale_year``, under the year's advisory lock, which takes (deletes) the row in
the transaction that recomputes it. Two workers never recompute a year for the same mark: the second finds
the row gone. A worker that dies mid-way rolls back, and the row waits for the next run. A broker that is
down is only logged: beat runs the task too, as the safety net. Imports and edits of figures still refresh
their own year in their own transaction (``store.refresh_year``), which takes the year's mark as well.
"""

import logging

from django.db import transaction
from django.utils import timezone

from ..models import IndicatorValue, SchoolYearFigures, StaleYear
from .store import refresh_stale_year

log = logging.getLogger(__name__)


def stored_years():
    """Every year with figures or stored values, in order (one query)."""
    values = IndicatorValue.objects.order_by().values_list("year", flat=True)
    figures = SchoolYearFigures.objects.order_by().values_list("year", flat=True)
    return sorted(values.union(figures))


def mark_stale(years):
    """Record ``years`` as stale in the current transaction, and ask for a refresh once it commits."""
    years = sorted(set(years))
    if not years:
        return
    now = timezone.now()
    StaleYear.objects.bulk_create(  # in year order, so two changes lock the rows in the same order
        [StaleYear(year=year, marked_at=now) for year in years],
        update_conflicts=True,
        unique_fields=["year"],
        update_fields=["marked_at"],
    )
    _enqueue_once_on_commit()


def mark_every_year_stale():
    """A change every year depends on (a threshold, the default rule): every stored year is stale."""
    mark_stale(stored_years())


def refresh_stale_years():
    """Recompute every year marked stale (the worker's task). Returns the years this run recomputed."""
    return [year for year in StaleYear.objects.values_list("year", flat=True) if refresh_stale_year(year)]


def _enqueue_once_on_commit():
    """``enqueue_refresh`` after the current transaction commits, once per transaction however many marks.

    ``connection.run_on_commit`` holds the callbacks still to run (those of a savepoint rolled back are
    dropped from it, and a later mark registers again). A second task would only find nothing to do.
    """
    connection = transaction.get_connection()
    if any(entry[1] is enqueue_refresh for entry in getattr(connection, "run_on_commit", ())):
        return
    transaction.on_commit(enqueue_refresh)


def enqueue_refresh():
    """Ask a worker to refresh the stale years. If the broker is down, the rows wait for beat's next run."""
    from ..tasks import refresh_stale_years_task

    try:
        refresh_stale_years_task.apply_async(retry=False)
    except Exception as error:  # broker unreachable: the change is saved; the web request must not fail for it
        log.warning("indicators: broker unavailable, stale years left for the next beat: %s", error)
