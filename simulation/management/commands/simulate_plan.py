import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from simulation.digest import database_digest
from simulation.engine import simulate
from simulation.invariants import assessments_recompute, check_all
from simulation.progress import ProgressBar
from simulation.report import summary_lines


class Command(BaseCommand):
    help = (
        "模拟实施方案的执行：按模拟时钟逐日推进（开启周期、签收、填报、检查、催办、通报、考核、学校数据），"
        "全部经由系统的业务服务。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start_year", type=int, default=2022, help="从哪一年的 1 月 1 日开始")
        parser.add_argument("--to", dest="end_year", type=int, default=2028, help="到哪一年的 12 月 31 日结束")
        parser.add_argument("--until", type=date.fromisoformat, help="在这一天结束（YYYY-MM-DD），早于 --to 的年末")
        parser.add_argument("--seed", type=int, default=2028, help="随机种子：同一种子得到同一数据库")
        parser.add_argument("--schools", type=int, default=200, help="模拟的学校数")
        parser.add_argument("--quiet-progress", action="store_true", help="不显示进度条")
        parser.add_argument(
            "--check", action="store_true", help="结束后检查不变量（浸泡测试的各项检查），有问题时以非零状态退出"
        )

    def handle(self, *args, start_year, end_year, until, seed, schools, quiet_progress, check, **options):
        start, end = date(start_year, 1, 1), date(end_year, 12, 31)
        if until is not None:
            end = min(end, until)
        if end < start:
            raise CommandError(f"结束日期 {end} 早于开始日期 {start}。")
        if schools < 0:
            raise CommandError("--schools 不能为负数。")
        progress = None if quiet_progress else ProgressBar(sys.stderr)
        try:
            result = simulate(start=start, end=end, seed=seed, schools=schools, progress=progress)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if progress is not None:
            progress.finish()
        for line in summary_lines(result):
            self.stdout.write(line)
        self.stdout.write(f"数据库摘要（同一种子应相同）：{database_digest()}")
        problems = list(result.problems)
        if check:
            for name, found in check_all(end).items():
                self.stdout.write(f"  检查 {name}：{'通过' if not found else f'{len(found)} 个问题'}")
                problems.extend(found)
            drifted = len(assessments_recompute())
            self.stdout.write(
                f"  已发布的考核中，按当前数据重新计算会不同的：{drifted} 次（考核发布后即冻结，此项仅供参考）"
            )
        if problems:
            raise CommandError(f"发现 {len(problems)} 个问题：" + "；".join(problems[:10]))
