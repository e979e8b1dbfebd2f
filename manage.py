#!/usr/bin/env python
"""Django's management commands for grassroots (``python manage.py check --deploy``, ``migrate``,
``createsuperuser`` ...), with the settings of ``grassroots.site.settings`` (docs/deploy.md)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
