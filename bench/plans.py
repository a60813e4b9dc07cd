#!/usr/bin/env python
"""EXPLAIN ANALYZE every SQL query that the public pages run, and flag sequential scans of large tables.

For each public endpoint (the anonymous mix of ``bench/load.py``: home, searches, lists, the
coverage matrix, country pages, the feed, the API list, a detail page, a capped export) it renders
the page once through the Django test client with the shared caches off, captures every query,
then runs ``EXPLAIN (ANALYZE, BUFFERS)`` on each distinct ``SELECT`` and prints its time, the
indexes it used, and a ``SEQ SCAN`` flag when it reads a table of more than ``--large`` rows
(default 50,000) sequentially. Exit status 1 when any query is flagged, except the scans listed in
``KNOWN``: each is a plan chosen on purpose, with the reason (and the section of docs/performance.md)
printed beside it, so that ``make bench`` fails only on a scan nobody has looked at.

Usage (a database grown with ``bench/grow.py``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wsis_bench_1m python bench/plans.py [--verbose]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def endpoints(sample_id: int, iso3: str) -> list[tuple[str, str]]:
    return [
        ("home", "/en/"),
        ("list", "/en/initiatives/"),
        ("list page 40", "/en/initiatives/?page=40"),
        ("search text", "/en/initiatives/?q=broadband"),
        ("search text+facets", "/en/initiatives/?q=health&action_line=C7.4&group=ldc"),
        ("search facets", "/en/initiatives/?goal=4&region=002&kind=project"),
        ("search country", f"/en/initiatives/?country={iso3}"),
        ("matrix", "/en/analytics/"),
        ("matrix filtered", "/en/analytics/?region=142&kind=project"),
        ("country page", f"/en/countries/{iso3}/"),
        ("country profile", f"/en/analytics/countries/{iso3}/"),
        ("feed", "/en/feeds/initiatives.atom"),
        ("api list", "/api/v1/initiatives"),
        ("detail", f"/en/initiatives/{sample_id}/"),
        ("export csv (capped)", f"/en/initiatives/export.csv?country={iso3}&action_line=C2"),
    ]


# (endpoint, table) → why the sequential scan is the right plan there. A new entry needs a measurement.
KNOWN = {
    ("matrix filtered", "analytics_coveragefact"):
        "the region and kind keep about a third of the coverage rows: a parallel sequential scan is the best "
        "a row store can do at that selectivity; the shared cache answers every repeat (docs/performance.md, "
        "'Every public query plan at 1,000,000')",
    ("search text", "stocktaking_initiative"):
        "a word in about 14 % of the registry ('broadband'): ranking reads every match, by the GIN index or "
        "the table (docs/performance.md, issue 15's open point on common words)",
}
SEQ = re.compile(r"Seq Scan on (\w+)")
INDEX = re.compile(r"(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", type=int, default=50_000, help="Rows above which a seq scan is flagged.")
    parser.add_argument("--verbose", action="store_true", help="Print every plan in full.")
    parser.add_argument("--only", nargs="*", help="Endpoint names to check (default all).")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DATA_CACHE_SECONDS = 0
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    if connection.vendor != "postgresql":
        print("Needs PostgreSQL (DATABASE_URL).", file=sys.stderr)
        return 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r'")
        sizes = dict(cursor.fetchall())
        cursor.execute("SELECT id FROM stocktaking_initiative WHERE state = 'published' ORDER BY id DESC LIMIT 1")
        sample = cursor.fetchone()[0]
    print(f"{sizes.get('stocktaking_initiative', 0):,} initiatives (planner estimate); "
          f"large = more than {args.large:,} rows")
    client = Client()
    flagged = 0
    seen: set[str] = set()
    for name, url in endpoints(sample, "KEN"):
        if args.only and name not in args.only:
            continue
        client.get(url)  # warm: templates, reference caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        selects = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
        total_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        print(f"\n== {name}: {url} -> {response.status_code}, {len(ctx.captured_queries)} queries, "
              f"{total_ms:.0f} ms in SQL")
        for sql in selects:
            if sql in seen:
                continue
            seen.add(sql)
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            ms = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
            large = sorted({t for t in SEQ.findall(plan) if sizes.get(t, 0) > args.large})
            scans = [t for t in large if (name, t) not in KNOWN]
            known = [t for t in large if (name, t) in KNOWN]
            used = sorted(set(INDEX.findall(plan)))
            flag = f"  SEQ SCAN {', '.join(scans)}" if scans else ""
            flag += "".join(f"  known seq scan {t}: {KNOWN[(name, t)]}" for t in known)
            flagged += bool(scans)
            if ms >= 5 or large or args.verbose:
                print(f"  {ms:8.1f} ms{flag}  indexes: {', '.join(used) or '-'}")
                print(f"           {' '.join(sql.split())[:220]}")
            if args.verbose or scans:
                print("           " + plan.replace("\n", "\n           "))
    print(f"\n{flagged} queries with sequential scans of large tables (besides the known ones listed in KNOWN).")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
