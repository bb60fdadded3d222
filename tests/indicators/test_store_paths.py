"""The fast paths give the same numbers: a year's figures read with COPY equal those the ORM reads, and the
stored values written row by row where they changed equal those written into an empty year.

PostgreSQL only (COPY); the county of conftest.py, with a nine-year school's apportioned figures and the
optional amounts left blank (NULL) on some parts.
"""

from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection

from indicators.computation.frame import copied_frame, orm_frame
from indicators.models import CoefficientValue, IndicatorValue, SchoolYearFigures
from indicators.services.schools import edit_figure
from indicators.services.store import store_year
from indicators.services.stored_values import write_values

from .conftest import YEAR

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]


def stored():
    return sorted(
        IndicatorValue.objects.filter(year=YEAR).values_list(
            "part_id", "code", "value", "threshold", "reached", "below_floor"
        )
    )


def coefficients():
    return sorted(
        CoefficientValue.objects.filter(year=YEAR).values_list(
            "stage", "code", "coefficient", "county_ratio", "parts", "students", "threshold", "reached"
        )
    )


def test_the_copied_frame_is_the_orms(county):
    SchoolYearFigures.objects.update(public_funds_budget=None)  # not reported
    nine = SchoolYearFigures.objects.filter(part__school__unit__name="九年一贯制", year=YEAR)
    nine.update(apportioned={"equipment_value": "8260000.00"}, public_funds_budget=Decimal("1234567.89"))
    figures = SchoolYearFigures.objects.filter(year=YEAR).order_by("part_id")
    copied, read = copied_frame(figures), orm_frame(figures)
    assert copied["public_funds_budget"].isna().sum() == len(copied) - 2  # NULL stays NaN
    assert list(copied["apportioned"]).count({"equipment_value": "8260000.00"}) == 2
    assert copied.equals(read)
    assert list(copied.dtypes) == list(read.dtypes)


def test_an_empty_year_is_an_empty_frame_either_way(county):
    figures = SchoolYearFigures.objects.filter(year=YEAR + 5)
    assert copied_frame(figures).empty
    assert list(copied_frame(figures).columns) == list(orm_frame(figures).columns)


def test_only_the_rows_that_changed_are_written_and_they_equal_a_fresh_store(county, personas):
    store_year(YEAR)
    figures = county["小学二"].parts.get().figures.get()
    written = []

    def counted(year, values):
        written.append(write_values(year, values))
        return written[-1]

    with mock.patch("indicators.services.store.write_values", side_effect=counted):
        edit_figure(personas["plan_office"], figures, "key_teachers", "9")
    assert written == [(0, 1, 0)]  # one value (key teachers per 100 students of that part) updated
    after_edit, after_edit_cvs = stored(), coefficients()
    IndicatorValue.objects.filter(year=YEAR).delete()
    store_year(YEAR)  # every row written into an empty year
    assert stored() == after_edit
    assert coefficients() == after_edit_cvs


def test_rows_of_a_part_gone_are_deleted_and_new_ones_inserted(county):
    result = store_year(YEAR)
    first = result.values["part_id"].min()
    assert write_values(YEAR, result.values[result.values["part_id"] != first]) == (7, 0, 0)
    assert not IndicatorValue.objects.filter(year=YEAR, part_id=first).exists()
    assert write_values(YEAR, result.values) == (0, 0, 7)
    assert IndicatorValue.objects.filter(year=YEAR).count() == 12 * 7
