#!/usr/bin/env python
"""Django's command-line utility. Development settings (config.settings.local) unless
DJANGO_SETTINGS_MODULE says otherwise; it names the settings it runs with on stderr."""

import os
import sys


def _settings_in_use(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg.startswith("--settings="):
            return arg.split("=", 1)[1]
        if arg == "--settings" and i + 1 < len(argv):
            return argv[i + 1]
    return os.environ["DJANGO_SETTINGS_MODULE"]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if os.environ.get("MANAGE_QUIET") != "1":
        sys.stderr.write(f"[manage.py: settings {_settings_in_use(sys.argv)}]\n")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
