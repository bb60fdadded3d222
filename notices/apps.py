from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notices")

    def ready(self):
        from .ladder import ensure_default_ladder
        from .signals import item_event_saved

        post_migrate.connect(ensure_default_ladder, sender=self, dispatch_uid="notices.default_ladder")
        post_save.connect(item_event_saved, sender="workflows.ItemEvent", dispatch_uid="notices.item_event_saved")
