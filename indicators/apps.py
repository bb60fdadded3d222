from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Schools and indicators")

    def ready(self):
        from . import signals  # noqa: F401  (stored values follow rules, thresholds and school types)
