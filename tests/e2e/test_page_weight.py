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
