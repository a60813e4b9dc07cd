"""Load past WSIS Forum editions, their consultation phases and the WSIS process milestones."""

from django.core.management.base import BaseCommand, CommandError

from wsis.forum.history import HistoryError, history_load


class Command(BaseCommand):
    help = ("Load the past WSIS Forum editions, their Open Consultation phases and the WSIS process timeline "
            "from wsis/forum/data/*.yaml (idempotent; all or nothing). Run load_reference first.")

    def add_arguments(self, parser):
        parser.add_argument("--no-input", action="store_true", help="Never prompt (nothing here prompts).")

    def handle(self, *args, **options):
        try:
            counts = history_load()
        except HistoryError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            "Forum history: {editions} editions, {phases} phases and {milestones} milestones created or changed."
            .format(**counts)))
