"""manage.py send_update_reminders — queue the yearly 'update your entry' reminders."""

from django.core.management.base import BaseCommand, CommandError

from wsis.stocktaking.tasks import send_update_reminders


class Command(BaseCommand):
    help = ("Queue the job that asks organisations to review published initiatives not revised for a year "
            "(entries revised or reminded within the last year are skipped). Run it daily.")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Remind about at most this many entries.")
        parser.add_argument("--no-input", action="store_true", help="Never prompt (this command never does).")

    def handle(self, *args, **options):
        limit = options["limit"]
        if limit is not None and limit < 1:
            raise CommandError("--limit must be a positive number.")
        result = send_update_reminders.enqueue(limit)
        self.stdout.write(self.style.SUCCESS(f"Reminder job queued ({result.id})."))
