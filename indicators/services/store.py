"""Storing a year's computed values for the dashboard, in one transaction, one writer per year at a time.

``store_year`` computes and replaces a year's values. ``refresh_year`` does it after the year's figures
changed (imports and edits call it in their own transaction), and ``refresh_stale_year`` when a change to
what the values are computed from marked the year stale (``services.stale_years``; a worker calls it after
that change committed). Both take the year's stale mark, if any, in the transaction that recomputes it.
"""

from django.db import connection, transaction

from ..computation.catalogue import CatalogueIncomplete
from ..computation.compute import compute_year
from ..models import CoefficientValue, IndicatorValue, StaleYear
from .stored_values import decimal_of, write_values

YEAR_LOCK = 62028  # the advisory-lock namespace of "a year's stored values" (PostgreSQL)


def lock_year(year):
    """Serialise the writers of a year's stored values until the transaction ends.

    Two edits of different schools in the same year would otherwise each write the year's
    values from a snapshot without the other's change (or collide on the unique key). The lock is taken
    before the figures are read, so the second writer computes from what the first committed. SQLite
    serialises writers by itself.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [YEAR_LOCK, year])


@transaction.atomic
def store_year(year, *, result=None):
    """Replace the stored indicator values and coefficients of ``year`` with freshly computed ones.

    A fixed number of queries whatever the number of schools: compute (3), the year's values written by
    ``stored_values.write_values`` (at most 4: only the rows that changed), the coefficients replaced (2).
    Returns the ``YearResult``.
    """
    lock_year(year)
    return _replace_values(year, result or compute_year(year))


def _replace_values(year, result):
    CoefficientValue.objects.filter(year=year).delete()
    write_values(year, result.values)
    CoefficientValue.objects.bulk_create(
        [
            CoefficientValue(
                year=year,
                stage=row.stage,
                code=row.code,
                coefficient=decimal_of(row.coefficient, 6),
                county_ratio=decimal_of(row.county_ratio, 4),
                parts=row.parts,
                students=row.students,
                threshold=decimal_of(row.threshold, 4),
                reached=bool(row.reached),
            )
            for row in result.coefficients.itertuples(index=False)
            if row.coefficient == row.coefficient  # NaN (X̄ = 0) is not stored
        ]
    )
    return result


def _recompute(year):
    """Store ``year`` again; without a complete catalogue nothing can be computed: the year's stored values are
    removed instead (the dashboard then says why). Returns the result or None."""
    try:
        result = compute_year(year)
    except CatalogueIncomplete:
        IndicatorValue.objects.filter(year=year).delete()
        CoefficientValue.objects.filter(year=year).delete()
        return None
    return _replace_values(year, result)


def take_stale_mark(year):
    """Delete the year's ``StaleYear`` row, unless a change still in progress holds it; True if one was taken.

    Taken after the year's lock and before the figures are read: whatever marked the year committed before
    this computation reads, or it marks the year again when it commits. A row locked by a change not yet
    committed is skipped (PostgreSQL ``SKIP LOCKED``), never waited for while the year's lock is held:
    that change's commit asks for another refresh.
    """
    locked = StaleYear.objects.select_for_update(skip_locked=True).filter(year=year).values_list("pk", flat=True)
    marks = list(locked)
    return bool(marks) and StaleYear.objects.filter(pk__in=marks).delete()[0] > 0


@transaction.atomic
def refresh_year(year):
    """``store_year`` after a change to the year's figures, in the caller's transaction: the dashboard is never
    stale. The change itself goes through even without a complete catalogue. Returns the result or None."""
    lock_year(year)
    take_stale_mark(year)  # recomputed now: whatever marked the year is done as well
    return _recompute(year)


@transaction.atomic
def refresh_stale_year(year):
    """Recompute ``year`` if it is marked stale, taking its mark; False when there is none to take (refreshed
    by another worker meanwhile, or marked by a change still in progress, whose commit asks again)."""
    lock_year(year)
    if not take_stale_mark(year):
        return False
    _recompute(year)
    return True
