"""Low bandwidth: static files are fingerprinted, compressed and cached for a year; pages stay small.

The budgets of issue 9: the HTML of a list or detail page ≤ 60 KB compressed, and a first visit
(HTML, CSS, scripts, images) ≤ 250 KB. Figures are printed (run with -s) and kept in docs/performance.md.
"""

import re

import pytest

from tests.e2e.helpers import page_weight

pytestmark = pytest.mark.e2e

KB = 1024


def test_static_files_are_fingerprinted_compressed_and_cached_for_a_year(page, e2e_url):
    weight = page_weight(page, e2e_url("/en/"))
    print(weight.summary())
    assert weight.html_encoding in {"gzip", "br"}, "the HTML must be compressed"
    statics = [r for r in weight.resources if "/static/" in r["url"]]
    assert statics, "the home page loads its stylesheet and script from /static/"
    for resource in statics:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", resource["url"]), f"not fingerprinted: {resource['url']}"
        assert resource["encoding"] in {"gzip", "br"}, f"not compressed: {resource['url']}"
        assert not resource["url"].startswith("http") or resource["url"].startswith(e2e_url("/")), \
            f"third-party request: {resource['url']}"
    response = page.request.get(statics[0]["url"])
    cache_control = response.headers.get("cache-control", "")
    max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))
    assert max_age >= 365 * 24 * 3600, cache_control
    assert weight.total_bytes <= 250 * KB


# The five pages of the budget, in English and Arabic (Arabic text takes two bytes a letter).
BUDGET_PAGES = ["/", "/initiatives/", "{initiative}", "/matrix/", "/countries/KEN/"]


def test_first_visit_weight_of_key_pages_stays_within_budget(new_page, e2e_url):
    from django.core.management import call_command
    from django.db.models.functions import Length

    from wsis.stocktaking.models import Initiative

    call_command("seed_demo", initiatives=200, seed=1, no_input=True, verbosity=0)
    # The richest published initiative: the heaviest detail page a visitor can meet in the demo.
    initiative = (Initiative.objects.filter(state="published").annotate(size=Length("description"))
                  .order_by("-size").only("pk").first())
    failures, rows = [], []
    for lang in ("en", "ar"):
        for path in BUDGET_PAGES:
            url = f"/{lang}" + (f"/initiatives/{initiative.pk}/" if path == "{initiative}" else path)
            page = new_page("mobile")  # a fresh context: empty cache, as on a first visit
            weight = page_weight(page, e2e_url(url))
            rows.append(weight)
            if weight.html_bytes > 60 * KB:
                failures.append(f"{url}: HTML {weight.html_bytes / KB:.1f} KB compressed > 60 KB")
            if weight.total_bytes > 250 * KB:
                failures.append(f"{url}: first visit {weight.total_bytes / KB:.1f} KB > 250 KB")
            page.context.close()
    print("\npage | HTML compressed | HTML decoded | first visit | requests")
    for w in rows:
        path = w.url.split("/", 3)[-1]
        print(f"/{path} | {w.html_bytes / KB:.1f} KB ({w.html_encoding}) | {w.html_decoded_bytes / KB:.1f} KB | "
              f"{w.total_bytes / KB:.1f} KB | {w.requests}")
    assert not failures, "\n".join(failures)
