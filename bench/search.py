#!/usr/bin/env python
"""Benchmark: the public initiative search page with a text query and two facets, on PostgreSQL.

Prepare the data once (a few minutes)::

    createdb wsis_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/wsis_bench
    python manage.py migrate && python manage.py seed_demo --initiatives 200000 --seed 1 --no-input

or, much faster (seeds 20,000 and copies them in SQL; docs/performance.md, "Under load")::

    python bench/grow.py --database wsis_bench --initiatives 200000

Then::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wsis_bench python bench/search.py [--runs 200]

It renders ``/en/initiatives/?q=…&<facet>=…&<facet>=…`` through the Django test client (full
middleware, template rendering and facet counts) many times, rotating over realistic queries, and
prints p50/p95 for three cases: *cold* (the cached facet counts invalidated before every request, as
after a publication or for a query nobody asked recently), *warm* (repeat visitors) and a misspelt
country name, cold (issue 14). Then it runs the page's main SQL (the
result page) directly through the database cursor for comparison. Target: p95 < 300 ms cold.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

QUERIES = [
    {"q": "broadband", "action_line": "C2", "region": "002"},
    {"q": "health", "action_line": "C7.4", "group": "ldc"},
    {"q": "skills training", "goal": "4", "region": "142"},
    {"q": "open data", "action_line": "C3", "kind": "platform"},
    {"q": "early warning", "goal": "13", "group": "sids"},
    {"q": "farmers", "action_line": "C7.7", "region": "019"},
    {"q": "cybersecurity", "goal": "16", "status": "ongoing"},
    {"q": "women", "target_group": "women_girls", "region": "002"},
]
# Issue 14: a country name as people misspell it, alone and with a facet (the typo reading is used
# only when the words as typed find nothing).
MISSPELT = [
    {"q": "Nepl"},
    {"q": "Keyna", "action_line": "C7.4"},
    {"q": "Bangladseh"},
    {"q": "Cote dIvoire", "goal": "4"},
    {"q": "Vietnm broadband"},
    {"q": "Tanzaina", "group": "ldc"},
    {"q": "Phillipines"},
    {"q": "Ethopia health"},
]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs{mem}, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="Requests per case (default 200).")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wsis.stocktaking.filters import InitiativeFilters
    from wsis.stocktaking.models import Initiative
    from wsis.stocktaking.search import initiative_search
    from wsis.stocktaking.services import SEARCH_GENERATION_KEY, search_generation

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    # The search itself, not the anonymous page cache in front of it (issue 15), which would answer a
    # repeated query without running it: that cache is measured by bench/load.py.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    if connection.vendor != "postgresql":
        print("This benchmark needs PostgreSQL: set DATABASE_URL (see the docstring).", file=sys.stderr)
        return 2
    published = Initiative.objects.filter(state=Initiative.State.PUBLISHED).count()
    total = Initiative.objects.count()
    if total < 100_000:
        print(f"Only {total:,} initiatives: seed 200,000 first (see the docstring).", file=sys.stderr)
        return 2
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]

    client = Client()
    path = "/en/initiatives/"
    for params in QUERIES:  # warm up connections, templates and the PostgreSQL buffer cache
        assert client.get(path, params).status_code == 200

    def run(cold: bool, queries=QUERIES) -> list[float]:
        timings = []
        for i in range(args.runs):
            params = queries[i % len(queries)]
            if cold:
                new_generation()
            start = time.perf_counter()
            response = client.get(path, params)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        return timings

    def new_generation():
        """What a publication does: every cached facet count becomes stale (reference labels stay)."""
        search_generation()
        cache.incr(SEARCH_GENERATION_KEY)

    new_generation()
    with CaptureQueriesContext(connection) as ctx:
        client.get(path, QUERIES[0])
    queries_cold = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        client.get(path, QUERIES[0])
    queries_warm = len(ctx.captured_queries)
    misspelt_queries = []
    for params in MISSPELT:
        new_generation()
        with CaptureQueriesContext(connection) as ctx:
            client.get(path, params)
        misspelt_queries.append(len(ctx.captured_queries))

    cold = run(cold=True)
    warm = run(cold=False)
    misspelt = run(cold=True, queries=MISSPELT)

    # The same result-page query as raw SQL, straight through the cursor.
    raw = []
    for i in range(args.runs):
        qs = initiative_search(InitiativeFilters.from_query(QUERIES[i % len(QUERIES)]), relations=False)[:20]
        sql, sql_params = qs.query.sql_with_params()
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, sql_params)
            cursor.fetchall()
        raw.append((time.perf_counter() - start) * 1000)

    print(f"Machine: {machine()}; PostgreSQL {pg_version}")
    print(f"Data: {total:,} initiatives ({published:,} published)")
    print(f"Page: {path} with a text query and two facets, {len(QUERIES)} query variants, {args.runs} runs each case")
    print(f"Queries per request: {queries_cold} cold, {queries_warm} warm; "
          f"misspelt country, cold: {min(misspelt_queries)}–{max(misspelt_queries)}")
    for label, values in (("page, cold facet cache", cold), ("page, warm facet cache", warm),
                          ("misspelt country, cold", misspelt), ("raw SQL of the result page", raw)):
        print(f"{label:30s} p50 {statistics.median(values):7.1f} ms   p95 {percentile(values, 95):7.1f} ms   "
              f"max {max(values):7.1f} ms")
    example = initiative_search(InitiativeFilters.from_query(QUERIES[0]), relations=False)[:20]
    print("\nResult-page SQL for", QUERIES[0], ":\n", str(example.query))
    target_met = percentile(cold, 95) < 300 and percentile(misspelt, 95) < 300
    print(f"\nTarget p95 < 300 ms (cold, and misspelt country): {'met' if target_met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
