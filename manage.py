#!/usr/bin/env python
"""Django's command-line utility for Taskboard."""

import os
import sys

# Commands that read the code and the migration files and never sign, encrypt or serve anything: they run
# without a SECRET_KEY (a developer or CI checking migrations needs no production secret).
KEYLESS_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate", "help", "version"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskboard.settings")
    if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
        os.environ["TASKBOARD_KEYLESS_COMMAND"] = sys.argv[1]
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
