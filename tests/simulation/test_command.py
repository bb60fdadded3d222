"""manage.py simulate_plan: its arguments, what it prints, its checks."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from simulation.progress import ProgressBar
from workflows.models import DutyItem

pytestmark = pytest.mark.django_db


def simulate_plan(*args):
    out = StringIO()
    call_command("simulate_plan", *args, "--quiet-progress", stdout=out)
    return out.getvalue()


def test_a_short_run_prints_its_years_its_steps_its_digest_and_its_checks(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    printed = simulate_plan("--from", "2022", "--until", "2022-02-15", "--schools", "3", "--seed", "5", "--check")
    assert "模拟 2022-01-01 至 2022-02-15，种子 5：" in printed
    assert "\n  2022     46  " in printed  # 46 simulated days
    assert "开启任务 " in printed
    assert "数据库摘要（同一种子应相同）：" in printed
    assert "检查 stages_agree：通过" in printed
    assert DutyItem.objects.filter(period__year=2022).exists()
    assert not DutyItem.objects.filter(period__year=2023).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2023", "--to", "2022"], "早于开始日期"),
        (["--until", "2021-06-30"], "早于开始日期"),
        (["--schools", "-1"], "不能为负数"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message):
        simulate_plan(*args)
    assert not DutyItem.objects.exists()


def test_without_a_plan_it_says_to_import_one_first(plan):
    from workflows.models import Plan

    DutyItem.objects.all().delete()
    Plan.objects.all().delete()
    with pytest.raises(CommandError, match="请先导入实施方案"):
        simulate_plan("--until", "2022-01-05")


def test_the_progress_bar_draws_weekly_and_ends_its_line():
    out = StringIO()
    bar = ProgressBar(out)
    from datetime import date

    bar(1, 14, date(2022, 1, 1))  # a Saturday: not drawn
    bar(2, 14, date(2022, 1, 2))  # a Sunday: drawn
    bar.finish()
    assert out.getvalue().startswith("\r模拟中 2022-01-02 ▕")
    assert out.getvalue().endswith("  14%\n")
