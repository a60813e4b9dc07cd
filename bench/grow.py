#!/usr/bin/env python
"""Grow a PostgreSQL benchmark database to N initiatives fast, by copying seeded rows in SQL.

``seed_demo`` builds every initiative in Python (about 1,000 a second on a quiet machine: 17
minutes for 1,000,000, far more on a busy one). This script seeds a modest base with
``manage.py seed_demo --initiatives BASE --seed 1`` (or reuses it), then multiplies it with
``INSERT … SELECT``: copy *k* of base initiative *n* gets id ``n_id + k × stride`` and demo number
``k × BASE + n`` (its website, so ``seed_demo`` counts it as present), the same text, tags,
countries, target groups, revision, search vector and facet tokens, and analytics coverage rows;
its organisation is copy *k* of the generated ``demo-org-*`` organisation (about one per 50
initiatives, as ``seed_demo`` does; the 36 named demo organisations are shared). Published dates
move by *k* seconds so the listing order has no large ties. Then it rebuilds the indexes it
dropped for the load, runs ``VACUUM ANALYZE``, and checks that the derived data agree: every
facet count of the search tokens against the analytics coverage roll-ups, tokens against the
live tag tables, and every foreign key it wrote.

Usage (the database is created if missing; ``--template`` copies an existing one first)::

    python bench/grow.py --database wsis_bench --initiatives 200000
    python bench/grow.py --database wsis_bench_1m --initiatives 1000000
    python bench/grow.py --database wsis_bench --template wsis_bench_1m --initiatives 200000
    python bench/grow.py --database wsis_bench --check          # checks only

``--pg-url`` (default ``postgres://postgres@127.0.0.1:5432``) names the server. Growing is
resumable (each copy is one transaction) and can only add rows: to shrink, drop the database.
Copies keep their source's title and text, so search hits scale with N as the data does; the
stride, base size and dropped index definitions are kept in a table ``bench_grow`` of the
benchmark database (nothing in the application reads it).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

INIT = "stocktaking_initiative"
ORG = "accounts_organisation"
FACT = "analytics_coveragefact"
# Tables keyed by initiative that are copied with it (the auto-created M2M table included).
DEPENDENT = [
    "stocktaking_initiative_countries",
    "stocktaking_initiativeactionline",
    "stocktaking_initiativegoal",
    "stocktaking_initiativetarget",
    "stocktaking_initiativetargetgroup",
    "stocktaking_initiativerevision",
    FACT,
]
GROWN = [INIT, *DEPENDENT]
SITE = "https://initiative-"
RESERVED = {"group", "order", "user"}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def columns(cur, table: str) -> list[str]:
    cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = current_schema() ORDER BY ordinal_position", [table])
    return [f'"{r[0]}"' if r[0] in RESERVED else r[0] for r in cur.fetchall()]


def meta(cur) -> dict[str, int]:
    cur.execute("CREATE TABLE IF NOT EXISTS bench_grow (key text PRIMARY KEY, value bigint NOT NULL)")
    cur.execute("CREATE TABLE IF NOT EXISTS bench_grow_index (name text PRIMARY KEY, tbl text, def text)")
    cur.execute("SELECT key, value FROM bench_grow")
    return dict(cur.fetchall())


def ensure_database(args) -> None:
    with psycopg.connect(f"{args.pg_url}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database]).fetchone()
        if exists:
            return
        if args.template:
            log(f"Creating {args.database} as a copy of {args.template}…")
            conn.execute(f'CREATE DATABASE "{args.database}" TEMPLATE "{args.template}"')
        else:
            log(f"Creating {args.database}…")
            conn.execute(f'CREATE DATABASE "{args.database}"')


def seed_base(args, url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    log("migrate…")
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    log(f"seed_demo --initiatives {args.base} --seed {args.seed} (a few minutes)…")
    subprocess.run([PYTHON, "manage.py", "seed_demo", "--initiatives", str(args.base), "--seed", str(args.seed),
                    "--no-input"], cwd=ROOT, env=env, check=True)


def first_grow(cur, base: int) -> dict[str, int]:
    """Record the base: its size, the id strides, the generated organisations' id range."""
    cur.execute(f"SELECT count(*), max(id) FROM {INIT}")
    total, max_id = cur.fetchone()
    cur.execute(f"SELECT count(*) FROM {INIT} WHERE website ~ %s", [rf"^{SITE}[0-9]+\.example\.org$"])
    demo = cur.fetchone()[0]
    if total != demo or total != base:
        raise SystemExit(f"Expected exactly {base:,} demo initiatives to copy, found {total:,} initiatives "
                         f"({demo:,} demo ones): grow a freshly seeded database.")
    cur.execute(f"SELECT min(id), max(id), count(*) FROM {ORG} WHERE slug ~ '^demo-org-[0-9]+$'")
    org_lo, org_hi, orgs = cur.fetchone()
    cur.execute(f"SELECT count(*), max(id) FROM {ORG}")
    all_orgs, org_max = cur.fetchone()
    if orgs and org_hi - org_lo + 1 != orgs:
        raise SystemExit("The generated demo organisations do not have contiguous ids; cannot copy them.")
    values = {"base": base, "stride": max_id, "org_lo": org_lo or 0, "org_hi": org_hi or -1,
              "org_stride": org_max}
    for key, value in values.items():
        cur.execute("INSERT INTO bench_grow (key, value) VALUES (%s, %s)", [key, value])
    return values


def drop_indexes(cur) -> None:
    """Drop the secondary indexes of the grown tables (kept in bench_grow_index); constraints stay."""
    cur.execute("""
        SELECT i.relname, t.relname, pg_get_indexdef(i.oid)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = ANY(%s) AND NOT x.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
          AND t.relnamespace = 'public'::regnamespace
    """, [GROWN])
    for name, table, definition in cur.fetchall():
        cur.execute("INSERT INTO bench_grow_index (name, tbl, def) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                    [name, table, definition])
        cur.execute(f'DROP INDEX IF EXISTS "{name}"')


def restore_indexes(conn) -> None:
    rows = conn.execute("SELECT name, tbl, def FROM bench_grow_index ORDER BY tbl, name").fetchall()
    if not rows:
        return
    conn.execute("SET maintenance_work_mem = '512MB'")
    for name, table, definition in rows:
        start = time.perf_counter()
        conn.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1)
                     .replace("CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX IF NOT EXISTS", 1))
        conn.execute("DELETE FROM bench_grow_index WHERE name = %s", [name])
        log(f"  index {name} on {table}: {time.perf_counter() - start:.1f} s")


def copy_one(conn, m: dict[str, int], k: int, limit: int) -> int:
    """Copy base initiatives numbered up to ``limit`` as copy ``k`` (resuming a partial copy)."""
    base, stride, org_stride = m["base"], m["stride"], m["org_stride"]
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")  # ids are mapped: skip per-row FK triggers
        cur.execute(f"SELECT count(*) FROM {INIT} WHERE id > %s AND id <= %s", [k * stride, (k + 1) * stride])
        done = cur.fetchone()[0]
        if done >= limit:
            return 0
        # The base, numbered 1..BASE in id order (the demo number, as the seeded websites say).
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS src (id bigint PRIMARY KEY, num int NOT NULL) ON COMMIT DROP")
        cur.execute(f"INSERT INTO src SELECT id, row_number() OVER (ORDER BY id) FROM {INIT} WHERE id <= %s "
                    f"ON CONFLICT DO NOTHING", [stride])
        shift, org_shift = k * stride, k * org_stride
        org_map = (f"CASE WHEN t.organisation_id BETWEEN {m['org_lo']} AND {m['org_hi']} "
                   f"THEN t.organisation_id + {org_shift} ELSE t.organisation_id END")
        if done == 0 and m["org_hi"] >= m["org_lo"]:
            org_cols = columns(cur, ORG)
            over = {"id": f"t.id + {org_shift}",
                    "name": f"regexp_replace(t.name, '[0-9]+$', (substring(t.slug from 10)::int + {k} * "
                            f"{m['org_hi'] - m['org_lo'] + 1})::text)",
                    "slug": f"'demo-org-' || (substring(t.slug from 10)::int + {k} * {m['org_hi'] - m['org_lo'] + 1})"}
            cur.execute(f"INSERT INTO {ORG} ({', '.join(org_cols)}) SELECT "
                        + ", ".join(over.get(c, f"t.{c}") for c in org_cols)
                        + f" FROM {ORG} t WHERE t.id BETWEEN %s AND %s ON CONFLICT (id) DO NOTHING",
                        [m["org_lo"], m["org_hi"]])
        window = f"s.num > {done} AND s.num <= {limit}"
        init_cols = columns(cur, INIT)
        over = {
            "id": f"t.id + {shift}",
            "website": f"'{SITE}' || (s.num + {k * base}) || '.example.org'",
            "organisation_id": org_map,
            "published_at": f"t.published_at + interval '{k} seconds'",
            "last_reviewed_at": f"t.last_reviewed_at + interval '{k} seconds'",
        }
        cur.execute(f"INSERT INTO {INIT} ({', '.join(init_cols)}) SELECT "
                    + ", ".join(over.get(c, f"t.{c}") for c in init_cols)
                    + f" FROM {INIT} t JOIN src s ON s.id = t.id WHERE {window} ORDER BY t.id")
        copied = cur.rowcount
        for table in DEPENDENT:
            cols = [c for c in columns(cur, table) if c != "id"]
            over = {"initiative_id": f"t.initiative_id + {shift}", "organisation_id": org_map}
            cur.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT "
                        + ", ".join(over.get(c, f"t.{c}") for c in cols)  # noqa
                        + f" FROM {table} t JOIN src s ON s.id = t.initiative_id WHERE {window} "
                        f"ORDER BY t.initiative_id, t.id")
        return copied


def grow(conn, m: dict[str, int], target: int) -> None:
    base, stride = m["base"], m["stride"]
    copies = -(-target // base) - 1
    with conn.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {INIT}")
        if cur.fetchone()[0] >= target:
            log(f"Already {target:,} initiatives or more; nothing to copy.")
            return
        drop_indexes(cur)
    conn.commit()
    start = time.perf_counter()
    for k in range(1, copies + 1):
        limit = min(base, target - k * base)
        t0 = time.perf_counter()
        copied = copy_one(conn, m, k, limit)
        if copied:
            log(f"copy {k}/{copies}: {copied:,} initiatives and their rows in {time.perf_counter() - t0:.1f} s")
    log(f"Copies written in {time.perf_counter() - start:.0f} s; rebuilding indexes…")
    with conn.cursor() as cur:
        for table, step in ((INIT, stride), (ORG, m["org_stride"])):
            # Leave the sequences past the last copy's id range, so new rows never collide with copies.
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"GREATEST((SELECT max(id) FROM {table}), %s))", [(copies + 1) * step])
    conn.commit()


def finish(args, conn) -> None:
    conn.commit()
    conn.autocommit = True
    restore_indexes(conn)
    log("VACUUM ANALYZE…")
    for table in [*GROWN, ORG]:
        conn.execute(f"VACUUM ANALYZE {table}")
    conn.execute("ANALYZE")
    conn.autocommit = False


def check(conn) -> list[str]:
    """Derived data against their sources; returns the problems found (empty when consistent)."""
    problems = []
    q = lambda sql, *p: conn.execute(sql, p).fetchall()  # noqa: E731
    total, published = q(f"SELECT count(*), count(*) FILTER (WHERE state = 'published') FROM {INIT}")[0]
    log(f"check: {total:,} initiatives, {published:,} published")
    # Foreign keys written with triggers off.
    for table in DEPENDENT:
        orphans = q(f"SELECT count(*) FROM {table} t LEFT JOIN {INIT} i ON i.id = t.initiative_id WHERE i.id IS NULL")[0][0]
        if orphans:
            problems.append(f"{table}: {orphans} rows point to no initiative")
    for table in (INIT, FACT):
        orphans = q(f"SELECT count(*) FROM {table} t LEFT JOIN {ORG} o ON o.id = t.organisation_id WHERE o.id IS NULL")[0][0]
        if orphans:
            problems.append(f"{table}: {orphans} rows point to no organisation")
    # Every initiative has one primary action line, one revision, a search vector and tokens.
    for label, sql in [
        ("primary action line", "SELECT count(DISTINCT initiative_id) FROM stocktaking_initiativeactionline WHERE is_primary"),
        ("revision", "SELECT count(DISTINCT initiative_id) FROM stocktaking_initiativerevision"),
        ("search vector", f"SELECT count(*) FROM {INIT} WHERE search_vector IS NOT NULL"),
        ("facet tokens", f"SELECT count(*) FROM {INIT} WHERE facet_tokens IS NOT NULL"),
    ]:
        n = q(sql)[0][0]
        if n != total:
            problems.append(f"{n:,} of {total:,} initiatives have a {label}")
    # Search facet tokens of published initiatives against the analytics coverage roll-ups.
    tokens = dict(q(f"""
        SELECT tok, count(*) FROM {INIT}, unnest(facet_tokens) tok
        WHERE state = 'published' AND tok ~ '^(al|g|y|k|s|gm):' GROUP BY tok"""))
    facts = dict(q(f"""
        SELECT 'al:' || a.code, count(*) FROM {FACT} f JOIN taxonomy_actionline a ON a.id = f.action_line_id
            WHERE f.goal_id IS NULL GROUP BY a.code
        UNION ALL SELECT 'g:' || g.number, count(*) FROM {FACT} f JOIN taxonomy_goal g ON g.id = f.goal_id
            WHERE f.action_line_id IS NULL GROUP BY g.number
        UNION ALL SELECT 'y:' || f.year, count(*) FROM {FACT} f
            WHERE f.action_line_id IS NULL AND f.goal_id IS NULL AND f.year IS NOT NULL GROUP BY f.year
        UNION ALL SELECT 'k:' || f.kind, count(*) FROM {FACT} f WHERE f.action_line_id IS NULL AND f.goal_id IS NULL GROUP BY f.kind
        UNION ALL SELECT 's:' || f.status, count(*) FROM {FACT} f WHERE f.action_line_id IS NULL AND f.goal_id IS NULL GROUP BY f.status
        UNION ALL SELECT 'gm:' || f.gender_marker, count(*) FROM {FACT} f WHERE f.action_line_id IS NULL AND f.goal_id IS NULL GROUP BY f.gender_marker"""))
    rolled = q(f"SELECT count(*) FROM {FACT} WHERE action_line_id IS NULL AND goal_id IS NULL")[0][0]
    if rolled != published:
        problems.append(f"coverage has {rolled:,} initiative roll-ups for {published:,} published initiatives")
    for key in sorted(set(tokens) | set(facts)):
        if tokens.get(key, 0) != facts.get(key, 0):
            problems.append(f"facet {key}: search tokens count {tokens.get(key, 0):,}, coverage {facts.get(key, 0):,}")
    log(f"check: {len(tokens)} facet counts compared (search tokens vs coverage roll-ups)")
    # Tokens against the live tag and country tables (what search filters by vs what detail pages show).
    live = dict(q(f"""
        SELECT 'al:' || a.code, count(DISTINCT x.initiative_id) FROM stocktaking_initiativeactionline x
            JOIN taxonomy_actionline a ON a.id = x.action_line_id JOIN {INIT} i ON i.id = x.initiative_id
            WHERE i.state = 'published' GROUP BY a.code
        UNION ALL SELECT 'c:' || c.iso3, count(DISTINCT x.initiative_id) FROM stocktaking_initiative_countries x
            JOIN taxonomy_country c ON c.id = x.country_id JOIN {INIT} i ON i.id = x.initiative_id
            WHERE i.state = 'published' GROUP BY c.iso3"""))
    country_tokens = dict(q(f"""SELECT tok, count(*) FROM {INIT}, unnest(facet_tokens) tok
        WHERE state = 'published' AND (tok LIKE 'c:%%' OR tok LIKE 'al:%%') GROUP BY tok"""))
    for key in sorted(set(live) | set(country_tokens)):
        if live.get(key, 0) != country_tokens.get(key, 0):
            problems.append(f"facet {key}: tokens {country_tokens.get(key, 0):,}, tag tables {live.get(key, 0):,}")
    log(f"check: {len(live)} facet counts compared (search tokens vs tag and country tables)")
    return problems


def bump_caches(url: str) -> None:
    """Move the cache generations on, so that a shared cache (Redis) holds no counts of the old size."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": os.environ.get(
        "DJANGO_SETTINGS_MODULE", "config.settings.local")}
    code = "from wsis.stocktaking.services import _bump_search_generation as b; b()\n"
    subprocess.run([PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="Benchmark database name (created if missing).")
    parser.add_argument("--initiatives", type=int, default=200_000, help="Target number of initiatives.")
    parser.add_argument("--base", type=int, default=20_000, help="Initiatives seeded by seed_demo (default 20,000).")
    parser.add_argument("--seed", type=int, default=1, help="seed_demo --seed (default 1).")
    parser.add_argument("--template", help="Create the database as a copy of this one (e.g. a seeded base).")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432", help="Server URL, no database.")
    parser.add_argument("--check", action="store_true", help="Only check the derived data.")
    args = parser.parse_args()
    url = f"{args.pg_url}/{args.database}"

    started = time.perf_counter()
    if not args.check:
        ensure_database(args)
        with psycopg.connect(url) as conn:
            has_table = conn.execute("SELECT to_regclass(%s)", [INIT]).fetchone()[0]
            seeded = has_table and conn.execute(f"SELECT count(*) FROM {INIT}").fetchone()[0] > 0
        if not seeded:
            seed_base(args, url)
        with psycopg.connect(url) as conn:
            with conn.cursor() as cur:
                m = meta(cur)
                if not m:
                    m = first_grow(cur, args.base)
            conn.commit()
            log(f"base {m['base']:,} initiatives, id stride {m['stride']:,}; growing to {args.initiatives:,}")
            grow(conn, m, args.initiatives)
            finish(args, conn)
        bump_caches(url)
    with psycopg.connect(url) as conn:
        problems = check(conn)
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    for problem in problems:
        print("PROBLEM:", problem)
    log(f"{'consistent' if not problems else f'{len(problems)} problems'}; database {size}; "
        f"{time.perf_counter() - started:.0f} s in all")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
