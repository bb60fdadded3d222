"""`manage.py import_plan` refuses a copy of the plan cut short — no 印发 line after the annexes, or member units
without duties — unless ``--allow-partial``, and says which units got none; the shipped plan passes untouched."""

import pytest
from django.core.management import CommandError

from workflows.models import DutyTemplate, Plan
from workflows.plan_import.completeness import Completeness, check_completeness

from ..conftest import SHIPPED_PLAN
from .test_import_plan import run, snapshot

pytestmark = pytest.mark.django_db

COPY_NUMBER = "奉节府办发〔2021〕997号"
# Cut before 县城管局's paragraph: 35 of the 62 duties are left, and these 13 units (Annex 1's order) have none.
CUT_AT = "县城管局负责加强对校园周边"
UNITS_CUT_OFF = (
    "县城管局、县交通局、县农业农村委、县文化旅游委、县卫生健康委、县审计局、县市场监管局、县统计局、县乡村振兴局、"
    "县税务局、县残联、县政府教育督导室、各乡镇人民政府（街道办事处）"
)
NO_ENDING = "文件没有以版记结尾：附件2之后找不到形如“奉节县人民政府办公室 2021年12月2日印发”的印发行"


def copy_of_the_plan(tmp_path, edit):
    text = SHIPPED_PLAN.read_text(encoding="utf-8").replace("〔2021〕100号", "〔2021〕997号")
    path = tmp_path / "copy.txt"
    path.write_text(edit(text), encoding="utf-8")
    return str(path)


def cut_inside_annex_2(text):
    return text[: text.index(CUT_AT)]


def refusal(*args):
    before = snapshot()
    with pytest.raises(CommandError) as raised:
        run(*args)
    assert snapshot() == before
    return str(raised.value)


def test_the_shipped_plan_is_complete(parsed_plan):
    assert check_completeness(parsed_plan) == Completeness(ends_as_issued=True, units_without_duties=())


def test_the_shipped_plan_imports_with_nothing_reported_missing(tmp_path):
    output = run(copy_of_the_plan(tmp_path, lambda text: text))
    assert "导入完成" in output
    assert "注意" not in output
    assert "没有任务分工" not in output


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)], ids=["import", "dry run"])
def test_a_copy_cut_inside_annex_2_is_refused_naming_the_units_without_duties(tmp_path, dry_run):
    message = refusal(copy_of_the_plan(tmp_path, cut_inside_annex_2), *dry_run)
    assert NO_ENDING in message
    assert f"附件1所列成员单位中有 13 个在附件2中没有任务分工：{UNITS_CUT_OFF}" in message
    assert message.endswith("没有导入任何内容；确认只导入这一部分请加 --allow-partial")


def test_allow_partial_imports_the_cut_copy_and_prints_what_is_missing(tmp_path):
    output = run(copy_of_the_plan(tmp_path, cut_inside_annex_2), "--allow-partial")
    assert f"注意：{NO_ENDING}" in output
    assert (
        f"注意：附件1所列成员单位中有 13 个在附件2中没有任务分工：{UNITS_CUT_OFF}（--allow-partial：仍然导入）"
        in output
    )
    assert DutyTemplate.objects.filter(plan=Plan.objects.get(doc_number=COPY_NUMBER)).count() == 35


def test_a_copy_without_its_closing_lines_is_refused(tmp_path):
    """Every unit has its paragraph, but the 抄送 and 印发 lines are gone: the end may be missing too."""
    message = refusal(copy_of_the_plan(tmp_path, lambda text: text[: text.index("抄送：")]))
    assert NO_ENDING in message
    assert "没有任务分工" not in message


def test_a_copy_missing_one_units_paragraph_is_refused(tmp_path):
    paragraph = "县残联关爱残疾儿童，配合乡镇（街道）、教育部门动员残疾儿童入学接受义务教育。\n"
    message = refusal(copy_of_the_plan(tmp_path, lambda text: text.replace(paragraph, "")))
    assert "附件1所列成员单位中有 1 个在附件2中没有任务分工：县残联" in message
    assert "版记" not in message
