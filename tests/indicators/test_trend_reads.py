"""The reads the dashboard and the plan's progress page share, rewritten for 5,000 school parts × 10 years
(issue 15) and checked here against the plain definitions: the stored years, both stages' trends in one pass,
and the reporting counts of a year."""

import pytest
from django.db.models import Count, Q

from departments.models import Unit
from indicators.computation.compute import compute_year
from indicators.models import IndicatorValue, SchoolPart, SchoolYearFigures, Stage
from indicators.reads import dashboard as reads
from indicators.reads.reporting import reporting, reporting_by_year
from indicators.services.store import store_year

from .conftest import YEAR, make_school
from .test_rectification import copy_year

pytestmark = pytest.mark.django_db
STAGES = [Stage.PRIMARY, Stage.JUNIOR]


@pytest.fixture
def two_years(county):
    copy_year(county, "小学二", YEAR + 1, art_rooms=0)
    copy_year(county, "初中一", YEAR + 1)
    store_year(YEAR)
    store_year(YEAR + 1)
    return county


def expected_trend(stage):
    """[(year, passing, total)] of the stage from ``compute_year``'s resource standard (the stored values' source)."""
    points = []
    for year in (YEAR, YEAR + 1):
        parts = compute_year(year).parts
        parts = parts[parts["stage"] == stage]
        if len(parts):
            points.append((year, int(parts["passes"].sum()), len(parts)))
    return points


def test_the_stored_years_are_the_distinct_years_of_the_values(two_years):
    distinct = sorted(set(IndicatorValue.objects.values_list("year", flat=True)))
    assert reads.stored_years() == distinct == [YEAR, YEAR + 1]
    IndicatorValue.objects.all().delete()
    assert reads.stored_years() == []


def test_both_stages_in_one_pass_are_each_stages_trend(two_years, township, count_queries):
    rule_of = reads._rules()
    coefficients = {stage: reads.coefficient_table(stage) for stage in STAGES}
    together = reads.trends(STAGES, None, coefficients, rule_of)
    for stage in STAGES:
        assert [(p["year"], p["passing"], p["total"]) for p in together[stage]] == expected_trend(stage)
        assert together[stage] == reads.trend(stage, None, coefficients[stage], rule_of)
        assert reads.trends(STAGES, township, coefficients, rule_of)[stage] == together[stage]  # every school in it
    elsewhere = Unit.objects.create(name="别的镇", kind=Unit.Kind.TOWNSHIP)
    assert reads.trends(STAGES, elsewhere, coefficients, rule_of) == {Stage.PRIMARY: [], Stage.JUNIOR: []}
    assert count_queries(lambda: reads.trends(STAGES, None, coefficients, rule_of)) == 4  # values + reporting's 3


def test_a_years_reporting_counts_are_the_plain_definitions(two_years, township):
    make_school("新建小学", "primary", township)  # a part without figures
    closed = two_years["初中三"].unit
    closed.active = False  # a school gone, with the figures it reported
    closed.save()
    for year in (YEAR, YEAR + 1, YEAR + 2):
        plain = SchoolPart.objects.aggregate(
            reported=Count("pk", filter=Q(figures__year=year), distinct=True),
            expected=Count("pk", filter=Q(school__unit__active=True) | Q(figures__year=year), distinct=True),
        )
        got = reporting(year)
        assert (got.reported, got.expected) == (plain["reported"], plain["expected"]), year
        assert reporting_by_year([year])[year] == got
    assert SchoolYearFigures.objects.filter(year=YEAR, part__school__unit=closed).exists()
