"""Authentication: demo accounts log in only while DEBUG is on."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

DEMO_GROUP_NAME = "演示账号"


def is_demo_account(user):
    return user.groups.filter(name=DEMO_GROUP_NAME).exists()


class TaskboardModelBackend(ModelBackend):
    """Django's backend, refusing the demo accounts (printed passwords) in production."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        return settings.DEBUG or not is_demo_account(user)
