"""Render the engine's specimen document to PDF, DOCX and HTML (and optionally PNG pages) for a look."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wsis.reports.rendering import render_html, render_pdf
from wsis.reports.specimen import specimen
from wsis.reports.word import render_docx


class Command(BaseCommand):
    help = "Write the specimen document in the given languages to a folder (PDF, DOCX, HTML)."

    def add_arguments(self, parser):
        parser.add_argument("--language", action="append", dest="languages",
                            help="Language code (repeatable); default: all six.")
        parser.add_argument("--chapters", type=int, default=4)
        parser.add_argument("--draft", action="store_true", help="Render as a draft (watermark).")
        parser.add_argument("--out", default="var/specimen")

    def handle(self, *args, languages=None, chapters=4, draft=False, out="var/specimen", **options):
        codes = [code for code, _name in settings.LANGUAGES]
        for language in languages or codes:
            if language not in codes:
                raise CommandError(f"Unknown language {language!r}; choose from {', '.join(codes)}.")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for language in languages or codes:
            doc = specimen(language, chapters=chapters, draft=draft)
            html = render_html(doc)
            (folder / f"specimen-{language}.html").write_text(html, encoding="utf-8")
            (folder / f"specimen-{language}.pdf").write_bytes(render_pdf(doc, html))
            (folder / f"specimen-{language}.docx").write_bytes(render_docx(doc))
            self.stdout.write(f"{language}: {folder}/specimen-{language}.pdf, .docx, .html")
