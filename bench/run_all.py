#!/usr/bin/env python
"""Run every benchmark under bench/ with quick defaults, each in its own process, and summarise.

``make bench`` runs this file. The benchmarks, in order:

- ``documents``: ``bench/documents.py --repeat 1`` — the document engine rendering a 30-page report
  to HTML, PDF and DOCX in three languages (no database).
- ``classify``: ``bench/classify.py`` — the classifier backend's load time, per-text latency and
  batch throughput. No database. Quick default ``--texts 200`` (the benchmark's own default is 1,000).
- ``analytics-sqlite``: ``bench/analytics.py --backend sqlite`` — the analytics selectors and the
  coverage matrix page against plain SQL, on ``var/bench-analytics.sqlite3``, which it seeds (or
  grows) to ``--initiatives`` demo initiatives. Quick defaults ``--initiatives 2000 --repeat 3``;
  the first run seeds the file (a minute or two), later runs reuse it.
- ``analytics-postgres``: ``bench/analytics.py --backend postgres --no-seed`` on the database
  ``--analytics-db`` (default ``wsis_analytics_bench``) as it is: this script never creates or
  seeds a PostgreSQL database. Prepare it once with
  ``bench/analytics.py --backend postgres --initiatives 200000``.
- ``search``: ``bench/search.py`` — the initiative search page on PostgreSQL, on the database
  ``--search-db`` (default ``wsis_bench``), which must hold at least 100,000 initiatives (see the
  docstring of bench/search.py for the ``seed_demo`` command). Quick default ``--runs 50``.
- ``plans``: ``bench/plans.py`` — EXPLAIN ANALYZE of every public query on ``--search-db``, flagging
  sequential scans of large tables (issue 15).
- ``analytics-engines``: ``bench/analytics_engines.py --repeat 3`` — the coverage matrix through
  PostgreSQL, the shared cache, a roll-up and DuckDB on ``--search-db`` (skipped without the
  ``duckdb`` extra: ``pip install -e '.[bench]'``).
- ``dump``: ``bench/dump.py --initiatives 2000`` — the bulk downloads' time and peak memory on SQLite.
- ``voting``: ``bench/voting.py --seconds 10 --rate 50 --workers 2`` — a smoke run of the WSIS Prizes vote
  under load on its own PostgreSQL database, checked against the database afterwards (issue 17).
- ``load``: ``bench/load.py --duration 30 --users 10`` on ``--search-db`` — the realistic mix with Locust
  (skipped without the ``bench`` extra). Full runs: see docs/performance.md.

A PostgreSQL benchmark whose database does not exist (or whose server does not answer) is
skipped with a message saying how to prepare it; it does not count as a failure. Each benchmark's
own output (its figures) is printed as it runs, then a summary. The exit status is 1 if any
benchmark failed (a non-zero exit or a timeout), else 0.

Usage::

    .venv/bin/python bench/run_all.py                          # everything, quick sizes
    .venv/bin/python bench/run_all.py --only classify analytics-sqlite
    .venv/bin/python bench/run_all.py --skip search --initiatives 10000 --repeat 10
    .venv/bin/python bench/run_all.py --pg-url postgres://postgres@db:5432 --search-db my_search_bench

The figures in docs/performance.md come from the benchmarks run one by one at full size (200,000
initiatives on PostgreSQL), not from these quick defaults.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
NAMES = ["classify", "documents", "analytics-sqlite", "analytics-postgres", "search", "plans", "analytics-engines",
         "dump", "voting", "load"]


@dataclass
class Plan:
    name: str
    command: list[str]
    env: dict[str, str]
    skip: str = ""  # why the benchmark cannot run here, if it cannot


@dataclass
class Outcome:
    name: str
    status: str  # "ok", "failed", "skipped"
    seconds: float = 0.0
    detail: str = ""


def pg_database_missing(pg_url: str, name: str) -> str:
    """Why the PostgreSQL database ``name`` on ``pg_url`` cannot be used, or "" when it exists.

    Asks the server's catalogue through its maintenance database ``postgres``: the benchmark
    database itself is not opened here.
    """
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(f"{pg_url.rstrip('/')}/postgres", connect_timeout=5) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"PostgreSQL at {pg_url} does not answer ({first})"
    return "" if found else f"database {name!r} does not exist on {pg_url}"


def plans(args) -> list[Plan]:
    python = sys.executable
    base_env = dict(os.environ)
    out = []
    if "classify" in args.selected:
        out.append(Plan("classify", [python, str(BENCH / "classify.py"), "--texts", str(args.texts)], base_env))
    if "documents" in args.selected:
        out.append(Plan("documents", [python, str(BENCH / "documents.py"), "--repeat", "1"], base_env))
    if "analytics-sqlite" in args.selected:
        out.append(Plan("analytics-sqlite", [
            python, str(BENCH / "analytics.py"), "--backend", "sqlite", "--initiatives", str(args.initiatives),
            "--repeat", str(args.repeat), "--sqlite-path", args.sqlite_path], base_env))
    if "analytics-postgres" in args.selected:
        missing = pg_database_missing(args.pg_url, args.analytics_db)
        out.append(Plan("analytics-postgres", [
            python, str(BENCH / "analytics.py"), "--backend", "postgres", "--no-seed",
            "--initiatives", str(args.initiatives), "--repeat", str(args.repeat),
            "--pg-url", args.pg_url, "--pg-db", args.analytics_db], base_env,
            skip=missing and f"{missing}; prepare it with: python bench/analytics.py --backend postgres "
                             f"--initiatives 200000 --pg-url {args.pg_url} --pg-db {args.analytics_db}"))
    if "search" in args.selected:
        missing = pg_database_missing(args.pg_url, args.search_db)
        url = f"{args.pg_url.rstrip('/')}/{args.search_db}"
        out.append(Plan("search", [python, str(BENCH / "search.py"), "--runs", str(args.runs)],
                        {**base_env, "DATABASE_URL": url},
                        skip=missing and f"{missing}; prepare it as the docstring of bench/search.py says "
                                         f"(createdb, migrate, seed_demo --initiatives 200000)"))
    if "plans" in args.selected or "analytics-engines" in args.selected or "load" in args.selected:
        missing = pg_database_missing(args.pg_url, args.search_db)
        url = f"{args.pg_url.rstrip('/')}/{args.search_db}"
        env = {**base_env, "DATABASE_URL": url}
        grow = f"{missing}; grow it with: python bench/grow.py --database {args.search_db}" if missing else ""
        if "plans" in args.selected:
            out.append(Plan("plans", [python, str(BENCH / "plans.py")], env, skip=grow))
        if "analytics-engines" in args.selected:
            out.append(Plan("analytics-engines", [python, str(BENCH / "analytics_engines.py"), "--repeat", "3"], env,
                            skip=grow or _missing_module("duckdb", "bench")))
        if "load" in args.selected:
            out.append(Plan("load", [python, str(BENCH / "load.py"), "--database", url, "--duration", "30",
                                     "--users", "10", "--quiet"], env,
                            skip=grow or _missing_module("locust", "bench")))
    if "dump" in args.selected:
        out.append(Plan("dump", [python, str(BENCH / "dump.py"), "--initiatives", "2000"], base_env))
    if "voting" in args.selected:
        answer = pg_database_missing(args.pg_url, "postgres")
        out.append(Plan("voting", [python, str(BENCH / "voting.py"), "--db", f"{args.pg_url.rstrip('/')}/wsis_prizes_voting",
                                   "--seconds", "10", "--rate", "50", "--workers", "2"], base_env,
                        skip=answer if answer.startswith("PostgreSQL") else ""))
    return out


def _missing_module(name: str, extra: str) -> str:
    """Why an optional benchmark cannot run: its package is not installed ("" when it is)."""
    import importlib.util

    if importlib.util.find_spec(name) is None:
        return f"the {name} package is not installed (pip install -e '.[{extra}]')"
    return ""


def run(plan: Plan, timeout: float) -> Outcome:
    print(f"\n=== {plan.name}: {Path(plan.command[1]).relative_to(ROOT).as_posix()} "
          f"{' '.join(plan.command[2:])}", flush=True)
    if plan.skip:
        print(f"skipped: {plan.skip}", flush=True)
        return Outcome(plan.name, "skipped", detail=plan.skip)
    started = time.perf_counter()
    try:
        proc = subprocess.run(plan.command, cwd=ROOT, env=plan.env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Outcome(plan.name, "failed", time.perf_counter() - started, f"timed out after {timeout:.0f} s")
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        return Outcome(plan.name, "failed", elapsed, f"exit status {proc.returncode}")
    return Outcome(plan.name, "ok", elapsed)


def summary(outcomes: list[Outcome]) -> str:
    lines = ["", "=== summary", f"{'benchmark':20s} {'result':8s} {'time':>8s}  detail"]
    for o in outcomes:
        took = f"{o.seconds:.0f} s" if o.status != "skipped" else "–"
        lines.append(f"{o.name:20s} {o.status:8s} {took:>8s}  {o.detail}".rstrip())
    counts = {s: sum(o.status == s for o in outcomes) for s in ("ok", "failed", "skipped")}
    lines.append(f"{counts['ok']} ok, {counts['failed']} failed, {counts['skipped']} skipped")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=NAMES, metavar="NAME",
                        help=f"run only these benchmarks (of: {', '.join(NAMES)})")
    parser.add_argument("--skip", nargs="+", choices=NAMES, default=[], metavar="NAME", help="leave these out")
    parser.add_argument("--texts", type=int, default=200, help="classify: texts for the batch run (default 200)")
    parser.add_argument("--initiatives", type=int, default=2000,
                        help="analytics-sqlite: demo initiatives to seed or reuse (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="analytics: timed runs per measure (default 3)")
    parser.add_argument("--runs", type=int, default=50, help="search: requests per case (default 50)")
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench-analytics.sqlite3"),
                        help="analytics-sqlite: the database file (default var/bench-analytics.sqlite3)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"),
                        help="PostgreSQL server, without a database name (default $BENCH_PG_URL or "
                             "postgres://postgres@127.0.0.1:5432)")
    parser.add_argument("--analytics-db", default="wsis_analytics_bench",
                        help="analytics-postgres: the seeded database (default wsis_analytics_bench)")
    parser.add_argument("--search-db", default="wsis_bench",
                        help="search: the seeded database (default wsis_bench)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds each benchmark may take (default 1800)")
    args = parser.parse_args(argv)
    args.selected = [n for n in (args.only or NAMES) if n not in args.skip]
    if not args.selected:
        parser.error("nothing to run")
    outcomes = [run(plan, args.timeout) for plan in plans(args)]
    print(summary(outcomes), flush=True)
    return 1 if any(o.status == "failed" for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
