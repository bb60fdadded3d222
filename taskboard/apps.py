from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskboardConfig(AppConfig):
    name = "taskboard"
    verbose_name = _("Taskboard")
