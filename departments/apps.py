from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "departments"
    verbose_name = _("Units and people")

    def ready(self):
        from . import lookups, signals  # noqa: F401  (membership -> object permissions)
        from .roles import ensure_role_groups

        lookups.register()  # ``in`` with an integer no column holds matches nothing instead of failing

        post_migrate.connect(ensure_role_groups, dispatch_uid="departments.ensure_role_groups")
