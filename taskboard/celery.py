"""The Celery application.

Configured from Django settings (namespace ``CELERY_``) and discovering ``tasks.py``
in every installed app. The broker is Redis in production and CI, and a
filesystem broker (no server) in the quick start; see ``settings.py``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskboard.settings")

app = Celery("taskboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
