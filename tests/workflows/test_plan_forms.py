"""The three ways a plan assigns duties, read from the document's own structure (no database).

Two synthetic plans of other counties, written for these tests (tests/workflows/plans/): 白鹭县 assigns its
duties by inline tags 〔责任单位：…〕 and has an Annex 1; 青川市 by ranking lists （…，排名第一位为牵头单位，下同）.
The annex form is the shipped Fengjie plan (test_plan_parser.py); here it is mixed with tags and misspelled.
"""

import re
from pathlib import Path

import pytest

from workflows.plan_import.parser import parse_plan
from workflows.plan_import.types import PlanFormatError

from ..conftest import SHIPPED_PLAN

PLANS = Path(__file__).resolve().parent / "plans"
INLINE = (PLANS / "bailu-inline-tags.txt").read_text(encoding="utf-8")
RANKING = (PLANS / "qingchuan-ranking-list.txt").read_text(encoding="utf-8")
FENGJIE = SHIPPED_PLAN.read_text(encoding="utf-8")


def line_of(fragment, text):
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


def assignments(parsed):
    """{place: (form, lead, cooperating, unknown, actors)} of every duty."""
    return {
        d.place: (d.form, d.lead_unit_name, d.cooperating_unit_names, d.unknown_unit_names, d.unresolved_mentions)
        for d in parsed.duties
    }


def test_inline_tags_assign_each_tagged_task_and_nothing_else():
    parsed = parse_plan(INLINE)
    assert assignments(parsed) == {
        # 〔责任单位：…〕: the first unit leads, the others cooperate.
        "二（一）1": ("inline_tag", "县教育体育局", ("县财政局", "各镇人民政府"), (), ()),
        # 〔牵头单位：…；配合单位：…〕, with 和 inside the list (县发展和改革局 keeps its 和).
        "二（一）2": ("inline_tag", "县教育体育局", ("县发展和改革局", "县财政局", "县自然资源局"), (), ()),
        # A misspelled unit in a tag is named, not dropped.
        "二（二）3": ("inline_tag", "县人力资源和社会保障局", ("县财政局",), ("县教肓局",), ()),
        "三（二）": ("inline_tag", "县教育体育局", (), (), ()),
    }
    first = parsed.duties[0]
    # The task's sentences and clauses under one tag stay one duty; the tag is not part of the text.
    assert first.text == (
        "1.配齐教师。每百名学生拥有高于规定学历教师数：小学、初中分别达到4.2人以上、5.3人以上；确保2025年全部达标"
    )
    assert (first.paragraph, first.clause, first.line) == (1, 1, line_of("1.配齐教师", INLINE))
    # General sentences without a tag are not duties.
    assert not any("统筹推进" in d.text or "各司其职" in d.text for d in parsed.duties)
    # Annex 1 still gives the leadership group and the member units.
    assert [u.name for u in parsed.units][:2] == ["县教育体育局", "县财政局"]
    assert {u.name: u.kind for u in parsed.units}["县教育体育局"] == "education_commission"
    assert parsed.doc_number == "白鹭府办发〔2024〕12号"
    assert parsed.target_year == 2027


def test_ranking_lists_with_the_rule_declared_once():
    parsed = parse_plan(RANKING)
    assert assignments(parsed) == {
        # （…，排名第一位为牵头单位，下同）
        "二（一）": ("ranking_list", "市教育局", ("市发展改革局", "市财政局"), (), ()),
        # 下同: a bare list later, the first listed leads.
        "二（二）": ("ranking_list", "市委编办", ("市教育局",), (), ()),
        # Explicit （…牵头，…配合）.
        "二（三）": ("ranking_list", "市人力资源社会保障局", ("市财政局", "市教育局"), (), ()),
        # （各区人民政府负责）, inside the sentence.
        "二（四）": ("ranking_list", "各区人民政府", (), (), ()),
    }
    # （见附件1） is text: 二（五） has no duty.
    assert not any("加强宣传" in d.text for d in parsed.duties)
    assert parsed.duties[0].text == "（一）加快学校建设。新建、改扩建一批义务教育学校，消除大班额"


def test_without_annex_1_the_units_are_those_the_tags_name():
    text = RANKING[: RANKING.index("附件1")] + RANKING[RANKING.index("抄送") :]
    parsed = parse_plan(text)
    in_tag_order = ["市教育局", "市发展改革局", "市财政局", "市委编办", "市人力资源社会保障局", "各区人民政府"]
    assert [u.name for u in parsed.units] == in_tag_order
    assert parsed.positions == ()
    assert assignments(parsed) == assignments(parse_plan(RANKING))


def test_a_document_may_mix_tags_in_its_body_with_an_annex():
    tagged = "（三）提升教育教学质量。切实提高县域义务教育阶段教育普及程度"
    text = FENGJIE.replace(tagged, tagged.replace("。", "。〔牵头单位：县教委；配合单位：县财政局〕", 1))
    parsed = parse_plan(text)
    body = parsed.duties[0]
    assert (body.form, body.place, body.lead_unit_name, body.cooperating_unit_names) == (
        "inline_tag",
        "二（三）",
        "县教委",
        ("县财政局",),
    )
    assert body.text == "（三）提升教育教学质量"
    annexed = parsed.duties[1:]
    assert len(annexed) == 62
    assert {d.form for d in annexed} == {"annex"}
    assert (annexed[0].paragraph, annexed[0].place) == (2, "附件2-1.1")  # numbered after the body's tagged line


def test_annex_clause_naming_an_unknown_unit_and_units_joined_by_he():
    edited = "会同县财政局和县教委建立健全编制动态管理机制；配合县教肓局做好统计"
    text = FENGJIE.replace("建立健全编制动态管理机制，确保用好用活现有编制", edited)
    duties = {d.text: d for d in parse_plan(text).duties if d.lead_unit_name == "县委编办"}
    joined = duties["会同县财政局和县教委建立健全编制动态管理机制"]
    assert (joined.cooperating_unit_names, joined.unknown_unit_names) == (("县财政局", "县教委"), ())
    misspelled = duties["配合县教肓局做好统计"]
    assert (misspelled.cooperating_unit_names, misspelled.unknown_unit_names) == ((), ("县教肓局",))


@pytest.mark.parametrize(
    ("bracket", "is_duty"),
    [
        ("（县教委，县财政局）", True),
        ("（县教委牵头，县财政局、县人力社保局配合）", True),
        ("（见附件1）", False),
        ("（美术、音乐）", False),
        ("（县教委、学校）", False),  # a list with a party that is no unit is text
    ],
)
def test_which_brackets_after_a_task_assign_it(bracket, is_duty):
    sentence = "（四）提高社会认可程度。县政府有关职能部门要切实落实教育公平政策"
    text = FENGJIE.replace(sentence, f"{sentence}{bracket}")
    body = [d for d in parse_plan(text).duties if d.form != "annex"]
    assert bool(body) == is_duty


def test_a_bracket_inside_a_sentence_is_not_a_tag():
    text = FENGJIE.replace("县委组织部（考核办）", "县委组织部（县教委，县财政局）")
    assert {d.form for d in parse_plan(text).duties} == {"annex"}


def test_a_tag_whose_lead_is_no_member_unit_names_its_line():
    text = INLINE.replace("〔责任单位：县教育体育局〕", "〔责任单位：县教体育局〕")
    with pytest.raises(PlanFormatError) as raised:
        parse_plan(text)
    assert raised.value.line == line_of("逐项落实", text)
    assert "无法识别这项任务的牵头单位：“县教体育局”不是成员单位" in raised.value.message


def test_no_annex_2_and_no_tags_is_a_clear_error():
    text = re.sub(r"〔[^〕]*单位：[^〕]*〕", "", INLINE)
    with pytest.raises(PlanFormatError) as raised:
        parse_plan(text)
    assert "找不到“附件2”（成员单位任务分工）" in raised.value.message
    assert "〔责任单位：县教育局、县财政局〕" in raised.value.message
