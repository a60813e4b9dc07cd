"""manage.py send_contribution_reminders — remind agencies of contributions due in a reporting round."""

from django.core.management.base import BaseCommand, CommandError

from wsis.coordination.services import contribution_reminders_send


class Command(BaseCommand):
    help = ("E-mail the facilitators and co-facilitators of every contribution not yet submitted in an open "
            "reporting round whose deadline is near or passed (at most once a week per contribution). Run daily.")

    def add_arguments(self, parser):
        parser.add_argument("--days-before", type=int, default=14, help="Remind this many days before the deadline.")

    def handle(self, *args, **options):
        if options["days_before"] < 0:
            raise CommandError("--days-before must not be negative.")
        count = contribution_reminders_send(days_before=options["days_before"])
        self.stdout.write(self.style.SUCCESS(f"{count} contribution(s) reminded."))
