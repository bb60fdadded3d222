"""manage.py import_school_figures PATH --year YYYY [--dry-run] [--replace]"""

from django.core.management.base import CommandError

from departments.imports.command import ImportCommand
from indicators.imports import apply_figures, check_figures


class Command(ImportCommand):
    help = "从 .xlsx（或 .csv）文件导入某一年度各学校学段的办学条件数据；该年度已有数据时须加 --replace 确认替换。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, required=True, help="数据所属年度，如 2025")
        parser.add_argument("--replace", action="store_true", help="该年度已有数据时，确认用文件替换该年度的全部数据")

    def handle(self, *args, path, year, dry_run, replace, verbosity=1, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("年度应在 2000–2100 之间")
        check = check_figures(self.load(path), year)
        if not check.ok:
            self.fail([str(error) for error in check.result.errors])
        if check.replaces or dry_run or verbosity > 1:
            for line in check.diff_lines():
                self.stdout.write(f"  {line}")
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"检查通过（试运行，未写入任何数据）：{check.summary()}"))
            return
        if check.replaces and not replace:
            raise CommandError(
                f"{year}年已有 {check.existing} 个学段的数据，以上是将要发生的修改；"
                "确认替换请加 --replace 重新运行。没有写入任何数据。"
            )
        apply_figures(check, None)
        if not check.ok:
            self.fail([str(error) for error in check.result.errors])
        self.stdout.write(self.style.SUCCESS(f"导入完成：{check.summary()}"))
