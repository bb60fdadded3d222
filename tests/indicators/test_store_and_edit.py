"""Storing a year's results, apportioning a nine-year school's totals, and editing one figure with its history."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators.computation import apportion
from indicators.models import CoefficientValue, FigureEdit, IndicatorValue
from indicators.services.schools import edit_figure
from indicators.services.store import store_year

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_store_year_replaces_the_years_values(county, count_queries):
    store_year(YEAR)
    assert IndicatorValue.objects.filter(year=YEAR).count() == 12 * 7
    assert CoefficientValue.objects.filter(year=YEAR).count() == 14
    queries = count_queries(lambda: store_year(YEAR))  # again: replaced, not added
    assert IndicatorValue.objects.filter(year=YEAR).count() == 12 * 7
    junior = CoefficientValue.objects.get(year=YEAR, stage="junior", code="equipment_value_per_student")
    assert junior.coefficient == Decimal("0.224534")
    assert junior.county_ratio == Decimal("3800.0000")
    assert queries <= 10


def test_apportion_by_students_weighted_one_to_one_point_one():
    # 1000 primary and 1200 junior students: weights 1000 and 1320; 23,200 元 → 23,200 × 1000 / 2320 = 10,000
    # for the primary part and 13,200 for the junior part.
    assert apportion(Decimal(23200), 1000, 1200) == (Decimal("10000.00"), Decimal("13200.00"))
    # 7 rooms, 100 and 100 students: 7 × 100 / 210 = 3.333… → 3.33 and 3.67 (they add up to 7).
    assert apportion(7, 100, 100) == (Decimal("3.33"), Decimal("3.67"))


def test_edit_a_figure_keeps_its_history(county, personas):
    figures = county["小学一"].parts.get().figures.get()
    edit = edit_figure(personas["plan_office"], figures, "key_teachers", "3", reason="核对后更正")
    figures.refresh_from_db()
    assert figures.key_teachers == Decimal("3.00")
    assert (edit.old_value, edit.new_value, edit.source) == ("1.00", "3.00", "page")
    assert edit.edited_by == personas["plan_office"]
    assert edit_figure(personas["plan_office"], figures, "key_teachers", "3.00") is None  # unchanged: no history


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("key_teachers", "-1", "不能为负数"),
        ("key_teachers", "三", "不是数字"),
        ("students", "0", "在校生数不能为0"),
        ("classes", "2.5", "应为整数"),
    ],
)
def test_a_bad_edit_is_refused(county, personas, field, text, message):
    figures = county["小学一"].parts.get().figures.get()
    with pytest.raises(ValidationError, match=message):
        edit_figure(personas["plan_office"], figures, field, text)
    assert not FigureEdit.objects.exists()


def test_only_the_plan_office_edits(county, personas):
    figures = county["小学一"].parts.get().figures.get()
    for persona in ("own_liaison", "inspector", "government_office"):
        with pytest.raises(PermissionDenied):
            edit_figure(personas[persona], figures, "key_teachers", "3")


def test_a_single_value_too_large_is_refused_with_its_name():
    from django.core.exceptions import ValidationError

    from indicators.services.schools import parse_figure

    with pytest.raises(ValidationError, match="教学仪器设备值（元）：数值过大"):
        parse_figure("equipment_value", "1e40")


def test_changing_the_rule_or_a_threshold_recomputes_the_stored_values(county):
    """After the change commits, the worker's task recomputes (test_stale_years.py: when, how often, by whom)."""
    from indicators.models import EvaluationRule, Indicator
    from indicators.services.stale_years import refresh_stale_years

    store_year(YEAR)
    below_floor = IndicatorValue.objects.filter(year=YEAR, below_floor=True)
    before = below_floor.count()
    rule = EvaluationRule.objects.get(year__isnull=True)
    rule.floor_ratio = Decimal("0.10")  # only the teaching point's two zeros are below 10 % of their thresholds
    rule.save()
    assert below_floor.count() == before  # not in the saving transaction
    assert refresh_stale_years() == [YEAR]
    assert before > 2
    assert below_floor.count() == 2
    assert not below_floor.exclude(value=0).exists()
    reached = IndicatorValue.objects.filter(year=YEAR, code="multimedia_rooms_per_100", part__stage="primary")
    for threshold in Indicator.objects.filter(code="multimedia_rooms_per_100", scope=""):
        threshold.threshold = Decimal("99")
        threshold.save()
    assert refresh_stale_years() == [YEAR]
    assert not reached.filter(reached=True).exists()
    assert reached.first().threshold == Decimal("99")
