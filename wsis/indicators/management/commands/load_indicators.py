"""manage.py load_indicators — load the indicator catalogue and the reference series shipped in wsis/indicators/data."""

from django.core.management.base import BaseCommand, CommandError

from wsis.indicators.services import CatalogueError, ImportFailed, indicators_load_reference
from wsis.taxonomy.models import Country


class Command(BaseCommand):
    help = (
        "Create or update the ICT indicator catalogue and import every shipped reference series "
        "(wsis/indicators/data, see ATTRIBUTION.md). Idempotent; all or nothing. Needs load_reference first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-input", action="store_true", help="Never prompt (this command never does).")

    def handle(self, *args, **options):
        if not Country.objects.exists():
            raise CommandError("No countries in the database: run `manage.py load_reference` first.")
        try:
            result = indicators_load_reference()
        except ImportFailed as exc:
            raise CommandError(f"Indicators not loaded: {exc.file_error or exc}") from exc
        except CatalogueError as exc:
            raise CommandError(f"Indicators not loaded: {exc}") from exc
        verbose = options["verbosity"] >= 2
        for path, outcome in result.imports:
            if verbose or outcome.changed:
                self.stdout.write(
                    f"{path} → {outcome.indicator}: {outcome.created} created, {outcome.updated} updated, "
                    f"{outcome.unchanged} unchanged; {len(outcome.skipped)} skipped"
                )
            if verbose:
                for skipped in outcome.skipped:
                    self.stdout.write(f"    skipped {skipped}")
        if result.changed:
            self.stdout.write(self.style.SUCCESS(
                f"Indicators loaded: {result.indicators_created} created, {result.indicators_updated} updated, "
                f"{sum(r.changed for _, r in result.imports)} observations written; "
                f"{result.target_links} WSIS target links."
            ))
        else:
            self.stdout.write(self.style.SUCCESS("Indicators already up to date: nothing changed."))
