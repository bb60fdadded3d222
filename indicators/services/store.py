"""Storing a year's computed values for the dashboard, in one transaction, one writer per year at a time."""

from decimal import Decimal

from django.db import connection, transaction

from ..models import CoefficientValue, IndicatorValue, SchoolYearFigures
from .catalogue import CatalogueIncomplete
from .compute import compute_year

YEAR_LOCK = 62028  # the advisory-lock namespace of "a year's stored values" (PostgreSQL)


def lock_year(year):
    """Serialise the writers of a year's stored values until the transaction ends.

    Two edits of different schools in the same year would otherwise each delete and re-insert the year's
    values from a snapshot without the other's change (or collide on the unique key). The lock is taken
    before the figures are read, so the second writer computes from what the first committed. SQLite
    serialises writers by itself.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [YEAR_LOCK, year])


def stored_years():
    years = set(IndicatorValue.objects.values_list("year", flat=True).distinct())
    return sorted(years | set(SchoolYearFigures.objects.values_list("year", flat=True).distinct()))


def refresh_years(years=None):
    """``refresh_year`` for ``years`` (default: every year with figures or values): after a change to a rule,
    a threshold or a school's type, which the stored values depend on."""
    for year in stored_years() if years is None else years:
        refresh_year(year)


def _decimal(value, places):
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places))


@transaction.atomic
def store_year(year, *, result=None):
    """Replace the stored indicator values and coefficients of ``year`` with freshly computed ones.

    A fixed number of queries whatever the number of schools: compute (3), two deletes, two bulk inserts.
    Returns the ``YearResult``.
    """
    lock_year(year)
    result = result or compute_year(year)
    IndicatorValue.objects.filter(year=year).delete()
    CoefficientValue.objects.filter(year=year).delete()
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                part_id=row.part_id,
                year=year,
                code=row.code,
                value=_decimal(row.value, 4),
                threshold=_decimal(row.threshold, 4),
                reached=bool(row.reached),
                below_floor=bool(row.below_floor),
            )
            for row in result.values.itertuples(index=False)
        ],
        batch_size=2000,
    )
    CoefficientValue.objects.bulk_create(
        [
            CoefficientValue(
                year=year,
                stage=row.stage,
                code=row.code,
                coefficient=_decimal(row.coefficient, 6),
                county_ratio=_decimal(row.county_ratio, 4),
                parts=row.parts,
                students=row.students,
                threshold=_decimal(row.threshold, 4),
                reached=bool(row.reached),
            )
            for row in result.coefficients.itertuples(index=False)
            if row.coefficient == row.coefficient  # NaN (X̄ = 0) is not stored
        ]
    )
    return result


def refresh_year(year):
    """``store_year`` after a change to the year's figures, in the caller's transaction: the dashboard is never stale.

    Without a complete catalogue nothing can be computed: the year's stored values are removed instead
    (the dashboard then says why), and the change itself still goes through. Returns the result or None.
    """
    try:
        return store_year(year)
    except CatalogueIncomplete:
        IndicatorValue.objects.filter(year=year).delete()
        CoefficientValue.objects.filter(year=year).delete()
        return None
