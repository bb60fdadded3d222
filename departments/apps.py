from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "departments"
    verbose_name = _("Units and people")

    def ready(self):
        from . import lookups, names, signals  # noqa: F401  (signals: membership -> object permissions)
        from .roles import ensure_role_groups

        lookups.register()  # ``in`` with an integer no column holds matches nothing instead of failing
        # 姓名 in Chinese order wherever a person is shown, also where templates and the admin call get_full_name.
        names.use_chinese_order(get_user_model())

        post_migrate.connect(ensure_role_groups, dispatch_uid="departments.ensure_role_groups")
