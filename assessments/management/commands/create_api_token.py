from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.services.tokens import issue_token
from departments import access


class Command(BaseCommand):
    help = "为考核结果 JSON 接口生成只读令牌（只显示一次）。Make a read-only token for the assessment JSON API."

    def add_arguments(self, parser):
        parser.add_argument("username", help="令牌代表的账号（须为考核办或县政府办公室人员）")
        parser.add_argument("--name", required=True, help="令牌用途，例如“组织部考核系统”")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有名为“{username}”的有效账号。")
        if not access.sees_every_assessment_result(user):
            raise CommandError(f"账号“{username}”无权查看全县考核结果，不能为其生成令牌。")
        key = issue_token(user, name)
        self.stdout.write(f"令牌（只显示这一次，请妥善保存）：{key}")
