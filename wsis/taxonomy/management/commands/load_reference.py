"""manage.py load_reference — load the taxonomy reference data shipped with the project."""

from django.core.management.base import BaseCommand, CommandError

from wsis.taxonomy.reference import ReferenceDataError
from wsis.taxonomy.services import reference_load


class Command(BaseCommand):
    help = (
        "Load action lines, SDGs, the WSIS–SDG Matrix, countries, regional commissions, country groups, "
        "HLPF sessions and WSIS targets from wsis/taxonomy/data. Idempotent; a malformed file stops it "
        "with the file and line, and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-input", action="store_true", help="Never prompt (this command never does).")

    def handle(self, *args, **options):
        try:
            report = reference_load()
        except ReferenceDataError as exc:
            raise CommandError(f"Reference data not loaded: {exc}") from exc
        if options["verbosity"] >= 2:
            for line in report.lines():
                self.stdout.write(line)
        if report.changed:
            self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {report.changed} rows created, updated or deleted."))
        else:
            self.stdout.write(self.style.SUCCESS("Reference data already up to date: nothing changed."))
