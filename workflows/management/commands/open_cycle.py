import time

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from workflows import cycles, services
from workflows.models import Phase, Plan


class Command(BaseCommand):
    help = "开启一个周期：为每条启用的职责模板生成任务（按年度或实施阶段）。重复开启不会重复创建。"

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="方案文号（默认：最新导入的方案）")
        period = parser.add_mutually_exclusive_group(required=True)
        period.add_argument("--year", type=int, help="年度，例如 2026")
        period.add_argument("--phase", type=int, help="实施阶段序号（1、2、3）")
        parser.add_argument("--by", required=True, help="以哪个用户的名义开启（须有交办权限）")
        parser.add_argument("--dry-run", action="store_true", help="只预览，不创建")

    def handle(self, *args, plan, year, phase, by, dry_run, **options):
        plan_obj = self._plan(plan)
        phase_obj = None
        if phase is not None:
            phase_obj = Phase.objects.filter(plan=plan_obj, order=phase).first()
            if phase_obj is None:
                raise CommandError(f"方案没有第 {phase} 个实施阶段。")
        try:
            user = get_user_model().objects.get(username=by)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"找不到用户：{by}") from error
        try:
            preview = cycles.preview_cycle(plan_obj, year=year, phase=phase_obj)
            self.stdout.write(preview.summary())
            for warning in preview.warnings:
                self.stderr.write(warning)
            if dry_run:
                return
            started = time.perf_counter()
            result = services.open_cycle(user, plan_obj, year=year, phase=phase_obj)
            elapsed = time.perf_counter() - started
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(f"已开启{result.period.label}：新建 {len(result.created)} 项任务，用时 {elapsed:.2f} 秒。")

    def _plan(self, doc_number):
        plans = Plan.objects.order_by("-imported_at")
        plan = plans.filter(doc_number=doc_number).first() if doc_number else plans.first()
        if plan is None:
            raise CommandError("找不到方案：请先运行 import_plan。")
        return plan
