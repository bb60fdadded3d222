from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notices")

    def ready(self):
        from .ladder import ensure_default_ladder

        post_migrate.connect(ensure_default_ladder, sender=self, dispatch_uid="notices.default_ladder")
