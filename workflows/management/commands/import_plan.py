from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workflows.plan_import.completeness import check_completeness
from workflows.plan_import.loader import load_plan, unknown_names
from workflows.plan_import.parser import parse_plan, read_plan_file
from workflows.plan_import.tags import FORM_LABELS
from workflows.plan_import.types import PlanFormatError

SHIPPED_PLAN = Path(__file__).resolve().parents[2] / "data" / "fengjie-2021-100.txt"


class Command(BaseCommand):
    help = "导入一份实施方案（如 奉节府办发〔2021〕100号）：计划、阶段、领导小组、成员单位、职责模板和指标目录。"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(SHIPPED_PLAN), help=f"方案文本文件（默认：{SHIPPED_PLAN}）")
        parser.add_argument("--encoding", default="utf-8", help="文件编码（默认 utf-8；GBK 文件用 gb18030）")
        parser.add_argument("--dry-run", action="store_true", help="只显示将会创建什么，不写入数据库")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="职责中出现不是成员单位的单位名称（如错别字“县教肓局”）时报错，不导入任何内容",
        )
        parser.add_argument(
            "--allow-partial",
            action="store_true",
            help="文件不完整（没有印发行，或有成员单位在附件2中没有任务分工）时仍然导入",
        )

    def handle(self, *args, path, encoding, dry_run, allow_partial, strict, **options):
        try:
            text = read_plan_file(path, encoding=encoding)
            parsed = parse_plan(text)
        except FileNotFoundError as error:
            raise CommandError(f"找不到文件：{path}") from error
        except PlanFormatError as error:
            raise CommandError(f"{path}：{error}") from error
        self._check_complete(path, parsed, allow_partial)

        unknown = unknown_names(parsed)
        if strict and unknown:
            names = "；".join(str(name) for name in unknown)
            raise CommandError(f"{path}：--strict：{len(unknown)} 个名称不是成员单位，没有导入任何内容：{names}")
        summary = load_plan(parsed, dry_run=dry_run)
        heading = "试运行，未写入任何数据" if dry_run else "导入完成"
        self.stdout.write(f"{heading}：{parsed.title}（{parsed.doc_number}）")
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        self._print_unknown_names(summary)
        self._print_changes(summary, dry_run)
        if dry_run:
            self._print_preview(parsed)
        elif not summary.changed:
            self.stdout.write("该文号已导入过，内容没有变化。")

    def _print_unknown_names(self, summary):
        if not summary.unknown_names:
            return
        count = len(summary.unknown_names)
        heading = f"未能对应成员单位的名称 {count} 个（已记入职责模板的“另提及”；--strict 时报错）："
        self.stdout.write(self.style.WARNING(heading))
        for name in summary.unknown_names:
            self.stdout.write(self.style.WARNING(f"  {name}"))

    def _print_changes(self, summary, dry_run):
        if not summary.changes and not summary.moved:
            return
        verb = "将" if dry_run else "已"
        self.stdout.write(f"与已导入的版本相比，职责{verb}有 {len(summary.changes)} 处变化：")
        for change in summary.changes:
            self.stdout.write(f"  {change}")
        if summary.moved:
            self.stdout.write(f"  另有 {summary.moved} 条内容未变、位置{verb}变化（已有任务随之保留）")

    def _check_complete(self, path, parsed, allow_partial):
        """A document cut short is refused unless --allow-partial; what is missing is printed either way."""
        completeness = check_completeness(parsed)
        if completeness.complete:
            return
        if not allow_partial:
            problems = "；".join(completeness.problems())
            raise CommandError(f"{path}：{problems}。没有导入任何内容；确认只导入这一部分请加 --allow-partial")
        for problem in completeness.problems():
            self.stdout.write(self.style.WARNING(f"注意：{problem}（--allow-partial：仍然导入）"))

    def _print_preview(self, parsed):
        self.stdout.write("将创建的内容：")
        for phase in parsed.phases:
            self.stdout.write(f"  阶段 {phase.order}：{phase.name}（{phase.starts_on} 至 {phase.ends_on}）")
        for unit in parsed.units:
            self.stdout.write(f"  成员单位：{unit.name}")
        for duty in parsed.duties:
            cooperating = "、".join(duty.cooperating_unit_names) or "—"
            form = FORM_LABELS[duty.form]
            self.stdout.write(f"  职责 {duty.place} {duty.lead_unit_name}（配合：{cooperating}；{form}）")
        for indicator in parsed.indicators:
            self.stdout.write(f"  指标 {indicator.describe()}")
