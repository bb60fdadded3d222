from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data import load_demo_data
from simulation.progress import ProgressBar


class Command(BaseCommand):
    help = "加载演示数据：每个角色一个账号、每个单位一名联络员、几个示例乡镇（仅在 DEBUG 开启时可登录）。"

    def handle(self, *args, **options):
        try:
            progress = ProgressBar(self.stderr._out)
            self.stdout.write("演示数据的历史：按模拟时钟回放实施方案至昨天（首次加载时；约一分钟）……")
            accounts = load_demo_data(progress=progress)
            progress.finish()
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("演示账号（密码仅在 DEBUG=true 时可用）：")
        for account in accounts:
            self.stdout.write(f"  {account.username:<12} {account.password:<10} {account.description}")
        if not settings.DEBUG:
            self.stdout.write(self.style.WARNING("当前 DEBUG 关闭：以上演示账号无法登录。"))
