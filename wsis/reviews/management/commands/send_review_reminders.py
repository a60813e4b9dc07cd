"""manage.py send_review_reminders — remind focal points whose country has not submitted before the deadline."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from wsis.reviews.services import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail a reminder to the invited focal points of every open review cycle whose questionnaire "
        "deadline falls within --days days and whose country has not submitted. At most one reminder per "
        "invitation per day, so it is safe to run from cron more than once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Remind when the deadline is this many days away "
                                                               "or fewer (default 7).")
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD); for testing schedules.")
        parser.add_argument("--dry-run", action="store_true", help="List who would be reminded; send nothing.")
        parser.add_argument("--no-input", action="store_true", help="Never prompt (this command never does).")

    def handle(self, *args, **options):
        if options["days"] < 0:
            raise CommandError("--days must be zero or more.")
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date written YYYY-MM-DD.") from None
        reminded = reminders_send(today=today, days_before=options["days"], dry_run=options["dry_run"])
        for inv in reminded:
            self.stdout.write(f"{inv.cycle} {inv.country.iso3} {inv.email}")
        verb = "Would remind" if options["dry_run"] else "Reminded"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(reminded)} focal point(s)."))
