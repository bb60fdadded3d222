"""`manage.py import_plan`: what lands in the database, idempotency, and bad documents that write nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from departments.models import Membership, Unit
from indicators.models import FundingRule, Indicator
from workflows.models import DutyTemplate, LeadershipPosition, Phase, Plan

from ..conftest import SHIPPED_PLAN

pytestmark = pytest.mark.django_db

DOC_NUMBER = "奉节府办发〔2021〕100号"
PLAN_MODELS = [Plan, Phase, LeadershipPosition, DutyTemplate, Indicator, Unit, DutyTemplate.cooperating_units.through]


def snapshot():
    """Every row of every table the import writes, as plain values."""
    return {model.__name__: sorted(map(repr, model.objects.values())) for model in PLAN_MODELS}


def run(*args):
    out = StringIO()
    call_command("import_plan", *args, stdout=out)
    return out.getvalue()


def test_fresh_import_creates_the_whole_plan():
    Plan.objects.all().delete()
    Unit.objects.all().delete()
    output = run(str(SHIPPED_PLAN))
    plan = Plan.objects.get(doc_number=DOC_NUMBER)
    assert "导入完成" in output
    assert "职责模板：新建" in output
    assert plan.title == "奉节县推进义务教育优质均衡发展实施方案"
    assert plan.issuer == "奉节县人民政府办公室"
    assert str(plan.issued_on) == "2021-12-01"
    assert plan.supersedes == "奉节府办发〔2020〕59号"
    assert plan.target_year == 2028
    assert [(p.name, str(p.starts_on), str(p.ends_on)) for p in plan.phases.all()] == [
        ("宣传启动", "2021-09-01", "2021-12-31"),
        ("组织实施", "2022-01-01", "2028-10-31"),
        ("评估验收", "2028-10-01", "2028-12-31"),
    ]
    templates = DutyTemplate.objects.filter(plan=plan)
    assert templates.count() >= 62
    assert templates.values("lead_unit").distinct().count() == 27
    assert templates.values("paragraph").distinct().count() == 27


def test_every_annex_1_member_unit_is_a_unit_of_the_leadership_group(plan):
    members = LeadershipPosition.objects.filter(plan=plan, position="member").select_related("unit")
    assert members.count() == 27
    assert all(position.unit.in_leadership_group for position in members)
    assert {p.unit.name for p in members} >= {"县政府办公室", "县委组织部", "县教委", "县残联", "县政府教育督导室"}
    collective = Unit.objects.get(name="各乡镇人民政府（街道办事处）")
    assert collective.kind == Unit.Kind.COLLECTIVE
    assert collective.short_name == "各乡镇（街道）"
    assert LeadershipPosition.objects.get(plan=plan, position="leader").holder == "县政府县长"
    assert LeadershipPosition.objects.get(plan=plan, position="deputy").holder == "县政府分管副县长"
    office = LeadershipPosition.objects.get(plan=plan, position="office")
    director = LeadershipPosition.objects.get(plan=plan, position="office_director")
    assert office.unit.name == director.unit.name == "县教委"
    assert director.holder == "县教委主任"


def test_cooperating_units_are_resolved_to_units(plan):
    clause = DutyTemplate.objects.get(plan=plan, lead_unit__name="县生态环境局", clause=1)
    assert sorted(u.name for u in clause.cooperating_units.all()) == ["县城管局", "县市场监管局"]
    disabled = DutyTemplate.objects.get(plan=plan, lead_unit__name="县残联")
    assert sorted(u.name for u in disabled.cooperating_units.all()) == ["县教委", "各乡镇人民政府（街道办事处）"]


def test_clause_text_is_verbatim_and_traceable(plan):
    first = DutyTemplate.objects.get(plan=plan, paragraph=1, clause=1)
    assert first.text == "县委组织部（县考核办）将义务教育优质均衡发展创建工作，纳入全县年度目标责任考核"
    assert first.text in plan.source_text
    assert all(t.text in plan.source_text for t in DutyTemplate.objects.filter(plan=plan))


# (code, stage, scope, comparison, threshold, unit of measure, level)
CATALOGUE = [
    ("teachers_above_degree_per_100", "primary", "", "gte", "4.2", "人", "school"),
    ("teachers_above_degree_per_100", "junior", "", "gte", "5.3", "人", "school"),
    ("key_teachers_per_100", "primary", "", "gte", "1", "人", "school"),
    ("key_teachers_per_100", "junior", "", "gte", "1", "人", "school"),
    ("pe_art_teachers_per_100", "primary", "", "gte", "0.9", "人", "school"),
    ("pe_art_teachers_per_100", "junior", "", "gte", "0.9", "人", "school"),
    ("teaching_room_area_per_student", "primary", "", "gte", "4.5", "平方米", "school"),
    ("teaching_room_area_per_student", "junior", "", "gte", "5.8", "平方米", "school"),
    ("sports_area_per_student", "primary", "", "gte", "7.5", "平方米", "school"),
    ("sports_area_per_student", "junior", "", "gte", "10.2", "平方米", "school"),
    ("equipment_value_per_student", "primary", "", "gte", "2000", "元", "school"),
    ("equipment_value_per_student", "junior", "", "gte", "2500", "元", "school"),
    ("multimedia_rooms_per_100", "primary", "", "gte", "2.3", "间", "school"),
    ("multimedia_rooms_per_100", "junior", "", "gte", "2.4", "间", "school"),
    ("difference_coefficient", "primary", "", "lte", "0.50", "", "county"),
    ("difference_coefficient", "junior", "", "lte", "0.45", "", "county"),
    ("music_rooms_per_12_classes", "primary", "", "gte", "1", "间", "school"),
    ("music_rooms_per_12_classes", "junior", "", "gte", "1", "间", "school"),
    ("art_rooms_per_12_classes", "primary", "", "gte", "1", "间", "school"),
    ("art_rooms_per_12_classes", "junior", "", "gte", "1", "间", "school"),
    ("music_room_area", "primary", "", "gte", "96", "平方米", "school"),
    ("music_room_area", "junior", "", "gte", "96", "平方米", "school"),
    ("art_room_area", "primary", "", "gte", "90", "平方米", "school"),
    ("art_room_area", "junior", "", "gte", "90", "平方米", "school"),
    ("school_size", "primary", "", "lte", "2000", "人", "school"),
    ("school_size", "junior", "", "lte", "2000", "人", "school"),
    ("school_size", "nine_year", "", "lte", "2500", "人", "school"),
    ("class_size", "primary", "", "lte", "45", "人", "school"),
    ("class_size", "junior", "", "lte", "50", "人", "school"),
    ("special_school_funding_per_student", "special", "", "gte", "6000", "元", "county"),
    ("teacher_pay_vs_civil_servants", "county", "", "gte", "100", "%", "county"),
    ("training_360_hours_rate", "county", "", "eq", "100", "%", "county"),
    ("rotation_rate", "county", "", "gte", "10", "%", "county"),
    ("key_teacher_rotation_share", "county", "", "gte", "20", "%", "county"),
    ("certification_rate", "county", "", "eq", "100", "%", "county"),
    ("nearby_enrolment_rate", "primary", "", "eq", "100", "%", "county"),
    ("nearby_enrolment_rate", "junior", "", "gte", "95", "%", "county"),
    ("high_school_quota_share", "county", "", "gte", "60", "%", "county"),
    ("migrant_children_public_rate", "county", "", "gte", "85", "%", "county"),
    ("junior_retention_rate", "junior", "", "gte", "95", "%", "county"),
    ("disabled_enrolment_rate", "county", "", "gte", "95", "%", "county"),
    ("training_budget_share", "county", "", "gte", "5", "%", "school"),
    ("quality_monitoring_level", "county", "", "gte", "3", "级", "county"),
    ("quality_difference_rate", "county", "", "lt", "0.15", "", "county"),
    ("social_recognition_rate", "county", "", "gte", "85", "%", "county"),
]


@pytest.mark.parametrize(
    ("code", "stage", "scope", "comparison", "threshold", "unit", "level"),
    CATALOGUE,
    ids=[f"{r[0]}-{r[1]}{r[2]}" for r in CATALOGUE],
)
def test_indicator_catalogue_thresholds(plan, code, stage, scope, comparison, threshold, unit, level):
    indicator = Indicator.objects.get(plan=plan, code=code, stage=stage, scope=scope)
    assert indicator.comparison == comparison
    assert indicator.threshold == Decimal(threshold)
    assert indicator.unit_of_measure == unit
    assert indicator.level == level
    assert indicator.source_sentence in plan.source_text


def test_the_funding_floor_is_a_rule_of_the_plan_not_a_target(plan):
    rule = FundingRule.objects.get(plan=plan, code="funding_floor_students")
    assert (rule.students, rule.applies_to, rule.stages) == (100, "不足100名学生的小学和教学点", ["primary"])
    assert rule.source_sentence == "不足100名学生的小学和教学点按100名学生核定公用经费"
    assert not Indicator.objects.filter(plan=plan, code="funding_floor_students").exists()


def test_catalogue_has_nothing_unexpected(plan):
    expected = {(code, stage, scope) for code, stage, scope, *_ in CATALOGUE}
    found = set(Indicator.objects.filter(plan=plan).values_list("code", "stage", "scope"))
    assert found == expected


def test_second_import_changes_no_row():
    before = snapshot()
    output = run(str(SHIPPED_PLAN))
    assert "该文号已导入过，内容没有变化" in output
    assert "新建 0，更新 0" in output
    assert snapshot() == before


def test_reimport_keeps_what_the_offices_configured(plan):
    template = DutyTemplate.objects.get(plan=plan, paragraph=1, clause=1)
    template.cadence, template.due_month, template.weight = "quarterly", 3, Decimal("2.5")
    template.save()
    run(str(SHIPPED_PLAN))
    template.refresh_from_db()
    assert (template.cadence, template.due_month, template.weight) == ("quarterly", 3, Decimal("2.5"))


def test_dry_run_prints_what_would_be_created_and_writes_nothing(tmp_path):
    text = SHIPPED_PLAN.read_text(encoding="utf-8").replace("〔2021〕100号", "〔2021〕999号")
    path = tmp_path / "other.txt"
    path.write_text(text, encoding="utf-8")
    before = snapshot()
    output = run(str(path), "--dry-run")
    assert "试运行，未写入任何数据" in output
    assert "计划：新建 1" in output
    assert "职责 附件2-9.1 县司法局" in output
    assert snapshot() == before


def bad_document(tmp_path, edit, encoding="utf-8"):
    """The shipped plan under a new document number, broken by ``edit``."""
    text = SHIPPED_PLAN.read_text(encoding="utf-8").replace("〔2021〕100号", "〔2021〕998号")
    path = tmp_path / "bad.txt"
    path.write_bytes(edit(text).encode(encoding))
    return path


def _without_annex_2(text):
    return text[: text.index("附件2\n")]


def _unknown_unit(text):
    return text.replace("县民政局负责关心贫困家庭子女", "县气象局负责关心贫困家庭子女")


BAD_DOCUMENTS = {
    "missing annex 2": (_without_annex_2, "utf-8", "附件2"),
    "unknown unit": (_unknown_unit, "utf-8", "县气象局"),
    "empty file": (lambda text: "", "utf-8", "空"),
    "wrong encoding": (lambda text: text, "gb18030", "编码"),
}


@pytest.mark.parametrize("case", BAD_DOCUMENTS)
def test_bad_document_names_the_line_and_writes_nothing(tmp_path, case):
    edit, encoding, expected = BAD_DOCUMENTS[case]
    path = bad_document(tmp_path, edit, encoding)
    before = snapshot()
    with pytest.raises(CommandError) as raised:
        run(str(path))
    message = str(raised.value)
    assert expected in message
    if case != "empty file":
        assert "第 " in message
        assert " 行" in message
    assert snapshot() == before


def test_unknown_unit_error_points_at_its_line(tmp_path):
    path = bad_document(tmp_path, _unknown_unit)
    line = next(n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1) if text.startswith("县气象局"))
    with pytest.raises(CommandError, match=f"第 {line} 行"):
        run(str(path))


def test_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="找不到文件"):
        run("/no/such/plan.txt")


def test_gbk_document_imports_with_the_encoding_option(tmp_path):
    path = bad_document(tmp_path, lambda text: text, "gb18030")
    output = run(str(path), "--encoding", "gb18030")
    assert "计划：新建 1" in output
    assert Plan.objects.filter(doc_number="奉节府办发〔2021〕998号").exists()


def test_import_does_not_touch_people(make_user, units):
    make_user("keep", unit=units["own"])
    run(str(SHIPPED_PLAN))
    assert Membership.objects.filter(user__username="keep").count() == 1
