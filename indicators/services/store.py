"""Storing a year's computed values (for the dashboard of a later phase), in one transaction."""

from decimal import Decimal

from django.db import transaction

from ..models import CoefficientValue, IndicatorValue
from .catalogue import CatalogueIncomplete
from .compute import compute_year


def _decimal(value, places):
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places))


@transaction.atomic
def store_year(year, *, result=None):
    """Replace the stored indicator values and coefficients of ``year`` with freshly computed ones.

    A fixed number of queries whatever the number of schools: compute (3), two deletes, two bulk inserts.
    Returns the ``YearResult``.
    """
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
