"""``python -m django sweep_imports``: remove register uploads nobody confirmed in time."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from grassroots.members import staging


class Command(BaseCommand):
    help = (
        "Remove staged register uploads older than IMPORT_STAGING_MAX_AGE_HOURS "
        "(abandoned imports); run it from cron. Each upload also sweeps them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        n = staging.sweep()
        hours = settings.IMPORT_STAGING_MAX_AGE_HOURS
        self.stdout.write(f"removed {n} staged upload(s) older than {hours} hours")
