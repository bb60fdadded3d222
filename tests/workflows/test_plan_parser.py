"""The plan parser: the shipped Fengjie plan read by its structure, its errors, and a second county's plan."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from departments.models import Unit
from indicators.models import Indicator
from workflows.models import LeadershipPosition
from workflows.plan_import.parser import parse_plan, read_plan_file, split_lines
from workflows.plan_import.types import PlanFormatError

SHIPPED_PLAN = Path(__file__).resolve().parents[2] / "workflows" / "data" / "fengjie-2021-100.txt"
TEXT = SHIPPED_PLAN.read_text(encoding="utf-8")
LINES = TEXT.splitlines()
CLAUSE_COUNT = 62


@pytest.fixture(scope="module")
def plan():
    return parse_plan(TEXT)


def line_of(prefix, text=TEXT):
    return next(n for n, line in enumerate(text.splitlines(), start=1) if line.strip().startswith(prefix))


def parse_error(text):
    with pytest.raises(PlanFormatError) as raised:
        parse_plan(text)
    return raised.value


# --- header, phases, leadership group ------------------------------------------------------------


def test_header(plan):
    assert plan.doc_number == "奉节府办发〔2021〕100号"
    assert plan.issuer == "奉节县人民政府办公室"
    assert plan.title == "奉节县推进义务教育优质均衡发展实施方案"
    assert plan.issued_on == date(2021, 12, 1)
    assert plan.supersedes == "奉节府办发〔2020〕59号"
    assert plan.target_year == 2028
    assert plan.source_text == TEXT


def test_phases(plan):
    assert [(p.order, p.name, p.starts_on, p.ends_on, p.line) for p in plan.phases] == [
        (1, "宣传启动", date(2021, 9, 1), date(2021, 12, 31), line_of("（一）宣传启动阶段")),
        (2, "组织实施", date(2022, 1, 1), date(2028, 10, 31), line_of("（二）组织实施阶段")),
        (3, "评估验收", date(2028, 10, 1), date(2028, 12, 31), line_of("（三）评估验收阶段")),
    ]
    assert plan.phases[0].description.startswith("认真组织学习")
    assert plan.phases[2].description == "向市、国家上报优质均衡相关资料；部署验收工作；接受市和国家的评估验收。"


def test_leadership_positions(plan):
    positions = plan.positions
    assert [p.order for p in positions] == list(range(1, 32))
    assert (positions[0].position, positions[0].holder, positions[0].unit_name) == ("leader", "县政府县长", None)
    assert (positions[1].position, positions[1].holder, positions[1].unit_name) == ("deputy", "县政府分管副县长", None)
    members = [p for p in positions if p.position == "member"]
    assert len(members) == 27
    assert members[0].unit_name == "县政府办公室"
    assert members[-1].unit_name == "各乡镇人民政府（街道办事处）"
    assert all(p.holder == p.unit_name for p in members)
    office, director = positions[-2:]
    assert (office.position, office.holder, office.unit_name) == ("office", "领导小组办公室", "县教委")
    assert (director.position, director.holder, director.unit_name) == ("office_director", "县教委主任", "县教委")
    assert {p.position for p in positions} <= set(LeadershipPosition.Position.values)


def test_member_units_kinds_and_short_names(plan):
    kinds = {unit.name: unit.kind for unit in plan.units}
    assert len(kinds) == 27
    assert kinds["县委组织部"] == kinds["县委政法委"] == kinds["县委编办"] == "party_committee"
    assert kinds["县政府办公室"] == "government_office"
    assert kinds["县政府教育督导室"] == "supervision_office"
    assert kinds["县教委"] == "education_commission"
    assert kinds["县残联"] == "peoples_organisation"
    assert kinds["各乡镇人民政府（街道办事处）"] == "collective"
    assert kinds["县财政局"] == kinds["县住房城乡建委"] == "government_department"
    assert set(kinds.values()) <= set(Unit.Kind.values)
    short_names = {unit.name: unit.short_name for unit in plan.units if unit.short_name}
    assert short_names == {"各乡镇人民政府（街道办事处）": "各乡镇（街道）"}


# --- annex 2: duties -----------------------------------------------------------------------------


def test_annex_2_paragraphs_and_clauses(plan):
    paragraphs = {duty.paragraph: duty.lead_unit_name for duty in plan.duties}
    assert list(paragraphs) == list(range(1, 28))
    assert paragraphs[1] == "县委组织部"
    assert paragraphs[22] == "县统计局"
    assert paragraphs[27] == "各乡镇人民政府（街道办事处）"
    assert len(plan.duties) == CLAUSE_COUNT
    first = plan.duties[0]
    assert (first.paragraph, first.clause, first.line) == (1, 1, line_of("县委组织部（县考核办）"))
    assert first.text == "县委组织部（县考核办）将义务教育优质均衡发展创建工作，纳入全县年度目标责任考核"
    assert [d.text for d in plan.duties if d.paragraph == 3] == [
        "县委编办负责核定学校教职工编制，并向边远艰苦学校和特小规模学校适度倾斜",
        "建立健全编制动态管理机制，确保用好用活现有编制",
    ]


def test_clause_texts_rebuild_their_paragraphs(plan):
    for number in range(1, 28):
        clauses = [d for d in plan.duties if d.paragraph == number]
        assert [d.clause for d in clauses] == list(range(1, len(clauses) + 1))
        paragraph, position = LINES[clauses[0].line - 1].strip(), 0
        for duty in clauses:
            assert paragraph.startswith(duty.text, position)
            position += len(duty.text)
            assert position == len(paragraph) or paragraph[position] in "；。"
            position += 1
        assert position >= len(paragraph)


def duty_containing(plan, lead, fragment):
    return next(d for d in plan.duties if d.lead_unit_name == lead and fragment in d.text)


COOPERATION = [
    ("县生态环境局", "会同城市管理、市场监督部门", ("县城管局", "县市场监管局"), ()),
    ("县发展改革委", "配合财政、教育等部门督导检查", ("县财政局", "县教委"), ()),
    ("县教委", "与机构编制等部门", ("县委编办",), ()),
    ("县公安局", "会同学校、教育部门", ("县教委",), ("学校",)),
    ("县公安局", "牵头组织有关部门", (), ()),
    ("县财政局", "配合发改、教育等部门", ("县发展改革委", "县教委"), ()),
    ("县人力社保局", "会同县教委做好", ("县教委",), ()),
    ("县人力社保局", "配合相关部门", (), ()),
    ("县市场监管局", "配合人社部门", ("县人力社保局",), ()),
    ("县统计局", "协助县教委做好", ("县教委", "县财政局"), ()),  # 指导教育、财政等部门 (see parties.GUIDED_DEPARTMENTS)
    ("县政府教育督导室", "共同推进", ("各乡镇人民政府（街道办事处）",), ()),  # 督促各乡镇（街道）…共同推进
    ("县残联", "配合乡镇（街道）、教育部门", ("各乡镇人民政府（街道办事处）", "县教委"), ()),
    ("县卫生健康委", "配合学校做好", (), ("学校",)),
    ("县教委", "配合做好教师工资", (), ()),
    ("县住房城乡建委", "协助做好学校建设项目", (), ()),
    ("县审计局", "审计与监督", (), ()),
    ("各乡镇人民政府（街道办事处）", "广泛参与", (), ()),
]


@pytest.mark.parametrize(("lead", "fragment", "units", "mentions"), COOPERATION)
def test_cooperating_units(plan, lead, fragment, units, mentions):
    duty = duty_containing(plan, lead, fragment)
    assert duty.cooperating_unit_names == units
    assert duty.unresolved_mentions == mentions


def test_cooperating_units_never_include_the_lead(plan):
    names = {unit.name for unit in plan.units}
    for duty in plan.duties:
        assert duty.lead_unit_name not in duty.cooperating_unit_names
        assert set(duty.cooperating_unit_names) <= names


# --- indicators ----------------------------------------------------------------------------------

# (code, stage, scope, comparison, threshold, unit of measure, level, section)
CATALOGUE = [
    ("teachers_above_degree_per_100", "primary", "", "gte", "4.2", "人", "school", "二（一）"),
    ("teachers_above_degree_per_100", "junior", "", "gte", "5.3", "人", "school", "二（一）"),
    ("key_teachers_per_100", "primary", "", "gte", "1", "人", "school", "二（一）"),
    ("key_teachers_per_100", "junior", "", "gte", "1", "人", "school", "二（一）"),
    ("pe_art_teachers_per_100", "primary", "", "gte", "0.9", "人", "school", "二（一）"),
    ("pe_art_teachers_per_100", "junior", "", "gte", "0.9", "人", "school", "二（一）"),
    ("teaching_room_area_per_student", "primary", "", "gte", "4.5", "平方米", "school", "二（一）"),
    ("teaching_room_area_per_student", "junior", "", "gte", "5.8", "平方米", "school", "二（一）"),
    ("sports_area_per_student", "primary", "", "gte", "7.5", "平方米", "school", "二（一）"),
    ("sports_area_per_student", "junior", "", "gte", "10.2", "平方米", "school", "二（一）"),
    ("equipment_value_per_student", "primary", "", "gte", "2000", "元", "school", "二（一）"),
    ("equipment_value_per_student", "junior", "", "gte", "2500", "元", "school", "二（一）"),
    ("multimedia_rooms_per_100", "primary", "", "gte", "2.3", "间", "school", "二（一）"),
    ("multimedia_rooms_per_100", "junior", "", "gte", "2.4", "间", "school", "二（一）"),
    ("difference_coefficient", "primary", "", "lte", "0.50", "", "county", "二（一）"),
    ("difference_coefficient", "junior", "", "lte", "0.45", "", "county", "二（一）"),
    ("music_rooms_per_12_classes", "primary", "", "gte", "1", "间", "school", "二（二）"),
    ("music_rooms_per_12_classes", "junior", "", "gte", "1", "间", "school", "二（二）"),
    ("art_rooms_per_12_classes", "primary", "", "gte", "1", "间", "school", "二（二）"),
    ("art_rooms_per_12_classes", "junior", "", "gte", "1", "间", "school", "二（二）"),
    ("music_room_area", "primary", "", "gte", "96", "平方米", "school", "二（二）"),
    ("music_room_area", "junior", "", "gte", "96", "平方米", "school", "二（二）"),
    ("art_room_area", "primary", "", "gte", "90", "平方米", "school", "二（二）"),
    ("art_room_area", "junior", "", "gte", "90", "平方米", "school", "二（二）"),
    ("school_size", "primary", "", "lte", "2000", "人", "school", "二（二）"),
    ("school_size", "junior", "", "lte", "2000", "人", "school", "二（二）"),
    ("school_size", "nine_year", "", "lte", "2500", "人", "school", "二（二）"),
    ("class_size", "primary", "", "lte", "45", "人", "school", "二（二）"),
    ("class_size", "junior", "", "lte", "50", "人", "school", "二（二）"),
    ("special_school_funding_per_student", "special", "", "gte", "6000", "元", "county", "二（二）"),
    ("teacher_pay_vs_civil_servants", "county", "", "gte", "100", "%", "county", "二（二）"),
    ("training_360_hours_rate", "county", "", "eq", "100", "%", "county", "二（二）"),
    ("rotation_rate", "county", "", "gte", "10", "%", "county", "二（二）"),
    ("key_teacher_rotation_share", "county", "", "gte", "20", "%", "county", "二（二）"),
    ("certification_rate", "county", "", "eq", "100", "%", "county", "二（二）"),
    ("nearby_enrolment_rate", "primary", "", "eq", "100", "%", "county", "二（二）"),
    ("nearby_enrolment_rate", "junior", "", "gte", "95", "%", "county", "二（二）"),
    ("high_school_quota_share", "county", "", "gte", "60", "%", "county", "二（二）"),
    ("migrant_children_public_rate", "county", "", "gte", "85", "%", "county", "二（二）"),
    ("junior_retention_rate", "junior", "", "gte", "95", "%", "county", "二（三）"),
    ("disabled_enrolment_rate", "county", "", "gte", "95", "%", "county", "二（三）"),
    ("training_budget_share", "county", "", "gte", "5", "%", "school", "二（三）"),
    ("quality_monitoring_level", "county", "", "gte", "3", "级", "county", "二（三）"),
    ("quality_difference_rate", "county", "", "lt", "0.15", "", "county", "二（三）"),
    ("social_recognition_rate", "county", "", "gte", "85", "%", "county", "二（四）"),
]


def test_indicator_catalogue_is_complete_and_in_document_order(plan):
    assert [(i.code, i.stage, i.scope) for i in plan.indicators] == [row[:3] for row in CATALOGUE]
    assert [i.order for i in plan.indicators] == list(range(1, len(CATALOGUE) + 1))


@pytest.mark.parametrize("row", CATALOGUE, ids=[f"{row[0]}-{row[1]}{row[2]}" for row in CATALOGUE])
def test_indicator_threshold(plan, row):
    code, stage, scope, comparison, threshold, unit, level, section = row
    indicator = next(i for i in plan.indicators if (i.code, i.stage, i.scope) == (code, stage, scope))
    assert indicator.comparison == comparison
    assert indicator.threshold == Decimal(threshold)
    assert str(indicator.threshold) == threshold
    assert indicator.unit_of_measure == unit
    assert indicator.level == level
    assert indicator.section == section
    assert indicator.name
    assert indicator.source_sentence in LINES[indicator.line - 1]


def test_indicator_values_are_model_choices(plan):
    for indicator in plan.indicators:
        assert indicator.stage in Indicator.Stage.values
        assert indicator.comparison in Indicator.Comparison.values
        assert indicator.level in Indicator.Level.values


def test_indicator_names_and_source_sentences(plan):
    by_code = {i.code: i for i in plan.indicators}
    assert by_code["teachers_above_degree_per_100"].name == "每百名学生拥有高于规定学历教师数"
    assert by_code["difference_coefficient"].name == "校际差异系数"
    assert by_code["school_size"].name == "学校规模"
    assert by_code["class_size"].name == "班级学生数"
    assert by_code["training_360_hours_rate"].name == "教师5年360学时培训完成率"
    assert by_code["social_recognition_rate"].name == "社会认可度"
    assert by_code["sports_area_per_student"].source_sentence == (
        "生均体育运动场馆面积:小学、初中分别达到7.5平方米以上、10.2平方米以上"
    )
    assert by_code["difference_coefficient"].source_sentence == (
        "同时，所有指标校际差异系数，小学均小于或等于0.50，初中均小于或等于0.45"
    )
    assert by_code["training_budget_share"].source_sentence == (
        "所有学校按照不低于学校年度公用经费预算总额的5%安排教师培训经费"
    )


def test_unknown_numeric_target_is_kept_with_a_section_code():
    text = TEXT.replace("，并向农村初中倾斜。", "，每年新增公办学位不少于800个。")
    extra = [i for i in parse_plan(text).indicators if i.code.startswith("section-")]
    assert [(i.code, i.stage, i.comparison, i.threshold, i.unit_of_measure) for i in extra] == [
        ("section-2-1", "county", "gte", Decimal(800), "个")
    ]
    assert extra[0].name == "每年新增公办学位"


# --- errors --------------------------------------------------------------------------------------


def replace_line(number, new_text, text=TEXT):
    lines = text.split("\n")
    lines[number - 1] = new_text
    return "\n".join(lines)


def test_missing_annex_2_points_at_the_last_line():
    error = parse_error(replace_line(line_of("附件2"), ""))
    assert error.line == len(LINES)
    assert "找不到“附件2”（成员单位任务分工）" in error.message


def test_missing_annex_1():
    error = parse_error(replace_line(line_of("附件1"), ""))
    assert error.line == len(LINES)
    assert "附件1" in error.message


def test_unrecognised_lead_unit_names_its_line():
    text = TEXT.replace("县审计局要对教育经费", "县审核局要对教育经费")
    error = parse_error(text)
    assert error.line == line_of("县审核局", text)
    assert "无法识别本段的牵头单位：段首应为附件1所列成员单位之一，实际为“县审核局" in error.message
    assert str(error).startswith(f"第 {error.line} 行：")


def test_missing_doc_number():
    error = parse_error(replace_line(line_of("奉节府办发〔2021〕100号"), ""))
    assert error.line == line_of("奉节县人民政府办公室")
    assert "找不到发文字号" in error.message
    assert "〔2021〕100号" in error.message


def test_unreadable_phase_date():
    text = TEXT.replace("（2022年1月—2028年10月）", "（2022年春季—2028年10月）")
    error = parse_error(text)
    assert error.line == line_of("（二）组织实施阶段")
    assert "无法读取阶段的起止时间" in error.message
    assert "2021年9月—2021年12月" in error.message


def test_missing_member_line():
    error = parse_error(TEXT.replace("成   员：", "单位："))
    assert error.line == line_of("附件1")
    assert "成员" in error.message


def test_no_indicators_in_section_2():
    text = TEXT
    for number in range(line_of("（一）均衡配置教育资源"), line_of("三、实施步骤")):
        text = replace_line(number, "（一）加强管理。", text)
    error = parse_error(text)
    assert error.line == line_of("二、重点任务")
    assert "找不到量化指标" in error.message


def test_empty_text_and_empty_file(tmp_path):
    assert parse_error("").line == 0
    path = tmp_path / "empty.txt"
    path.write_text(" \n\u3000\n", encoding="utf-8")
    with pytest.raises(PlanFormatError) as raised:
        read_plan_file(path)
    assert raised.value.line in (0, 1)
    assert "文件是空的" in raised.value.message


def test_gbk_bytes_read_as_utf8_name_the_line_and_the_encoding_option(tmp_path):
    path = tmp_path / "gbk.txt"
    gbk_text = TEXT.replace("\xa0", " ")  # GBK has no no-break space
    path.write_bytes(gbk_text.encode("gbk"))
    with pytest.raises(PlanFormatError) as raised:
        read_plan_file(path)
    assert raised.value.line == line_of("奉节府办发")
    assert "--encoding gb18030" in raised.value.message
    assert read_plan_file(path, encoding="gb18030") == gbk_text


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8"))
    text = read_plan_file(path)
    assert not text.startswith("\ufeff")
    parsed = parse_plan("\ufeff" + text)
    assert parsed.doc_number == "奉节府办发〔2021〕100号"
    assert len(parsed.duties) == CLAUSE_COUNT
    assert len(split_lines(text)) == len(LINES)


# --- a second county ------------------------------------------------------------------------------

OTHER_COUNTY = """
云溪府办发〔2023〕7号
云溪县人民政府办公室
关于印发云溪县义务教育优质均衡发展推进方案的通知
各镇人民政府、街道办事处，县级有关部门：
《云溪县义务教育优质均衡发展推进方案》已经县政府同意，现印发给你们。
云溪县人民政府办公室
2023年3月15日
云溪县义务教育优质均衡发展推进方案
一、工作目标
到2026年，全县实现义务教育优质均衡发展。
二、主要任务
（一）配齐配足资源。每百名学生拥有高于规定学历教师数：小学、初中分别达到4.6人以上、5.5人以上；生均教学仪器设备值：小学、初中分别达到2200元以上、2800元以上。
（二）强化保障。小学、初中所有班级学生数分别不超过40人、48人，每年新增公办学位不少于800个。
三、工作步骤
（一）动员部署阶段（2023年3月—6月）。
召开动员会。
（二）全面推进阶段（2023年7月—2026年底）。
逐项整改。
附件1
云溪县义务教育优质均衡发展工作领导小组
组  长：县政府县长
副组长：县政府分管副县长、县教育局局长
成  员：县政府办公室、县委编办、县教育局、县财政局、县人力资源社会保障局、团县委、各镇人民政府（街道办事处）等单位负责人
领导小组办公室设在县教育局，办公室主任由县教育局局长兼任。
附件2
成员单位任务分工
县教育局牵头做好日常工作；会同县财政局做好经费保障。
县财政局落实教育经费；配合教育、人社等部门做好教师待遇保障。
县人力资源社会保障局做好教师招聘；配合相关部门维护儿童权益。
县委编办核定教职工编制。
团县委开展关爱活动，配合各镇（街道）、学校做好宣传。
各镇（街道）负责控辍保学；协助县教育局做好学位建设。
抄送：县人大常委会办公室。
"""


def test_another_county_parses_with_its_own_units_and_numbers():
    other = parse_plan(OTHER_COUNTY)
    assert (other.doc_number, other.issuer, other.title) == (
        "云溪府办发〔2023〕7号",
        "云溪县人民政府办公室",
        "云溪县义务教育优质均衡发展推进方案",
    )
    assert (other.issued_on, other.supersedes, other.target_year) == (date(2023, 3, 15), "", 2026)
    assert [(p.name, p.starts_on, p.ends_on) for p in other.phases] == [
        ("动员部署", date(2023, 3, 1), date(2023, 6, 30)),
        ("全面推进", date(2023, 7, 1), date(2026, 12, 31)),
    ]
    units = {unit.name: (unit.kind, unit.short_name) for unit in other.units}
    assert units == {
        "县政府办公室": ("government_office", ""),
        "县委编办": ("party_committee", ""),
        "县教育局": ("education_commission", ""),
        "县财政局": ("government_department", ""),
        "县人力资源社会保障局": ("government_department", ""),
        "团县委": ("peoples_organisation", ""),
        "各镇人民政府（街道办事处）": ("collective", "各镇（街道）"),
    }
    assert [(p.position, p.holder, p.unit_name) for p in other.positions if p.position != "member"] == [
        ("leader", "县政府县长", None),
        ("deputy", "县政府分管副县长", None),
        ("deputy", "县教育局局长", "县教育局"),
        ("office", "领导小组办公室", "县教育局"),
        ("office_director", "县教育局局长", "县教育局"),
    ]
    duties = {
        (d.paragraph, d.clause): (d.lead_unit_name, d.cooperating_unit_names, d.unresolved_mentions)
        for d in other.duties
    }
    assert duties == {
        (1, 1): ("县教育局", (), ()),
        (1, 2): ("县教育局", ("县财政局",), ()),
        (2, 1): ("县财政局", (), ()),
        (2, 2): ("县财政局", ("县教育局", "县人力资源社会保障局"), ()),
        (3, 1): ("县人力资源社会保障局", (), ()),
        (3, 2): ("县人力资源社会保障局", (), ()),
        (4, 1): ("县委编办", (), ()),
        (5, 1): ("团县委", ("各镇人民政府（街道办事处）",), ("学校",)),
        (6, 1): ("各镇人民政府（街道办事处）", (), ()),
        (6, 2): ("各镇人民政府（街道办事处）", ("县教育局",), ()),
    }
    assert [(i.code, i.stage, i.comparison, i.threshold, i.unit_of_measure, i.section) for i in other.indicators] == [
        ("teachers_above_degree_per_100", "primary", "gte", Decimal("4.6"), "人", "二（一）"),
        ("teachers_above_degree_per_100", "junior", "gte", Decimal("5.5"), "人", "二（一）"),
        ("equipment_value_per_student", "primary", "gte", Decimal("2200"), "元", "二（一）"),
        ("equipment_value_per_student", "junior", "gte", Decimal("2800"), "元", "二（一）"),
        ("class_size", "primary", "lte", Decimal("40"), "人", "二（二）"),
        ("class_size", "junior", "lte", Decimal("48"), "人", "二（二）"),
        ("section-2-1", "county", "gte", Decimal("800"), "个", "二（二）"),
    ]
