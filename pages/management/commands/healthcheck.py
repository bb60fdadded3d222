from django.core.management.base import BaseCommand, CommandError

from pages.health import run_checks


class Command(BaseCommand):
    help = "检查数据库、缓存、消息队列和 Celery 工作进程是否正常。"

    def add_arguments(self, parser):
        parser.add_argument("--no-worker", action="store_true", help="不检查 Celery 工作进程")
        parser.add_argument("--timeout", type=float, default=10, help="等待工作进程应答的秒数")

    def handle(self, *args, no_worker, timeout, **options):
        results = run_checks(with_worker=not no_worker, timeout=timeout)
        for result in results:
            mark = "正常" if result.ok else "失败"
            self.stdout.write(f"{result.name}：{mark}（{result.detail}）")
        if not all(result.ok for result in results):
            raise CommandError("有服务不可用。")
