#!/usr/bin/env python
"""Benchmark of the bulk downloads build (issue 20): time and peak memory at a given number of initiatives.

For each N it seeds (or reuses) N demo initiatives with ``manage.py seed_demo --initiatives N`` in a
database of its own, then, in a fresh child process, builds the bulk downloads once
(``wsis.opendata.services.dump_build``: every table in CSV, JSON Lines, XLSX and Parquet, the IATI
file, the descriptors) and prints:

- the wall-clock time of the build and the rows written per table;
- the process's resident memory before the build, its peak during the build (``ru_maxrss``), and
  the peak sampled every 50 ms (``/proc/self/statm``), so that runs at several N show whether memory
  stays flat (it should: every table is streamed from a server-side cursor).

Usage::

    .venv/bin/python bench/dump.py --initiatives 5000 20000                 # SQLite, var/bench-dump.sqlite3
    .venv/bin/python bench/dump.py --backend postgres --initiatives 200000 1000000

Databases: ``var/bench-dump.sqlite3`` (``--sqlite-path``) and the PostgreSQL database ``wsis_dump_bench`` on ``--pg-url``.
The seeder is incremental: ask for sizes in increasing order. The files are written to a temporary
MEDIA_ROOT that is removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * PAGE / 1e6
    except OSError:
        return 0.0


def worker(n: int, seed: bool) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    if seed:
        call_command("migrate", verbosity=0)
    from wsis.stocktaking.models import Initiative

    seeded_s = 0.0
    if seed and Initiative.objects.count() < n:
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", initiatives=n, seed=1, no_input=True, verbosity=0, stdout=quiet)
        seeded_s = time.perf_counter() - started
    return {"seed_s": round(seeded_s, 1)}


def build(n: int) -> dict:
    """Build the dump in this (fresh) process and measure it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from wsis.opendata.models import Dump
    from wsis.opendata.services import dump_build, dump_request
    from wsis.stocktaking.models import Initiative

    published = Initiative.objects.filter(state="published").count()
    import pyarrow  # noqa: F401 - loaded before the baseline, like every module the build needs
    import xlsxwriter  # noqa: F401
    from django.urls import reverse

    reverse("stocktaking:search")  # loads the URLconf (every app's views and API): a server has it loaded

    before = _rss_mb()
    peak = {"mb": before}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak["mb"] = max(peak["mb"], _rss_mb())
            time.sleep(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    from wsis.opendata import services

    steps: dict[str, float] = {}
    set_progress = services._set_progress

    def progress(dump, text):  # the peak so far as each step starts: which table makes memory grow
        steps[text] = round(peak["mb"], 1)
        set_progress(dump, text)

    services._set_progress = progress
    dump = dump_request(actor=None, trigger=Dump.Trigger.NIGHTLY, enqueue=False)
    started, started_cpu = time.perf_counter(), time.process_time()
    dump = dump_build(dump_id=dump.pk)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    stop.set()
    thread.join()
    result = {
        "backend": django.db.connection.vendor, "initiatives": Initiative.objects.count(), "published": published,
        "state": dump.state, "error": dump.error, "seconds": round(seconds, 1), "cpu_s": round(cpu, 1),
        "rss_before_mb": round(before, 1), "rss_peak_sampled_mb": round(peak["mb"], 1),
        "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rows": {e["table"]: e["rows"] for e in dump.files if e["format"] == "csv" and e["table"]},
        "bytes": sum(e["size"] for e in dump.files),
        "load": round(os.getloadavg()[0], 1), "peak_before_step_mb": steps,
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--initiatives", type=int, nargs="+", default=[20000])
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--pg-db", default="wsis_dump_bench")
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench-dump.sqlite3"))
    parser.add_argument("--child", choices=["seed", "build"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        n = args.initiatives[0]
        out = worker(n, seed=True) if args.child == "seed" else build(n)
        print(json.dumps(out, default=str))
        return
    if args.backend == "sqlite":
        (ROOT / "var").mkdir(exist_ok=True)
        url = f"sqlite:///{args.sqlite_path}"
    else:
        subprocess.run(["psql", f"{args.pg_url}/postgres", "-qc", f"CREATE DATABASE {args.pg_db}"],
                       stderr=subprocess.DEVNULL, check=False)
        url = f"{args.pg_url}/{args.pg_db}"
    media = tempfile.mkdtemp(prefix="wsis-bench-dump-")  # the build's files; removed at the end
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": media}
    print("| backend | initiatives (published) | build wall (s) | build CPU (s) | RSS before (MB) | RSS peak (MB) "
          "| ru_maxrss (MB) | files (MB) | load |\n|---|---|---|---|---|---|---|---|---|")
    for n in args.initiatives:
        for child in ("seed", "build"):
            proc = subprocess.run([sys.executable, __file__, "--child", child, "--backend", args.backend,
                                   "--initiatives", str(n)], env=env, stdout=subprocess.PIPE, check=True, text=True)
            result = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"| {result['backend']} | {result['initiatives']:,} ({result['published']:,}) | {result['seconds']} "
              f"| {result['cpu_s']} "
              f"| {result['rss_before_mb']} | {result['rss_peak_sampled_mb']} | {result['ru_maxrss_mb']} "
              f"| {result['bytes'] / 1e6:.1f} | {result['load']} |", flush=True)
        print(f"<!-- rows: {json.dumps(result['rows'])} -->", flush=True)
        print(f"<!-- peak RSS (MB) before each step: {json.dumps(result['peak_before_step_mb'])} -->", flush=True)
    shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
