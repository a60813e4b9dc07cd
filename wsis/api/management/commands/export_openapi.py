"""manage.py export_openapi — write the committed OpenAPI schema, or check that it is current."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.api import api

SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def current_schema() -> str:
    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write docs/openapi.json from the API, or with --check fail when the committed file differs."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if docs/openapi.json is out of date.")
        parser.add_argument("--no-input", action="store_true", help="Never prompt (this command never does).")

    def handle(self, *args, **options):
        schema = current_schema()
        if options["check"]:
            committed = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
            if committed != schema:
                raise CommandError("docs/openapi.json is out of date: run `python manage.py export_openapi`.")
            self.stdout.write(self.style.SUCCESS("docs/openapi.json is current."))
            return
        SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
        SCHEMA_PATH.write_text(schema, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {SCHEMA_PATH.relative_to(settings.BASE_DIR)}."))
