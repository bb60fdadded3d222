"""The shared body of the ``import_units`` and ``import_people`` management commands."""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from ..forms import ImportFileForm


class ImportCommand(BaseCommand):
    """Read PATH, import it (or only check it with --dry-run), print a Chinese summary; errors go to stderr."""

    importer = None  # set by subclasses: staticmethod(import_units) …

    def add_arguments(self, parser):
        parser.add_argument("path", help=".csv（UTF-8 或 GBK）或 .xlsx 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示将会发生什么，不写入数据库")

    def handle(self, *args, path, dry_run, verbosity=1, **options):
        upload = self.load(path)
        result = self.importer(upload, dry_run=dry_run)
        if not result.ok:
            self.fail([str(error) for error in result.errors])
        if dry_run or verbosity > 1:
            for line in result.row_lines():
                self.stdout.write(f"  {line}")
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(self.style.SUCCESS(result.summary()))
        if result.passwords:
            self.stdout.write("新用户的初始密码（只显示这一次，请转交本人并提醒其登录后修改）：")
            for username, password in result.passwords.items():
                self.stdout.write(f"  {username}\t{password}")

    def load(self, path):
        """The accepted ``Upload`` for ``path``, checked like a web upload."""
        try:
            with open(path, "rb") as handle:
                form = ImportFileForm(data={}, files={"file": File(handle, name=Path(path).name)})
                valid = form.is_valid()
        except FileNotFoundError as error:
            raise CommandError(f"找不到文件：{path}") from error
        except OSError as error:
            raise CommandError(f"无法打开文件：{path}（{error.strerror}）") from error
        if not valid:
            self.fail([message for messages in form.errors.values() for message in messages])
        return form.cleaned_data["file"]

    def fail(self, messages):
        for message in messages:
            self.stderr.write(message)
        raise CommandError(f"发现 {len(messages)} 处错误，没有导入任何数据。")
