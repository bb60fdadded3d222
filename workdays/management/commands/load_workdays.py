from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workdays import services, statutory


class Command(BaseCommand):
    help = (
        f"从 {statutory.SOURCE} 载入法定节假日和调休安排到工作日历，并标记该年已覆盖（默认：今年）。"
        "重复载入不会重复写入；数据包未覆盖的年份不载入，并说明原因。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", dest="years", help="年份，可重复，例如 --year 2026")

    def handle(self, *args, years, **options):
        years = years or [timezone.localdate().year]
        try:
            result = services.load_statutory_calendar(None, years)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for year, written in sorted(result.loaded.items()):
            self.stdout.write(f"{year}年：已载入工作日历（新写入或更正 {written} 天）。")
        for _year, message in sorted(result.refused.items()):
            self.stderr.write(message)
        if not result.loaded:
            raise CommandError("没有载入任何年份。")
