"""manage.py import_indicators — import one indicator's observations from a CSV file (all or nothing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wsis.indicators.importers import FORMATS
from wsis.indicators.models import Indicator
from wsis.indicators.services import ImportFailed, observations_import

MAX_LISTED = 50


class Command(BaseCommand):
    help = (
        "Import observations of one indicator from an Our World in Data, World Bank WDI, ITU DataHub, "
        "SDMX-CSV or long (iso3,year,value) file. Every row is validated first; any error (named by row, column and value) stops the "
        "import and nothing is written. Unknown countries are errors unless --skip-unknown is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV file.")
        parser.add_argument("--format", required=True, choices=FORMATS, help="Layout of the file.")
        parser.add_argument("--indicator", required=True, help="Code of the catalogue indicator, e.g. IT.NET.USER.ZS.")
        parser.add_argument("--column", action="append", default=[],
                            help="OWID: the value column to import (repeat for several).")
        parser.add_argument("--sex", choices=["total", "female", "male"], default="total",
                            help="OWID: sex of the values in --column; tidy: of every value of the file (default total).")
        parser.add_argument("--series", default="",
                            help="WDI / ITU / SDMX: series code to take from a file with several (default: the indicator code, else the only series).")
        parser.add_argument("--skip-unknown", action="store_true",
                            help="Skip rows whose country is not recognised (each is listed) instead of failing.")
        parser.add_argument("--no-input", action="store_true", help="Never prompt (this command never does).")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        indicator = Indicator.objects.filter(code=options["indicator"]).first()
        if indicator is None:
            known = ", ".join(Indicator.objects.values_list("code", flat=True)) or "none (run load_indicators)"
            raise CommandError(f"Unknown indicator '{options['indicator']}'. Known: {known}.")
        columns = {c: ({"sex": options["sex"]} if options["sex"] != "total" else {}) for c in options["column"]}
        try:
            result = observations_import(
                indicator=indicator, data=path, fmt=options["format"], skip_unknown=options["skip_unknown"],
                columns=columns or None, series=options["series"],
                dims={"sex": options["sex"]} if options["format"] == "tidy" and options["sex"] != "total" else None,
            )
        except ImportFailed as exc:
            if exc.file_error:
                raise CommandError(f"Nothing imported. {exc.file_error}") from exc
            for error in exc.errors[:MAX_LISTED]:
                self.stderr.write(f"  {error}")
            if len(exc.errors) > MAX_LISTED:
                self.stderr.write(f"  … and {len(exc.errors) - MAX_LISTED} more.")
            raise CommandError(f"Nothing imported: {len(exc.errors)} error(s) in {path.name}.") from exc
        for skipped in result.skipped:
            self.stdout.write(f"  skipped {skipped}")
        self.stdout.write(self.style.SUCCESS(
            f"{indicator.code}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged "
            f"({result.country_rows} country values, {result.aggregate_rows} published aggregates, "
            f"{len(result.skipped)} skipped, {result.missing_values} empty cells)."
        ))
