"""manage.py suggest_sdgs — the offline batch contract of DESIGN.md §5 (JSON lines in, JSON lines out)."""

import json
import sys
from contextlib import ExitStack

from django.core.management.base import BaseCommand, CommandError

from wsis.classify.backends import get_backend

ID_TYPES = (str, int, float)


def parse_line(raw: str) -> tuple[object, str]:
    """``(id, text)`` of one input line, or ValueError with a message for the user."""
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg}, column {exc.colno})") from None
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object with \"id\" and \"text\"")
    if "id" not in record:
        raise ValueError("missing \"id\"")
    if isinstance(record["id"], bool) or not isinstance(record["id"], ID_TYPES):
        raise ValueError("\"id\" must be a string or a number")
    if not isinstance(record.get("text"), str):
        raise ValueError("missing \"text\" or it is not a string")
    return record["id"], record["text"]


class Command(BaseCommand):
    help = (
        "Suggest SDGs, targets and action lines for each line {\"id\": …, \"text\": …} of --input and write "
        "{\"id\", \"sdgs\", \"scores\", \"action_lines\", \"targets\", \"evidence\"} lines to --output, in the same "
        "order. Offline; writes nothing to the database. Malformed lines are reported with their line number "
        "on standard error and skipped."
    )
    # No system checks: the command must start fast and does not touch the database.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="JSON lines file to read ('-' for standard input).")
        parser.add_argument("--output", required=True, help="JSON lines file to write ('-' for standard output).")
        parser.add_argument("--backend", default=None, help="Dotted path of a backend class (default: settings).")
        parser.add_argument("--no-input", action="store_true", help="Never prompt (this command never does).")

    def handle(self, *args, **options):
        with ExitStack() as stack:
            try:
                source = sys.stdin if options["input"] == "-" else stack.enter_context(
                    open(options["input"], encoding="utf-8"))
            except OSError as exc:
                raise CommandError(f"Cannot read --input {options['input']}: {exc.strerror}") from exc
            try:
                sink = sys.stdout if options["output"] == "-" else stack.enter_context(
                    open(options["output"], "w", encoding="utf-8"))
            except OSError as exc:
                raise CommandError(f"Cannot write --output {options['output']}: {exc.strerror}") from exc
            try:
                backend = get_backend(options["backend"])
            except (ImportError, OSError) as exc:
                raise CommandError(f"Cannot load the classifier backend: {exc}") from exc
            written = skipped = 0
            for number, raw in enumerate(source, start=1):
                if not raw.strip():
                    continue
                try:
                    id_, text = parse_line(raw)
                except ValueError as exc:
                    skipped += 1
                    self.stderr.write(f"line {number}: {exc}; skipped")
                    continue
                sink.write(json.dumps(backend.suggest(text).as_contract(id_), ensure_ascii=False) + "\n")
                written += 1
        summary = f"{written} suggestion(s) written, {skipped} line(s) skipped."
        # The summary goes to stderr when stdout carries the results.
        (self.stderr if options["output"] == "-" else self.stdout).write(summary)
