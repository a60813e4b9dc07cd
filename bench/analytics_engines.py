#!/usr/bin/env python
"""The filtered coverage matrix on four read paths, in one run, on the same data (issue 15).

1. **PostgreSQL, cold**: the aggregate the matrix page runs (``analytics.selectors._cell_counts``,
   its SQL taken from the queryset), the application cache bypassed, PostgreSQL's buffers warm.
2. **Shared cache, warm**: the same figures from the data-generation cache (Redis when
   ``CACHE_URL`` names it): what every request after the first one of a generation pays.
3. **Roll-up table**: counts per (action line, SDG, kind, status, year, gender marker, stakeholder
   type) in a table of a few thousand rows, summed for the filters it can answer (those without a
   geography or text query); written to a temporary table here, built in the same run.
4. **DuckDB** (optional extra ``duckdb``): a columnar snapshot of the coverage rows, the initiative
   countries and the organisations, copied from PostgreSQL here (the time is printed), running the
   very same SQL text.

Every path's counts are compared with PostgreSQL's before any timing counts. Prints the median and
p95 of ``--repeat`` runs per scenario and path, and the snapshot and roll-up build times.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wsis_bench_1m CACHE_URL=redis://127.0.0.1:6379/14 \\
        python bench/analytics_engines.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

SCENARIOS = [
    ("all", ""),
    ("kind", "kind=project"),
    ("year+stakeholder", "year_from=2015&stakeholder_type=government"),
    ("region+kind", "region=142&kind=project"),
    ("country", "country=KEN"),
    ("group+goal", "group=ldc&goal=4"),
    ("action line+year", "action_line=C7.4&year_from=2020"),
]
SNAPSHOT = {
    "analytics_coveragefact": "initiative_id, action_line_id, goal_id, organisation_id, year, kind, status, "
                              "gender_marker",
    "stocktaking_initiative_countries": "initiative_id, country_id",
    "accounts_organisation": "id, stakeholder_type_id",
    "taxonomy_stakeholdertype": "id, code",
    "stocktaking_initiativegoal": "initiative_id, goal_id",
    "stocktaking_initiativeactionline": "initiative_id, action_line_id",
    "taxonomy_goal": "id, number",
    "taxonomy_actionline": "id, code",
    "taxonomy_country": "*",
}
ROLLUP_DIMS = ("kind", "status", "year", "gender_marker", "stakeholder_type")


def timed(fn, repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", nargs="*", help="Scenario names (default all).")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.http import QueryDict

    from wsis.analytics import selectors
    from wsis.analytics.selectors import facts_for
    from wsis.core import cache as shared
    from wsis.stocktaking.filters import InitiativeFilters

    if connection.vendor != "postgresql":
        print("Needs PostgreSQL (DATABASE_URL).", file=sys.stderr)
        return 2
    try:
        import duckdb
    except ImportError:
        duckdb = None
        print("duckdb is not installed (pip install '.[duckdb]'): its column is left out.")

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM analytics_coveragefact")
        facts = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM stocktaking_initiative WHERE state = 'published'")
        published = cursor.fetchone()[0]
    print(f"{published:,} published initiatives, {facts:,} coverage rows; cache {settings.CACHES['default']['BACKEND']}")
    with open("/proc/loadavg") as fh:
        print("load average:", " ".join(fh.read().split()[:3]))

    # DuckDB snapshot, copied from PostgreSQL.
    duck = None
    if duckdb:
        start = time.perf_counter()
        path = Path(tempfile.mkdtemp()) / "coverage.duckdb"
        duck = duckdb.connect(str(path))
        raw = connection.connection  # psycopg 3
        for table, cols in SNAPSHOT.items():
            csv_path = path.with_suffix(f".{table}.csv")
            with raw.cursor().copy(f"COPY (SELECT {cols} FROM {table}) TO STDOUT WITH (FORMAT csv, HEADER true)"
                                   ) as copy, open(csv_path, "wb") as out:
                for chunk in copy:
                    out.write(chunk)
            duck.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{csv_path}', header=true, auto_detect=true)")
            csv_path.unlink()
        print(f"DuckDB snapshot: {time.perf_counter() - start:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")

    # Roll-up table (temporary), built from the coverage rows.
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE TEMP TABLE coverage_rollup AS
            SELECT f.action_line_id, f.goal_id, f.kind, f.status, f.year, f.gender_marker,
                   s.code AS stakeholder_type, count(*) AS n
            FROM analytics_coveragefact f JOIN accounts_organisation o ON o.id = f.organisation_id
            JOIN taxonomy_stakeholdertype s ON s.id = o.stakeholder_type_id
            GROUP BY 1, 2, 3, 4, 5, 6, 7""")
        cursor.execute("SELECT count(*) FROM coverage_rollup")
        rollup_rows = cursor.fetchone()[0]
    print(f"Roll-up table: {rollup_rows:,} rows built in {time.perf_counter() - start:.1f} s")

    def rollup_sql(f: InitiativeFilters):
        if f.q or f.country or f.region or f.commission or f.group or f.target_group or f.organisation \
                or f.goal or f.action_line or f.target or f.year:
            return None
        where, params = [], []
        for name, column in (("kind", "kind"), ("status", "status"), ("gender_marker", "gender_marker"),
                             ("stakeholder_type", "stakeholder_type")):
            values = getattr(f, name)
            if values:
                where.append(f"{column} = ANY(%s)")
                params.append([str(v) if column != "gender_marker" else int(v) for v in values])
        if f.year_from:
            where.append("year >= %s")
            params.append(f.year_from)
        if f.year_to:
            where.append("year <= %s")
            params.append(f.year_to)
        sql = ("SELECT action_line_id, goal_id, sum(n)::bigint FROM coverage_rollup"
               + (" WHERE " + " AND ".join(where) if where else "") + " GROUP BY 1, 2")
        return sql, params

    header = f"{'scenario':<18}{'PostgreSQL cold':>18}{'cache warm':>14}{'roll-up':>14}{'DuckDB':>14}{'PG / DuckDB':>13}"
    print("\nmedian / p95, ms")
    print(header)
    for label, query in SCENARIOS:
        if args.only and label not in args.only:
            continue
        f = InitiativeFilters.from_query(QueryDict(query))
        qs = facts_for(f).values_list("action_line_id", "goal_id").annotate(n=Count("*")).order_by()
        sql, params = qs.query.sql_with_params()

        def pg(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return {(a, g): n for a, g, n in cursor.fetchall()}

        pg()  # warm the buffers
        pg_med, pg_p95, expected = timed(pg, args.repeat)

        settings.DATA_CACHE_SECONDS = 3600
        selectors._cell_counts(f)  # fill
        warm_med, warm_p95, warm = timed(lambda: selectors._cell_counts(f), args.repeat)  # noqa: B023
        assert warm == expected, f"{label}: cached counts differ"
        shared.data_generation_bump()
        settings.DATA_CACHE_SECONDS = 0

        rolled = rollup_sql(f)
        roll_cell = "-"
        if rolled:
            def roll():
                with connection.cursor() as cursor:
                    cursor.execute(*rolled)  # noqa: B023
                    return {(a, g): n for a, g, n in cursor.fetchall()}
            roll()
            r_med, r_p95, got = timed(roll, args.repeat)
            assert got == expected, f"{label}: roll-up counts differ"
            roll_cell = f"{r_med:.0f} / {r_p95:.0f}"

        duck_cell, ratio = "-", "-"
        if duck is not None:
            duck_sql = sql.replace("%s", "?")

            def dk():
                return {(a, g): n for a, g, n in duck.execute(duck_sql, list(params)).fetchall()}  # noqa: B023
            dk()
            d_med, d_p95, got = timed(dk, args.repeat)
            assert got == expected, f"{label}: DuckDB counts differ"
            duck_cell, ratio = f"{d_med:.0f} / {d_p95:.0f}", f"{pg_med / d_med:.1f}×"
        print(f"{label:<18}{f'{pg_med:.0f} / {pg_p95:.0f}':>18}{f'{warm_med:.1f} / {warm_p95:.1f}':>14}"
              f"{roll_cell:>14}{duck_cell:>14}{ratio:>13}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
