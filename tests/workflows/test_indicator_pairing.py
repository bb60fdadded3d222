"""分别 pairs a county-level target's values with the stages its sentence lists; a funding rule is not a target.

From text only (no database): the plan's own sentence, synthetic variants, and the cases that must not change.
"""

from decimal import Decimal

from workflows.plan_import.indicators import extract_indicators, extract_rules
from workflows.plan_import.parser import parse_plan

from .test_plan_parser import TEXT

NEARBY = "城区和乡镇公办小学、初中就近划片入学比例分别达到100%、95%以上，县内优质高中招生名额分配比例不低于60%。"
FLOOR = "不足100名学生的小学和教学点按100名学生核定公用经费，特殊教育学校生均公用经费不低于6000元。"


def rows(text, code=None):
    found = extract_indicators([(7, "二", "二（二）", text)])
    return [
        (row.code, row.stage, row.scope, row.comparison, row.threshold, row.level)
        for row in found
        if code is None or row.code == code
    ]


def test_respectively_pairs_the_values_with_the_stages_not_the_areas():
    assert rows(NEARBY, "nearby_enrolment_rate") == [
        ("nearby_enrolment_rate", "primary", "", "eq", Decimal(100), "county"),
        ("nearby_enrolment_rate", "junior", "", "gte", Decimal(95), "county"),
    ]


def test_the_plan_itself_gives_primary_100_and_junior_95():
    nearby = [row for row in parse_plan(TEXT).indicators if row.code == "nearby_enrolment_rate"]
    assert [(row.stage, row.scope, row.comparison, row.threshold) for row in nearby] == [
        ("primary", "", "eq", Decimal(100)),
        ("junior", "", "gte", Decimal(95)),
    ]


def test_another_wording_pairs_the_same_way():
    text = "县城及农村公办小学、初中就近入学比例分别不低于98%、96%。"
    assert rows(text, "nearby_enrolment_rate") == [
        ("nearby_enrolment_rate", "primary", "", "gte", Decimal(98), "county"),
        ("nearby_enrolment_rate", "junior", "", "gte", Decimal(96), "county"),
    ]


def test_areas_alone_still_take_the_values_when_no_stages_are_listed():
    text = "城区、乡镇公办学校就近划片入学比例分别达到100%、95%以上。"
    assert rows(text, "nearby_enrolment_rate") == [
        ("nearby_enrolment_rate", "county", "城区", "eq", Decimal(100), "county"),
        ("nearby_enrolment_rate", "county", "乡镇", "gte", Decimal(95), "county"),
    ]


def test_one_value_for_listed_stages_stays_one_county_row():
    text = "小学、初中就近划片入学比例达到100%。"
    assert rows(text, "nearby_enrolment_rate") == [
        ("nearby_enrolment_rate", "county", "", "eq", Decimal(100), "county"),
    ]


def test_the_funding_floor_is_no_target_and_special_school_funding_is_a_county_figure():
    assert rows(FLOOR) == [("special_school_funding_per_student", "special", "", "gte", Decimal(6000), "county")]


def test_the_funding_floor_is_read_as_a_rule_with_its_section():
    text = (
        "一、总体目标\n到2028年……\n二、主要任务\n（一）甲。\n（二）乙。"
        + FLOOR
        + "\n附件1\n不足50名学生的小学按50名学生核定公用经费。\n"
    )
    (rule,) = extract_rules(text)
    assert (rule.code, rule.students, rule.applies_to, rule.stages) == (
        "funding_floor_students",
        100,
        "不足100名学生的小学和教学点",
        ("primary",),
    )
    assert (rule.name, rule.section, rule.line) == ("按100名学生核定公用经费", "二（二）", 5)
    assert rule.source_sentence == "不足100名学生的小学和教学点按100名学生核定公用经费"


def test_another_number_of_students_is_read_from_the_sentence():
    (rule,) = extract_rules("二、任务\n（三）不足60名学生的村小按60名学生核定生均公用经费。\n")
    assert (rule.students, rule.name, rule.applies_to, rule.stages) == (
        60,
        "按60名学生核定公用经费",
        "不足60名学生的村小",
        (),
    )


def test_the_plan_has_its_funding_floor_rule():
    assert [rule.students for rule in extract_rules(TEXT)] == [100]
