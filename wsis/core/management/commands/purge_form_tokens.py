"""Delete the one-time tokens of create forms claimed long ago (run it daily, e.g. from cron or a timer)."""

from django.core.management.base import BaseCommand, CommandError

from wsis.core.services import FORM_TOKEN_DAYS, form_tokens_purge


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=FORM_TOKEN_DAYS,
                            help=f"Keep the tokens of the last DAYS days (default {FORM_TOKEN_DAYS}).")

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        deleted = form_tokens_purge(days=days)
        self.stdout.write(f"Deleted {deleted} form token(s) older than {days} day(s).")
