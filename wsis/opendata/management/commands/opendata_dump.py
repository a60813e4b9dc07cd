"""manage.py opendata_dump — build the bulk downloads (run nightly from cron or a scheduler)."""

from django.core.management.base import BaseCommand

from wsis.opendata.models import Dump
from wsis.opendata.services import dump_build, dump_request


class Command(BaseCommand):
    help = ("Build the bulk downloads of all published data (CSV, JSON Lines, XLSX, Parquet, datapackage.json, "
            "data dictionary). By default the build is queued for the task worker; --now builds it here.")

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Build in this process instead of queueing a job.")

    def handle(self, *args, **options):
        dump = dump_request(actor=None, trigger=Dump.Trigger.NIGHTLY, enqueue=not options["now"])
        if not options["now"]:
            self.stdout.write(f"Bulk download build {dump.pk} queued.")
            return
        dump = dump_build(dump_id=dump.pk)
        self.stdout.write(f"Bulk download build {dump.pk}: {dump.state} ({len(dump.files)} files).")
        if dump.state != Dump.State.DONE:
            raise SystemExit(1)
