"""manage.py purge_audit_trail [--days N]"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.services import purge


class Command(BaseCommand):
    help = "删除超过保留期限（AUDIT_RETENTION_DAYS，默认 365 天）的审计日志：变更记录、登录与拒绝访问记录。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="保留天数，默认取 AUDIT_RETENTION_DAYS")

    def handle(self, *args, days=None, **options):
        days = settings.AUDIT_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("保留天数至少为 1")
        deleted = purge(days)
        changes, events = deleted["changes"], deleted["events"]
        message = f"已删除 {days} 天前的审计日志：变更记录 {changes} 条，登录与拒绝访问记录 {events} 条。"
        self.stdout.write(self.style.SUCCESS(message))
