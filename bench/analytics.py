#!/usr/bin/env python
"""Benchmark of the analytics selectors and pages against plain SQL, on SQLite and PostgreSQL.

For each backend and each N it seeds (or reuses) N demo initiatives with ``manage.py seed_demo
--initiatives N`` in a database of its own, then times in one process:

- each analytics selector (coverage matrix, trends, gap finder, country summary) and the plain SQL
  ``GROUP BY`` over the stocktaking tables that computes the same numbers
  (``wsis.analytics.reference_sql``), and their ratio;
- the coverage matrix page itself (Django test client: URL routing, form, selector, template), p50
  and p95, against the same plain SQL.

Usage::

    .venv/bin/python bench/analytics.py                         # SQLite and PostgreSQL, N = 10k, 200k, 1M
    .venv/bin/python bench/analytics.py --backend postgres --initiatives 200000 --repeat 30
    .venv/bin/python bench/analytics.py --backend sqlite --initiatives 10000

Databases: ``var/bench-analytics.sqlite3`` and PostgreSQL database ``wsis_analytics_bench`` on
``--pg-url`` (default ``postgres://postgres@127.0.0.1:5432``). The seeder is incremental, so asking
for 10k, then 200k, then 1M grows the same database (ask in increasing order to avoid deletions).
Each (backend, N) runs in a child process so settings bind to the right database.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCENARIOS = {
    "all": {},
    "filtered": {"region": ["002"], "group": ["ldc"], "stakeholder_type": ["government"], "year_from": 2010,
                 "year_to": 2024},
    "commission+kind": {"commission": ["ESCAP"], "kind": ["project"]},
    "years+gender": {"year_from": 2018, "gender_marker": [1]},
}


def _time(fn, repeat: int) -> dict:
    """Wall-clock p50/p95 and this process's median CPU time (steadier on a shared machine: it leaves
    out the database server and time spent waiting for a core)."""
    fn()  # warm caches and the plan
    samples, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return {"p50": statistics.median(samples), "p95": p95, "cpu": statistics.median(cpu)}


def worker(n: int, repeat: int, seed: bool, scenarios: list[str]) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.DEBUG = False  # no query logging: time what production would do
    # The computation, not the shared caches in front of it (a repeated slice would be answered from
    # the data cache or, for the page, the anonymous page cache, in under a millisecond): those are
    # measured by bench/analytics_engines.py ("shared cache, warm") and bench/load.py.
    settings.DATA_CACHE_SECONDS = 0
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    if seed:  # a reused database is taken as it is (other apps' migrations in progress cannot break the run)
        call_command("migrate", verbosity=0)
    from wsis.stocktaking.models import Initiative

    have = Initiative.objects.count()
    seeded_s = 0.0
    if seed and have < n:
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", initiatives=n, seed=1, no_input=True, verbosity=0, stdout=quiet)
        seeded_s = time.perf_counter() - started
    from wsis.analytics import selectors
    from wsis.analytics.reference_sql import matrix_sql, target_counts_sql, target_reach_sql, trends_sql
    from wsis.stocktaking.filters import InitiativeFilters

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    results = {"backend": connection.vendor, "load": round(load, 1), "initiatives": Initiative.objects.count(),
               "published": Initiative.objects.filter(state="published").count(), "seed_s": round(seeded_s, 1),
               "rows": []}
    for name, params in SCENARIOS.items():
        if name not in scenarios:
            continue
        f = InitiativeFilters(**params)
        assert selectors.coverage_matrix(f, with_urls=False).total == matrix_sql(f)[(None, None)]
        query = f.query()
        raw = _time(lambda f=f: matrix_sql(f), repeat)
        sel = _time(lambda f=f: selectors.coverage_matrix(f), repeat)
        page = _time(lambda q=query: client.get(f"/en/analytics/?{q}"), repeat)
        results["rows"].append({"what": f"matrix [{name}]", "raw": raw, "selector": sel, "page": page})
        print(json.dumps(results["rows"][-1]), file=sys.stderr, flush=True)  # progress, in case of a timeout
    f = InitiativeFilters(**SCENARIOS["filtered"])
    results["rows"].append({"what": "trends [filtered]", "raw": _time(lambda: trends_sql(f), repeat),
                            "selector": _time(lambda: selectors.trends(f), repeat)})
    results["rows"].append({"what": "gap targets [filtered]",
                            "raw": _time(lambda: (target_counts_sql(f), target_reach_sql(f)), repeat),
                            "selector": _time(lambda: selectors.gap_finder(f, compare=False), repeat)})
    kf = InitiativeFilters(country=["KEN"])
    results["rows"].append({"what": "country summary [KEN]", "raw": _time(lambda: matrix_sql(kf), repeat),
                            "selector": _time(lambda: selectors.area_summary(kf), repeat)})
    return results


def report(res: dict) -> str:
    lines = [f"## {res['backend']}, {res['initiatives']:,} initiatives ({res['published']:,} published)"
             + (f", seeded in {res['seed_s']} s" if res["seed_s"] else "")
             + f"; load average {res.get('load', 0)} on {os.cpu_count()} cores at the start", "",
             "| what | plain SQL p50 / p95 (ms) | selector p50 / p95 (ms) | page p50 / p95 (ms) | selector ÷ SQL "
             "| page ÷ SQL | page app CPU (ms) |",
             "|---|---|---|---|---|---|---|"]
    for row in res["rows"]:
        raw, sel, page = row["raw"], row["selector"], row.get("page")
        lines.append(
            f"| {row['what']} | {raw['p50']:.1f} / {raw['p95']:.1f} | {sel['p50']:.1f} / {sel['p95']:.1f} | "
            + (f"{page['p50']:.1f} / {page['p95']:.1f}" if page else "–") + " | "
            + f"{sel['p50'] / raw['p50']:.2f} | " + (f"{page['p50'] / raw['p50']:.2f}" if page else "–") + " | "
            + (f"{page['cpu']:.0f}" if page else "–") + " |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--initiatives", type=int, nargs="+", default=[10_000, 200_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per measure (after one warm-up)")
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=list(SCENARIOS))
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--pg-db", default="wsis_analytics_bench")
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench-analytics.sqlite3"))
    parser.add_argument("--no-seed", action="store_true", help="use the database as it is")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.initiatives[0], args.repeat, not args.no_seed, args.scenarios)))
        return 0
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    failed = 0
    for backend in backends:
        if backend == "postgres":
            subprocess.run(["psql", f"{args.pg_url}/postgres", "-qc", f"CREATE DATABASE {args.pg_db}"],
                           capture_output=True)
            url = f"{args.pg_url}/{args.pg_db}"
        else:
            url = f"sqlite:///{args.sqlite_path}"
        for n in sorted(args.initiatives):
            cmd = [sys.executable, __file__, "--worker", "--initiatives", str(n), "--repeat", str(args.repeat),
                   "--scenarios", *args.scenarios]
            if args.no_seed:
                cmd.append("--no-seed")
            started = time.perf_counter()
            proc = subprocess.run(cmd, env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.PIPE,
                                  text=True, cwd=ROOT)
            if proc.returncode != 0:
                print(f"{backend} N={n}: failed (see the messages above)", file=sys.stderr)
                failed += 1
                continue
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            print(report(res))
            print(f"\n(run took {time.perf_counter() - started:.0f} s)\n", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
