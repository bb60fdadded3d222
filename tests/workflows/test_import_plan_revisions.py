"""`manage.py import_plan` on the other forms, with unknown units, under --strict, and on a changed document."""

import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from workflows.models import DutyItem, DutyTemplate, Plan

from ..board.board_fixtures import make_item
from ..conftest import SHIPPED_PLAN

pytestmark = pytest.mark.django_db

PLANS = Path(__file__).resolve().parent / "plans"
FENGJIE = SHIPPED_PLAN.read_text(encoding="utf-8")
COLUMNS = ("pk", "paragraph", "clause", "text", "active", "retired_on")
REMOVED = "县委政法委统筹协调县级相关部门开展校园周边环境综合治理。\n"
EDITED = (
    "建立健全编制动态管理机制，确保用好用活现有编制。",
    "建立健全编制动态管理机制，会同县教委和县财政局确保用好用活现有编制。",
)


def run(*args):
    out = StringIO()
    call_command("import_plan", *args, stdout=out)
    return out.getvalue()


def write(tmp_path, text, name="plan.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def second_version():
    return FENGJIE.replace(REMOVED, "").replace(*EDITED)


def test_inline_tag_plan_imports_with_its_forms_and_unknown_names_in_the_summary():
    output = run(str(PLANS / "bailu-inline-tags.txt"))
    assert "导入完成：白鹭县义务教育优质均衡发展实施方案（白鹭府办发〔2024〕12号）" in output
    assert "职责的分工形式：任务后〔责任单位〕标注 4 条" in output
    assert "未能对应成员单位的名称 1 个" in output
    assert "第 16 行（二（二）3）：“县教肓局”不是成员单位" in output
    plan = Plan.objects.get(doc_number="白鹭府办发〔2024〕12号")
    template = DutyTemplate.objects.get(plan=plan, place="二（二）3")
    assert (template.source_form, template.lead_unit.name) == ("inline_tag", "县人力资源和社会保障局")
    assert [unit.name for unit in template.cooperating_units.all()] == ["县财政局"]
    assert template.unresolved_mentions == "县教肓局"
    assert template.position_label == "二（二）3"


def test_ranking_list_plan_imports_and_says_its_form():
    output = run(str(PLANS / "qingchuan-ranking-list.txt"))
    assert "职责的分工形式：任务后单位排名列表 4 条" in output
    plan = Plan.objects.get(doc_number="青川府办〔2019〕10号")
    assert DutyTemplate.objects.filter(plan=plan, source_form="ranking_list").count() == 4


def test_strict_refuses_an_unknown_unit_and_writes_nothing():
    plans = Plan.objects.count()
    with pytest.raises(CommandError) as raised:
        run(str(PLANS / "bailu-inline-tags.txt"), "--strict")
    assert "--strict：1 个名称不是成员单位，没有导入任何内容：第 16 行（二（二）3）：“县教肓局”不是成员单位" in str(
        raised.value
    )
    assert Plan.objects.count() == plans


def test_strict_accepts_the_shipped_plan():
    assert "该文号已导入过，内容没有变化" in run(str(SHIPPED_PLAN), "--strict")


def test_changed_document_dry_run_shows_the_diff_and_writes_nothing(tmp_path):
    before = list(DutyTemplate.objects.order_by("pk").values_list(*COLUMNS))
    output = run(write(tmp_path, second_version()), "--dry-run", "--allow-partial")
    assert "与已导入的版本相比，职责将有 2 处变化：" in output
    assert "修改 附件2-2.2 县委编办：建立健全编制动态管理机制，会同县教委和县财政局确保用好用活现有编制" in output
    assert "配合单位 无 → 县教委、县财政局；原文“建立健全编制动态管理机制，确保用好用活现有编制”" in output
    assert "用好用活现有编制”；原位置 附件2-3.2" in output
    assert "停用 附件2-2.1 县委政法委：县委政法委统筹协调县级相关部门开展校园周边环境综合治理" in output
    assert "（新版本中没有这一条：停用，已有任务保留）" in output
    assert "另有 59 条内容未变、位置将变化" in output
    assert "职责模板：新建 0，更新 60，未变 1，停用 1" in output
    assert list(DutyTemplate.objects.order_by("pk").values_list(*COLUMNS)) == before


def test_changed_document_retires_the_vanished_duty_and_keeps_templates_with_their_items(tmp_path, plan):
    retired = DutyTemplate.objects.get(plan=plan, text__startswith="县委政法委统筹协调")
    moved = DutyTemplate.objects.get(plan=plan, text__startswith="县委编办负责核定学校教职工编制")
    moved.cadence, moved.weight = "quarterly", Decimal("2.5")
    moved.save()
    item = make_item(retired.lead_unit, template=retired, kind=DutyItem.Kind.DUTY)
    run(write(tmp_path, second_version()), "--allow-partial")

    retired.refresh_from_db()
    assert (retired.active, retired.retired_on) == (False, timezone.localdate())
    assert DutyItem.objects.get(pk=item.pk).template_id == retired.pk  # the item stays, on its template
    moved.refresh_from_db()
    assert (moved.paragraph, moved.clause, moved.place) == (2, 1, "附件2-2.1")  # same template, new place
    assert (moved.cadence, moved.weight) == ("quarterly", Decimal("2.5"))  # the office's settings untouched
    edited = DutyTemplate.objects.get(plan=plan, place="附件2-2.2")
    assert sorted(unit.name for unit in edited.cooperating_units.all()) == ["县教委", "县财政局"]
    assert DutyTemplate.objects.filter(plan=plan, retired_on__isnull=True).count() == 61

    output = run(str(SHIPPED_PLAN))  # the first version again: the retired duty comes back
    assert "恢复 附件2-2.1 县委政法委" in output
    retired.refresh_from_db()
    assert (retired.active, retired.retired_on, retired.place) == (True, None, "附件2-2.1")


def test_a_template_the_office_switched_off_stays_off(tmp_path, plan):
    switched_off = DutyTemplate.objects.get(plan=plan, place="附件2-5.2")
    switched_off.active = False
    switched_off.save()
    run(write(tmp_path, second_version()), "--allow-partial")
    run(str(SHIPPED_PLAN))
    switched_off.refresh_from_db()
    assert (switched_off.active, switched_off.retired_on) == (False, None)


def test_a_target_the_new_version_no_longer_gives_is_deleted_and_said(tmp_path):
    text = FENGJIE.replace("社会认可度达到85%以上", "社会认可度明显提高")
    output = run(write(tmp_path, text), "--dry-run")
    assert re.search(r"指标：新建 0，更新 0，未变 \d+，删除 1\n", output)
