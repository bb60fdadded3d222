#!/usr/bin/env python
"""Django's command-line utility for Taskboard."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskboard.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (load the settings now, to report a bad environment plainly)
    except ImproperlyConfigured as error:
        sys.exit(f"Taskboard: {error}\nFor development, run with DEBUG=true (or put DEBUG=true in .env).")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
