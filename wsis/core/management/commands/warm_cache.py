"""Render the costly public pages once, so that the first visitors after a deployment or a cache flush
do not pay for them (and do not all compute the same figures at once).

Every app registers the paths of its costly pages (``registry.add_warm_paths``: home, the registry's
first page and feed, the coverage matrix, and the country pages and profiles of the countries with the
most initiatives). Each is requested anonymously through the whole middleware stack, in every
language asked for: the shared data cache (matrix counts, profiles, "latest initiatives" sections)
and the anonymous page cache are filled under the current data generation. Run it after ``migrate``
in a deployment, and after emptying the cache; it changes no data. Exit status 1 when a page did not
answer 200.
"""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from wsis.core.registry import registry


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("--languages", nargs="+", default=["en"], metavar="CODE",
                            help="Languages to render the pages in (default: en; 'all' for the six).")
        parser.add_argument("--limit", type=int, default=20,
                            help="Country pages and profiles to render: the countries with most initiatives "
                                 "(default 20).")

    def handle(self, *args, languages: list[str], limit: int, **options):
        codes = [code for code, _name in settings.LANGUAGES]
        if languages == ["all"]:
            languages = codes
        unknown = sorted(set(languages) - set(codes))
        if unknown:
            raise CommandError(f"--languages: unknown code(s) {', '.join(unknown)}; use {', '.join(codes)} or all.")
        if limit < 0:
            raise CommandError("--limit must be 0 or more.")
        site = urlsplit(settings.SITE_URL or "http://localhost")
        client = Client(HTTP_HOST=site.netloc or "localhost", secure=site.scheme == "https")
        failed, rendered, started = [], 0, time.monotonic()
        # Asked once (the providers' queries, such as the countries with most initiatives, are not per
        # language), reversed in each language.
        pages = list(dict.fromkeys(page for provider in registry.warm_path_providers() for page in provider(limit=limit)))
        for language in languages:
            with translation.override(language):
                paths = [reverse(name, args=args) for name, args in pages]
            for path in paths:
                began = time.monotonic()
                status = client.get(path).status_code
                rendered += 1
                self.stdout.write(f"{status} {path} {1000 * (time.monotonic() - began):.0f} ms")
                if status != 200:
                    failed.append(f"{path} ({status})")
        self.stdout.write(f"Rendered {rendered} page(s) in {time.monotonic() - started:.1f} s.")
        if failed:
            raise CommandError(f"Not 200: {', '.join(failed)}")
