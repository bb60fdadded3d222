"""The test settings plus the timer flow's app, for bench/escalation.py only."""

from taskboard.settings_test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "timerbench"]  # noqa: F405
