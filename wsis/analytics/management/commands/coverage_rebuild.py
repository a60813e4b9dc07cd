"""manage.py coverage_rebuild — recompute the analytics coverage table from the registry."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from wsis.analytics.services import coverage_rebuild, coverage_vacuum


class Command(BaseCommand):
    help = ("Recompute the analytics coverage table (CoverageFact) from the published initiatives. Needed only "
            "after bulk loads that bypassed the stocktaking services; safe to run at any time.")

    def add_arguments(self, parser):
        parser.add_argument("--no-input", action="store_true", help="Never prompt (this command never does).")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            rows = coverage_rebuild()
            coverage_vacuum()
        except DatabaseError as exc:
            raise CommandError(f"Could not rebuild the coverage table: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(
            f"Coverage table rebuilt: {rows:,} rows in {time.perf_counter() - started:.1f} s."))
