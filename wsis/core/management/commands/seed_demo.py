"""manage.py seed_demo — deterministic demo data across every app."""

from django.core.management.base import BaseCommand, CommandError

from wsis.core.demo import DemoContext, seed_all


class Command(BaseCommand):
    help = (
        "Create deterministic demo organisations, users for every role, and --initiatives N initiatives "
        "(bulk inserts; scales to 1,000,000). Idempotent for a given --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--initiatives", type=int, default=500, help="How many initiatives (default 500).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--no-input", action="store_true", help="Never prompt (this command never does).")

    def handle(self, *args, **options):
        if options["initiatives"] < 0:
            raise CommandError("--initiatives must be zero or more.")
        ctx = DemoContext(seed=options["seed"], initiatives=options["initiatives"], stdout=self.stdout,
                          style=self.style)
        seed_all(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
