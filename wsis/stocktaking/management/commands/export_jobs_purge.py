"""Delete the files of search exports past their keeping date (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from wsis.stocktaking.export_jobs import export_job_purge


class Command(BaseCommand):
    help = "Delete the files of background search exports kept longer than EXPORT_JOB_KEEP_DAYS."

    def handle(self, *args, **options):
        count = export_job_purge()
        self.stdout.write(f"{count} expired export file(s) deleted.")
