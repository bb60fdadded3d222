"""County-level indicators: who is responsible (from Annex 2), entered and computed values, the "两个只增不减"
rule year over year, who may enter which, and Chinese messages for bad input."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from departments.models import Unit
from indicators.models import CountyFigure, SchoolYearFigures
from indicators.reads.county import county_rows, enterable
from indicators.services.county import enter_county_figure

from .conftest import YEAR

pytestmark = pytest.mark.django_db
URL = reverse("indicators:county_figures")


def rows_by_key(year):
    return {(row.code, row.scope): row for row in county_rows(year)}


def liaison_of(make_user, unit_name, username):
    return make_user(username, unit=Unit.objects.get(name=unit_name))


def test_the_responsible_units_come_from_annex_2(plan):
    rows = rows_by_key(YEAR)
    assert rows[("teacher_pay_vs_civil_servants", "")].responsible_unit == "县人力社保局"
    assert rows[("disabled_enrolment_rate", "")].responsible_unit == "县残联"
    assert rows[("social_recognition_rate", "")].responsible_unit == "县政府教育督导室"
    assert rows[("education_spending", "")].responsible_unit == "县财政局"
    assert rows[("nearby_enrolment_rate", "小学")].responsible_unit == "县教委"
    assert ("difference_coefficient", "") not in rows  # shown with the schools, not here


def test_the_row_shape_for_the_report(plan):
    row = rows_by_key(YEAR)[("nearby_enrolment_rate", "初中")]
    assert row.name == "就近划片入学比例（初中）"
    assert row.threshold_label == "≥ 95%"
    assert row.value is None
    assert row.value_label == "—"
    assert row.passed is None
    assert not row.computed
    assert row.source_sentence.startswith("城区和乡镇公办小学、初中就近划片入学比例")


def test_entered_values_pass_or_fail_against_their_threshold(plan, personas):
    office = personas["plan_office"]
    enter_county_figure(office, YEAR, "nearby_enrolment_rate|初中", "96.5", "教育事业统计")
    enter_county_figure(office, YEAR, "nearby_enrolment_rate|小学", "99")  # the plan asks exactly 100 %
    enter_county_figure(office, YEAR, "quality_difference_rate|", "0.15")  # must be below 0.15
    rows = rows_by_key(YEAR)
    junior = rows[("nearby_enrolment_rate", "初中")]
    assert (junior.value, junior.value_label, junior.passed) == (Decimal("96.5000"), "96.5%", True)
    assert "教育事业统计" in junior.basis
    assert rows[("nearby_enrolment_rate", "小学")].passed is False
    assert rows[("quality_difference_rate", "")].passed is False
    enter_county_figure(office, YEAR, "quality_difference_rate|", "0.12")  # entering again replaces
    assert rows_by_key(YEAR)[("quality_difference_rate", "")].passed is True
    assert CountyFigure.objects.filter(code="quality_difference_rate").count() == 1


def test_rates_the_schools_figures_give_are_computed(plan, county):
    # conftest: full-time teachers = teachers above degree + 2 per part; trained, certified and rotated are 0.
    SchoolYearFigures.objects.filter(year=YEAR).update(
        trained_teachers=10, certified_teachers=10, rotation_eligible_teachers=10, rotated_teachers=1,
        rotated_key_teachers=1,
    )  # fmt: skip
    teachers = sum(f.full_time_teachers for f in SchoolYearFigures.objects.filter(year=YEAR))
    rows = rows_by_key(YEAR)
    training = rows[("training_360_hours_rate", "")]
    assert training.computed
    assert training.value == (Decimal(120) / teachers * 100).quantize(Decimal("0.01"))
    assert training.passed is False
    assert "由各学校学段数据计算" in training.basis
    rotation = rows[("rotation_rate", "")]
    assert (rotation.value, rotation.passed) == (Decimal("10.00"), True)  # 12 / 120 ≥ 10 %
    assert rows[("key_teacher_rotation_share", "")].value == Decimal("100.00")
    assert rows[("certification_rate", "")].computed


def test_a_computed_rate_is_not_entered(plan, personas):
    with pytest.raises(ValidationError, match="由各学校学段数据计算，不需要填报"):
        enter_county_figure(personas["plan_office"], YEAR, "rotation_rate|", "12")
    assert "rotation_rate|" not in {measure.key for measure in enterable(personas["plan_office"])}


def test_the_spending_rule_compares_with_the_previous_year(plan, make_user):
    finance = liaison_of(make_user, "县财政局", "finance")
    enter_county_figure(finance, YEAR, "education_spending|", "52000")
    row = rows_by_key(YEAR)[("education_spending", "")]
    assert row.passed is None
    assert f"{YEAR - 1}年未填报，无法比较" in row.basis
    enter_county_figure(finance, YEAR - 1, "education_spending|", "50000")
    row = rows_by_key(YEAR)[("education_spending", "")]
    assert row.passed is True
    assert row.previous_value == Decimal(50000)
    assert row.threshold_label == f"不低于上年（{YEAR - 1}年：50000万元）"
    assert row.value_label == "52000万元"
    enter_county_figure(finance, YEAR, "education_spending_per_student|", "9800")
    enter_county_figure(finance, YEAR - 1, "education_spending_per_student|", "10000")
    assert rows_by_key(YEAR)[("education_spending_per_student", "")].passed is False


def test_a_unit_enters_only_its_own_indicators(plan, make_user, personas):
    disabled = liaison_of(make_user, "县残联", "disabled-federation")
    assert [measure.code for measure in enterable(disabled)] == ["disabled_enrolment_rate"]
    enter_county_figure(disabled, YEAR, "disabled_enrolment_rate|", "96")
    with pytest.raises(PermissionDenied, match="不由您的单位填报"):
        enter_county_figure(disabled, YEAR, "social_recognition_rate|", "90")
    with pytest.raises(PermissionDenied):
        enter_county_figure(personas["own_liaison"], YEAR, "disabled_enrolment_rate|", "96")
    with pytest.raises(PermissionDenied):  # reading everything is not entering
        enter_county_figure(personas["government_office"], YEAR, "disabled_enrolment_rate|", "96")
    assert len(enterable(personas["plan_office"])) == len([row for row in county_rows(YEAR) if not row.computed])


def test_the_page_lets_the_responsible_liaison_enter(client, plan, make_user):
    client.force_login(liaison_of(make_user, "县残联", "disabled-federation"))
    page = client.get(URL, {"year": YEAR}).content.decode()
    assert "残疾儿童少年入学率" in page
    assert '<option value="social_recognition_rate|"' not in page
    response = client.post(URL, {"year": YEAR, "measure": "disabled_enrolment_rate|", "value": "93.5", "note": ""})
    assert response.status_code == 302
    assert rows_by_key(YEAR)[("disabled_enrolment_rate", "")].passed is False


@pytest.mark.parametrize(
    ("value", "message"),
    [("九十", "不是数字"), ("-1", "不能为负数"), ("120", "百分比不能超过100"), ("", "请填写数值")],
)
def test_bad_values_are_answered_in_chinese(client, plan, personas, value, message):
    client.force_login(personas["plan_office"])
    response = client.post(URL, {"year": YEAR, "measure": "disabled_enrolment_rate|", "value": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CountyFigure.objects.exists()


def test_an_indicator_the_user_may_not_enter_is_refused_in_chinese(client, plan, make_user):
    client.force_login(liaison_of(make_user, "县残联", "disabled-federation"))
    response = client.post(URL, {"year": YEAR, "measure": "social_recognition_rate|", "value": "90"})
    assert "指标：您不能填报这一项指标" in response.content.decode()
    assert not CountyFigure.objects.exists()


def test_teacher_pay_may_exceed_civil_servants(plan, personas):
    enter_county_figure(personas["plan_office"], YEAR, "teacher_pay_vs_civil_servants|", "104.2")
    assert rows_by_key(YEAR)[("teacher_pay_vs_civil_servants", "")].passed is True


@pytest.mark.parametrize("persona", ["own_liaison", "stranger_liaison", "no_unit", "government_office", "inspector"])
def test_who_has_nothing_to_enter_gets_403(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(URL).status_code == 403


def test_the_dashboard_shows_entered_and_computed_county_rows(client, personas, county):
    from indicators.services.store import store_year

    store_year(YEAR)
    enter_county_figure(personas["plan_office"], YEAR, "social_recognition_rate|", "88")
    client.force_login(personas["government_office"])
    page = client.get(reverse("indicators:dashboard"), {"year": YEAR}).content.decode()
    assert '<tr data-code="social_recognition_rate">' in page
    assert "88%" in page
    assert "县政府教育督导室" in page
    assert "确保学生、家长、教师、校长" in page
    assert "由各学校学段数据计算" in page
    assert "计算" in page


def test_the_home_page_links_a_responsible_units_liaison_to_the_county_figures(client, plan, make_user, personas):
    from django.urls import reverse

    client.force_login(liaison_of(make_user, "县财政局", "finance-home"))
    assert 'id="county-figures-link"' in client.get(reverse("home")).content.decode()
    client.force_login(personas["stranger_liaison"])  # 县税务局: responsible for no county indicator
    assert 'id="county-figures-link"' not in client.get(reverse("home")).content.decode()
