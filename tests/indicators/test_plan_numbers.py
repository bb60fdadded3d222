"""The plan's numbers exact: the training funds checked per school (and the county's rate of schools meeting it),
the special school's funding entered as a county figure, the 100-student funding floor a rule of the plan shown
beside a small school's part, and the per-stage enrolment targets entered per stage.

The county fixture (conftest) has 10 schools; the 2025 figures there report no budget (0 元), so every school is
"not reported" until a test gives it its two amounts.
"""

import importlib
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from departments.models import Unit
from indicators.computation.catalogue import load_thresholds
from indicators.computation.compute import compute_year
from indicators.computation.frame import year_frame
from indicators.computation.shortfalls import find_shortfalls
from indicators.computation.training_funds import county_rate, school_training_funds, training_threshold
from indicators.imports import COLUMNS, apply_figures, check_figures
from indicators.models import FIGURE_FIELDS, FundingRule, Indicator, SchoolYearFigures
from indicators.reads.county import county_rows, enterable
from indicators.services.county import enter_county_figure
from workflows.plan_import.loader import load_plan
from workflows.plan_import.parser import parse_plan

from .conftest import YEAR, make_school
from .test_import import GOOD, xlsx

pytestmark = pytest.mark.django_db
TRAINING = "training_budget_share"
NINE = "永安九年一贯制学校"


@pytest.fixture
def two_schools(plan, township):
    return [make_school("城关小学", "primary", township), make_school(NINE, "nine_year", township)]


def give_funds(school, budget, training):
    """The same two amounts on each part of ``school`` (so its share is training / budget)."""
    SchoolYearFigures.objects.filter(part__school=school, year=YEAR).update(
        public_funds_budget=budget, teacher_training_funds=training
    )


def by_name(frame):
    return {row.school_name: row for row in school_training_funds(frame, training_threshold(load_thresholds()))
            .itertuples(index=False)}  # fmt: skip


# --- b. training funds, per school ------------------------------------------------------------------------------


def test_each_school_is_checked_against_its_own_budget(plan, county):
    give_funds(county["小学一"], 100_000, 5_000)  # exactly 5 %
    give_funds(county["小学二"], 100_000, 4_999)  # just short
    give_funds(county["九年一贯制"], 50_000, 3_000)  # two parts: 6,000 ÷ 100,000
    SchoolYearFigures.objects.filter(part__school=county["初中一"]).update(
        public_funds_budget=80_000, teacher_training_funds=None
    )  # the training funds not reported
    SchoolYearFigures.objects.filter(part__school=county["初中二"]).update(public_funds_budget=80_000)  # 0 元
    found = by_name(year_frame(YEAR))
    assert (found["小学一"].share, found["小学一"].ok) == (5.0, True)
    assert (found["小学二"].ok, round(found["小学二"].share, 3)) == (False, 4.999)
    assert (found["九年一贯制"].budget, found["九年一贯制"].training, found["九年一贯制"].ok) == (
        100_000,
        6_000,
        True,
    )
    assert found["初中一"].ok is None
    assert not found["初中一"].reported
    assert (found["初中二"].share, found["初中二"].ok) == (0.0, False)  # reported, and none spent
    assert found["小学三"].ok is None  # a budget of 0: nothing to compare with


def test_apportioned_whole_school_totals_keep_the_schools_ratio(two_schools):
    """100,000 元 and 5,000 元 on a 全校 row, split 1000 : 1200 × 1.1: the primary part gets 43,103.45 and 2,155.17
    (4.99999…% on its own); the school, whose budget it is, has exactly 5 %."""
    shared = ["" for _ in FIGURE_FIELDS[3:]]
    whole = ["永安九年一贯制学校", "全校", "", "", "", *GOOD[3:], 100_000, 5_000]
    rows = [
        ["永安九年一贯制学校", "小学", 1000, 24, 45, *shared],
        ["永安九年一贯制学校", "初中", 1200, 24, 50, *shared],
    ]
    check = check_figures(xlsx([*rows, whole]), YEAR)
    assert check.ok, [str(error) for error in check.result.errors]
    apply_figures(check, None)
    primary = SchoolYearFigures.objects.get(part__stage="primary", year=YEAR)
    assert (primary.public_funds_budget, primary.teacher_training_funds) == (Decimal("43103.45"), Decimal("2155.17"))
    assert primary.teacher_training_funds / primary.public_funds_budget * 100 < 5
    school = by_name(year_frame(YEAR))[NINE]
    assert (school.budget, school.training, school.share, school.ok) == (100_000, 5_000, 5.0, True)


def test_an_upload_without_the_two_columns_still_imports(two_schools):
    headers = [
        column.header for column in COLUMNS if column.key not in ("public_funds_budget", "teacher_training_funds")
    ]
    check = check_figures(xlsx([["城关小学", "小学", *GOOD]], headers=headers), YEAR)
    assert check.ok, [str(error) for error in check.result.errors]
    apply_figures(check, None)
    figures = SchoolYearFigures.objects.get(year=YEAR)
    assert (figures.public_funds_budget, figures.teacher_training_funds) == (None, None)
    assert by_name(year_frame(YEAR))["城关小学"].ok is None


def test_a_school_short_of_the_share_is_a_shortfall(plan, county):
    give_funds(county["小学一"], 100_000, 5_000)
    give_funds(county["初中一"], 200_000, 8_000)  # 4 %
    thresholds = load_thresholds()
    frame = year_frame(YEAR)
    found = [f for f in find_shortfalls(compute_year(YEAR, frame=frame), frame, thresholds) if f.code == TRAINING]
    assert [(f.school_id, f.stage, f.part_id) for f in found] == [(county["初中一"].pk, "", None)]
    assert found[0].text() == "教师培训经费占年度公用经费预算总额比例 4%，标准 5%，差 1%"


def test_the_county_row_is_the_rate_of_schools_meeting_it(plan, county):
    row = {r.code: r for r in county_rows(YEAR)}[TRAINING]
    assert (row.value, row.passed, row.computed) == (None, None, True)
    assert "没有学校填报" in row.basis
    for name in county:
        give_funds(county[name], 100_000, 6_000)
    give_funds(county["小学二"], 100_000, 4_000)
    SchoolYearFigures.objects.filter(part__school=county["初中二"]).update(teacher_training_funds=None)
    row = {r.code: r for r in county_rows(YEAR)}[TRAINING]
    assert row.name == "教师培训经费占学校年度公用经费预算总额比例达标的学校比例"
    assert (row.value, row.value_label, row.passed) == (Decimal("80.00"), "80%", False)  # 8 of 10
    assert row.threshold_label == "= 100%（每所学校 ≥ 5%）"
    assert row.basis == (
        "由各学校数据计算：10所学校中8所达到标准（≥ 5%），1所未达到，"
        "1所未填报年度公用经费预算总额或教师培训经费（计为未达到）"
    )
    give_funds(county["小学二"], 100_000, 5_000)
    give_funds(county["初中二"], 100_000, 5_000)
    row = {r.code: r for r in county_rows(YEAR)}[TRAINING]
    assert (row.value, row.passed) == (Decimal("100.00"), True)


def test_the_rate_is_computed_never_entered(plan, personas):
    office = personas["plan_office"]
    assert f"{TRAINING}|" not in {measure.key for measure in enterable(office)}
    with pytest.raises(ValidationError, match="不需要填报"):
        enter_county_figure(office, YEAR, f"{TRAINING}|", "5")


def test_county_rate_counts():
    import pandas as pd

    rows = pd.DataFrame({"ok": [True, False, None, True]})
    assert county_rate(rows) == (Decimal("50.00"), 2, 1, 1)
    assert county_rate(pd.DataFrame({"ok": [None, None]}))[0] is None


# --- c. special-school funding, a county figure ------------------------------------------------------------------


def test_special_school_funding_is_entered_by_the_finance_bureau_and_checked(plan, make_user):
    finance = make_user("finance", unit=Unit.objects.get(name="县财政局"))
    key = "special_school_funding_per_student|"
    assert key in {measure.key for measure in enterable(finance)}
    row = {r.code: r for r in county_rows(YEAR)}["special_school_funding_per_student"]
    assert (row.name, row.threshold_label, row.responsible_unit, row.passed) == (
        "特殊教育学校生均公用经费",
        "≥ 6000元",
        "县财政局",
        None,
    )
    enter_county_figure(finance, YEAR, key, "5800")
    assert {r.code: r for r in county_rows(YEAR)}["special_school_funding_per_student"].passed is False
    enter_county_figure(finance, YEAR, key, "6000")
    row = {r.code: r for r in county_rows(YEAR)}["special_school_funding_per_student"]
    assert (row.value_label, row.passed) == ("6000元", True)


# --- a. the enrolment targets per stage ------------------------------------------------------------------------


def test_the_enrolment_targets_are_one_row_per_stage(plan, personas):
    office = personas["plan_office"]
    rows = {(r.code, r.scope): r for r in county_rows(YEAR) if r.code == "nearby_enrolment_rate"}
    assert {key: (r.name, r.threshold_label) for key, r in rows.items()} == {
        ("nearby_enrolment_rate", "小学"): ("就近划片入学比例（小学）", "= 100%"),
        ("nearby_enrolment_rate", "初中"): ("就近划片入学比例（初中）", "≥ 95%"),
    }
    enter_county_figure(office, YEAR, "nearby_enrolment_rate|小学", "100")
    enter_county_figure(office, YEAR, "nearby_enrolment_rate|初中", "94")
    rows = {r.scope: r for r in county_rows(YEAR) if r.code == "nearby_enrolment_rate"}
    assert (rows["小学"].passed, rows["初中"].passed) == (True, False)


def test_a_reimport_drops_the_rows_the_plan_no_longer_gives(plan):
    old = Indicator.objects.filter(plan=plan, code="nearby_enrolment_rate").first()
    Indicator.objects.create(**{**_fields(old), "stage": "county", "scope": "城区"})
    summary = load_plan(parse_plan(plan.source_text))
    assert not Indicator.objects.filter(plan=plan, scope="城区").exists()
    assert summary.counts["indicator"]["deleted"] == 1
    assert set(Indicator.objects.filter(plan=plan, code="nearby_enrolment_rate").values_list("stage", flat=True)) == {
        "primary",
        "junior",
    }


def _fields(indicator):
    return {f.name: getattr(indicator, f.name) for f in Indicator._meta.fields if f.name != "id"}


# --- d. the funding floor, a rule -------------------------------------------------------------------------------


def test_the_rule_is_loaded_once_whatever_the_reimports(plan):
    load_plan(parse_plan(plan.source_text))
    load_plan(parse_plan(plan.source_text))
    (rule,) = FundingRule.objects.filter(plan=plan)
    assert (rule.note, rule.section) == ("按100名学生核定公用经费（方案规则）", "二（二）")
    assert rule.applies("primary", 99)
    assert not rule.applies("primary", 100)
    assert not rule.applies("junior", 30)
    assert not rule.applies("primary", 30, special_school=True)


def test_the_migration_turns_old_floor_targets_into_the_rule(plan):
    migration = importlib.import_module("indicators.migrations.0009_funding_floor_is_a_rule")
    FundingRule.objects.filter(plan=plan).delete()
    sentence = "不足100名学生的小学和教学点按100名学生核定公用经费"
    Indicator.objects.create(
        plan=plan, code="funding_floor_students", name="不足100名学生的学校按100名学生核定公用经费",
        stage="primary", scope="不足100名学生的小学和教学点", comparison="gte", threshold=100,
        unit_of_measure="人", level="school", section="二（二）", source_sentence=sentence, order=99,
    )  # fmt: skip
    migration.floor_rows_to_rules(apps, None)
    assert not Indicator.objects.filter(code="funding_floor_students").exists()
    rule = FundingRule.objects.get(plan=plan)
    assert (rule.students, rule.applies_to, rule.stages, rule.name) == (
        100,
        "不足100名学生的小学和教学点",
        ["primary"],
        "按100名学生核定公用经费",
    )
    migration.rules_to_floor_rows(apps, None)  # and back
    assert Indicator.objects.get(code="funding_floor_students").threshold == 100
    assert not FundingRule.objects.exists()


# --- the pages ---------------------------------------------------------------------------------------------------


def test_the_school_page_notes_the_rule_beside_a_small_part_and_shows_the_funds(client, personas, county):
    client.force_login(personas["plan_office"])
    give_funds(county["教学点"], 24_000, 1_000)  # 30 students: funded as 100
    page = client.get(reverse("indicators:school_detail", args=[county["教学点"].pk])).content.decode()
    assert "按100名学生核定公用经费（方案规则）" in page
    assert "= 4.17%（标准 ≥ 5%）未达标" in page
    page = client.get(reverse("indicators:school_detail", args=[county["小学一"].pk])).content.decode()
    assert "方案规则" not in page  # 200 students
    page = client.get(reverse("indicators:school_detail", args=[county["特殊教育学校"].pk])).content.decode()
    assert "方案规则" not in page  # 40 and 20 students, but a special school
    assert "未填报：年度公用经费预算总额或教师培训经费没有填写" in page


def test_the_county_page_shows_the_computed_rate_and_the_special_school_row(client, personas, county):
    for name in county:
        give_funds(county[name], 100_000, 6_000)
    client.force_login(personas["plan_office"])
    page = client.get(reverse("indicators:county_figures"), {"year": YEAR}).content.decode()
    assert "教师培训经费占学校年度公用经费预算总额比例达标的学校比例" in page
    assert "10所学校中10所达到标准（≥ 5%）" in page
    assert "特殊教育学校生均公用经费" in page
    assert "就近划片入学比例（小学）" in page
    assert "就近划片入学比例（初中）" in page
    assert "城区" not in page.split('id="county"')[1].split("</table>")[0].replace("城区和乡镇", "")


def test_the_report_names_the_parts_funded_as_100_students(county):
    from docx import Document

    from indicators.report.sections import write_report

    text = "\n".join(block.text for block in Document(io.BytesIO(write_report(YEAR))).paragraphs)
    assert (
        "按方案规则（不足100名学生的小学和教学点按100名学生核定公用经费），以下学段按100名学生核定公用经费：教学点（小学，30人）。"
    ) in text  # the special school's primary part (40 students) is not a 小学: not listed
