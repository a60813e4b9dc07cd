#!/usr/bin/env python
"""Load test: twenty people at once on the public site, plus signed-in submitters (Locust, headless).

Starts gunicorn with the repository's ``gunicorn.conf.py`` on a free port (unless ``--host`` names a
running site, e.g. the production issue's several-host run), then runs Locust in this process for
``--duration`` seconds with ``--users`` simulated users, and prints per endpoint: requests, errors,
requests/s, p50/p95/p99 (ms); then the totals, the load average before and after, and the API list
endpoint against a minimal Django JSON view of the same first page (``bench/urls_load.py``), both
served by the same workers in the same run.

The anonymous mix (weights in ``AnonymousVisitor``): home, the unfiltered list and a deep page of
it, text searches, text with facets, facets only, a country's initiatives, the coverage matrix
plain and filtered, a country page and a country profile, the Atom feed, the API list, detail
pages, and the (capped) CSV export, whose rows are counted: a body shorter than its
``Content-Length`` or a CSV cut inside a row counts as an error. ``--submitters`` users (default
2) sign in as demo users and save or submit new initiatives through the HTML form.

Usage (a database grown with ``bench/grow.py``; Redis on 127.0.0.1:6379)::

    python bench/load.py --database postgres://postgres@127.0.0.1:5432/wsis_bench
    python bench/load.py --database …/wsis_bench_1m --users 20 --duration 60 --workers 5
    python bench/load.py --database …/wsis_bench --cache locmem --page-cache 0 --data-cache 0   # "before"
    python bench/load.py --host https://staging.example.org --no-submitters                    # a running site
    bench/cluster.sh        # several hosts (network namespaces, HAProxy): --host, --accepted-log, --errors-log

With ``--host``, ``--no-floor`` leaves out the bench-only URL, ``--ca-bundle`` trusts a private
certificate, and ``--accepted-log`` / ``--errors-log`` / ``--timeline`` / ``--summary-json`` write what
``bench/cluster.sh`` checks afterwards (every accepted submission is in the primary; when each error
happened).

Runs are bounded by ``--duration`` (and a hard stop 60 s after it). Figures depend heavily on the
machine: record them with the load average printed here, and repeat them on a quiet machine.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from gevent import monkey

monkey.patch_all()

import gevent  # noqa: E402
from locust import HttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

WORDS = ["broadband", "health", "skills training", "open data", "early warning", "farmers", "cybersecurity",
         "women", "digital identity", "telemedicine", "e-waste", "mobile money", "community networks"]
ACTION_LINES = ["C1", "C2", "C3", "C4", "C5", "C6", "C7.1", "C7.2", "C7.3", "C7.4", "C7.6", "C7.7", "C8", "C10"]
REGIONS = ["002", "019", "142", "150", "009"]
COUNTRIES = ["KEN", "IND", "BRA", "FRA", "NGA", "CHN", "USA", "EGY", "IDN", "MEX", "ZAF", "PAK", "FJI"]
GROUPS = ["ldc", "lldc", "sids"]
KINDS = ["project", "programme", "policy", "platform"]
PUBLISHED_IDS: list[int] = []
SUBMITTERS = ["submitter", "editor"]
DEMO_DOMAIN = "demo.wsis.example.org"
DEMO_PASSWORD = "wsis-demo-2025"
EXPORT_ROWS: list[int] = []
# Files the several-host run (bench/cluster.sh) reads back: every accepted submission (its title and
# where the server sent the browser), every failed request with its time, requests per second.
ACCEPTED_LOG: list = []  # [open file] when --accepted-log is given


CA_BUNDLE: list[str] = []  # --ca-bundle: the certificate of a site with a private CA (bench/cluster.sh)


class BenchUser(HttpUser):
    abstract = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if CA_BUNDLE:
            self.client.verify = CA_BUNDLE[0]


class AnonymousVisitor(BenchUser):
    """Someone reading the registry without signing in."""

    wait_time = between(0.5, 2.0)
    weight = 9

    @task(10)
    def home(self):
        self.client.get("/en/", name="home")

    @task(5)
    def listing(self):
        self.client.get("/en/initiatives/", name="list")

    @task(2)
    def listing_deep(self):
        self.client.get(f"/en/initiatives/?page={random.randint(2, 60)}", name="list page n")

    @task(8)
    def search_text(self):
        self.client.get("/en/initiatives/", params={"q": random.choice(WORDS)}, name="search text")

    @task(7)
    def search_text_facets(self):
        params = {"q": random.choice(WORDS), "action_line": random.choice(ACTION_LINES),
                  "region": random.choice(REGIONS)}
        self.client.get("/en/initiatives/", params=params, name="search text+facets")

    @task(5)
    def search_facets(self):
        params = {"goal": random.randint(1, 17), "group": random.choice(GROUPS), "kind": random.choice(KINDS)}
        self.client.get("/en/initiatives/", params=params, name="search facets")

    @task(4)
    def search_country(self):
        self.client.get("/en/initiatives/", params={"country": random.choice(COUNTRIES)}, name="search country")

    @task(4)
    def matrix(self):
        self.client.get("/en/analytics/", name="matrix")

    @task(4)
    def matrix_filtered(self):
        params = {"region": random.choice(REGIONS), "kind": random.choice(KINDS)}
        self.client.get("/en/analytics/", params=params, name="matrix filtered")

    @task(4)
    def country_page(self):
        self.client.get(f"/en/countries/{random.choice(COUNTRIES)}/", name="country page")

    @task(3)
    def country_profile(self):
        self.client.get(f"/en/analytics/countries/{random.choice(COUNTRIES)}/", name="country profile")

    @task(3)
    def feed(self):
        self.client.get("/en/feeds/initiatives.atom", name="feed")

    @task(8)
    def detail(self):
        if PUBLISHED_IDS:
            self.client.get(f"/en/initiatives/{random.choice(PUBLISHED_IDS)}/", name="detail")

    @task(4)
    def api_list(self):
        self.client.get("/api/v1/initiatives", name="api list")

    @task(4)
    def minimal_json(self):
        self.client.get("/bench/minimal-initiatives", name="minimal json (floor)")

    @task(1)
    def export(self):
        params = {"country": random.choice(COUNTRIES), "action_line": random.choice(ACTION_LINES)}
        with self.client.get("/en/initiatives/export.csv", params=params, name="export csv",
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            body = response.content
            length = response.headers.get("Content-Length")
            if length is not None and int(length) != len(body):
                response.failure(f"truncated: {len(body)} of {length} bytes")
                return
            text = body.decode("utf-8-sig")
            if text and not text.endswith("\n"):
                response.failure("truncated: the CSV ends inside a row")
                return
            rows = list(csv.reader(io.StringIO(text)))
            widths = {len(r) for r in rows}
            if len(widths) > 1:
                response.failure(f"truncated: rows of {sorted(widths)} columns")
                return
            EXPORT_ROWS.append(max(0, len(rows) - 1))
            response.success()


def _hidden_inputs(html: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(
        r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)}


def _first_option(html: str, name: str) -> str | None:
    """The first choice of a field: an option of its <select>, or its first checkbox (the countries are
    checkboxes grouped by region)."""
    select = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    if select:
        option = re.search(r'<option[^>]*value="([^"]+)"', select.group(1))
        return option.group(1) if option else None
    box = re.search(rf'<input[^>]*type="checkbox"[^>]*name="{re.escape(name)}"[^>]*value="([^"]+)"', html)
    return box.group(1) if box else None


class Submitter(BenchUser):
    """A signed-in member of an organisation entering initiatives (deadline day)."""

    wait_time = between(2, 6)
    weight = 1
    fixed_count = 2

    def on_start(self):
        local = SUBMITTERS[id(self) % len(SUBMITTERS)]
        page = self.client.get("/en/accounts/sign-in/", name="sign-in form")
        data = {**_hidden_inputs(page.text), "username": f"{local}@{DEMO_DOMAIN}", "password": DEMO_PASSWORD}
        self.client.post("/en/accounts/sign-in/", data=data, name="sign-in",
                         headers={"Referer": self.host + "/en/accounts/sign-in/"})

    @task(3)
    def my_initiatives(self):
        self.client.get("/en/initiatives/mine/", name="mine (signed in)")

    @task(2)
    def submit(self):
        form = self.client.get("/en/initiatives/new/", name="new form (signed in)")
        if form.status_code != 200:
            return
        html = form.text
        stamp = f"{time.time():.6f}"
        data = {
            **_hidden_inputs(html), "title": f"Load-test community network {stamp}",
            "summary": "A community network that connects villages, entered by the load test.",
            "description": "Entered by bench/load.py to measure submissions under load.",
            "language": "en", "kind": "project", "status": "ongoing", "coverage": "national",
            "start_date": "2025-03-01", "gender_marker": "0", "goals": "9",
            "action": random.choice(["save", "submit"]),
            # Every title starts alike: confirm that it is not the similar initiative submitted before
            # (otherwise a submission is kept as a draft and answered 400).
            "confirm_distinct": "on",
        }
        for name in ("organisation", "countries", "primary_action_line"):
            value = _first_option(html, name)
            if value:
                data[name] = value
        with self.client.post("/en/initiatives/new/", data=data, name="submit (signed in)", allow_redirects=False,
                              headers={"Referer": self.host + "/en/initiatives/new/"},
                              catch_response=True) as response:
            location = response.headers.get("Location", "")
            if response.status_code in (302, 303) and "/sign-in/" in location:
                # Not a write: the sign-in of this user failed (e.g. its host was killed), so the form
                # was sent anonymously and the site asks to sign in. Sign in again for the next round.
                response.failure("not signed in: redirected to the sign-in page")
                self.on_start()
            elif response.status_code in (302, 303):
                response.success()
                if ACCEPTED_LOG:
                    ACCEPTED_LOG[0].write(f"{time.time():.3f}\t{data['action']}\t{data['title']}\t{location}\n")
                    ACCEPTED_LOG[0].flush()
            else:
                response.failure(f"HTTP {response.status_code}: the form was not accepted")


def record_requests(env: Environment, errors_path: str | None, timeline_path: str | None):
    """Write each failed request with its time (``--errors-log``) and count requests and failures per
    second (``--timeline``), so that errors can be placed against the moment a host was killed."""
    errors = open(errors_path, "w") if errors_path else None  # noqa: SIM115 - closed by the returned function
    seconds: dict[int, list] = {}

    def on_request(request_type, name, response_time, response_length, exception=None, **kwargs):
        now = time.time()
        bucket = seconds.setdefault(int(now), [0, 0, []])
        bucket[0] += 1
        bucket[2].append(response_time)
        if exception is not None:
            bucket[1] += 1
            if errors:
                message = str(exception).replace("\t", " ").replace("\n", " ")[:300]
                errors.write(f"{now:.3f}\t{request_type}\t{name}\t{message}\n")
                errors.flush()

    env.events.request.add_listener(on_request)

    def close():
        if errors:
            errors.close()
        if timeline_path:
            with open(timeline_path, "w") as out:
                out.write("second\trequests\tfailures\tmax_ms\n")
                for second in sorted(seconds):
                    requests, failures, times = seconds[second]
                    out.write(f"{second}\t{requests}\t{failures}\t{max(times):.0f}\n")

    return close


def summary_json(env: Environment, started: float, seconds: float, path: str) -> None:
    """The figures of the run as JSON (``--summary-json``), for the several-host run's report."""
    import json

    def figures(e) -> dict:
        return {"requests": e.num_requests, "failures": e.num_failures, "rps": round(e.num_requests / seconds, 2),
                "p50": e.get_response_time_percentile(0.5), "p95": e.get_response_time_percentile(0.95),
                "p99": e.get_response_time_percentile(0.99)}

    data = {"started": started, "seconds": round(seconds, 1), "load_after": _load(), "total": figures(env.stats.total),
            "endpoints": {e.name: figures(e) for e in env.stats.entries.values()}}
    Path(path).write_text(json.dumps(data, indent=1))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _published_ids(database: str) -> list[int]:
    import psycopg

    with psycopg.connect(database) as conn:
        rows = conn.execute("SELECT id FROM stocktaking_initiative WHERE state = 'published' "
                            "ORDER BY random() LIMIT 2000").fetchall()
    return [r[0] for r in rows]


def start_server(args) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings_load", "DATABASE_URL": args.database,
           "GUNICORN_ACCESSLOG": "/dev/null", "PUBLIC_PAGE_CACHE_SECONDS": str(args.page_cache),
           "DATA_CACHE_SECONDS": str(args.data_cache),
           "BENCH_CACHE_PREFIX": f"bench{time.time():.0f}"}  # a fresh prefix: every run starts cold
    if args.cache == "locmem":
        env["CACHE_URL"] = "locmemcache://bench"
    else:
        env["CACHE_URL"] = args.cache
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", str(ROOT / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}"]
    if args.workers:
        command += ["--workers", str(args.workers)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    log = None
    if args.quiet:  # to a file, read back at the end (a pipe nobody reads would block the server)
        args.server_log = Path(f"/tmp/bench-load-{port}.log")
        log = args.server_log.open("wb")
    if args.warm_cache is not None:  # what a deployment does after migrate (docs/operations.md)
        began = time.time()
        subprocess.run([sys.executable, "manage.py", "warm_cache", "--limit", str(args.warm_cache)], cwd=ROOT,
                       env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"manage.py warm_cache --limit {args.warm_cache}: {time.time() - began:.0f} s")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=log)
    host = f"http://127.0.0.1:{port}"
    import urllib.request

    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(host + "/en/", timeout=30) as r:  # noqa: S310 - our own server
                if r.status == 200:
                    return server, host
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("The server did not answer within 120 s.")


def report(env: Environment, seconds: float, args) -> int:
    entries = sorted(env.stats.entries.values(), key=lambda e: e.name)
    print(f"\n{'endpoint':<26}{'reqs':>7}{'errors':>8}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}  (ms)")
    for e in entries:
        print(f"{e.name:<26}{e.num_requests:>7}{e.num_failures:>8}{e.num_requests / seconds:>8.2f}"
              f"{e.get_response_time_percentile(0.5):>8.0f}{e.get_response_time_percentile(0.95):>8.0f}"
              f"{e.get_response_time_percentile(0.99):>8.0f}")
    total = env.stats.total
    print(f"{'ALL':<26}{total.num_requests:>7}{total.num_failures:>8}{total.num_requests / seconds:>8.2f}"
          f"{total.get_response_time_percentile(0.5):>8.0f}{total.get_response_time_percentile(0.95):>8.0f}"
          f"{total.get_response_time_percentile(0.99):>8.0f}")
    for error in env.stats.errors.values():
        print(f"  error ×{error.occurrences}: {error.method} {error.name}: {error.error}")
    api, floor = env.stats.get("api list", "GET"), env.stats.get("minimal json (floor)", "GET")
    if api.num_requests and floor.num_requests:
        print(f"\nAPI list vs minimal Django JSON view (same workers, same run): p50 "
              f"{api.get_response_time_percentile(0.5):.0f} vs {floor.get_response_time_percentile(0.5):.0f} ms, "
              f"p95 {api.get_response_time_percentile(0.95):.0f} vs {floor.get_response_time_percentile(0.95):.0f} ms")
    if EXPORT_ROWS:
        print(f"Exports: {len(EXPORT_ROWS)} complete CSV files, {min(EXPORT_ROWS)}–{max(EXPORT_ROWS)} rows each "
              f"(checked: Content-Length, whole rows, same width)")
    server_log = getattr(args, "server_log", None)
    if server_log and server_log.exists():
        notable = [line for line in server_log.read_text(errors="replace").splitlines()
                   if any(word in line for word in ("CRITICAL", "ERROR", "WORKER TIMEOUT", "Traceback"))]
        print(f"Server log {server_log}: {len(notable)} notable lines" + "".join(f"\n  {line}" for line in notable[:10]))
    return 1 if total.num_failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", ""),
                        help="PostgreSQL URL of a grown database (bench/grow.py).")
    parser.add_argument("--host", help="A running site to load instead of starting gunicorn here.")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", type=int, default=60, help="Seconds of load (default 60).")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py).")
    parser.add_argument("--threads", type=int, help="gunicorn threads per worker (default: gunicorn.conf.py).")
    parser.add_argument("--cache", default="redis://127.0.0.1:6379/14",
                        help="CACHE_URL for the server, or 'locmem' (a cache per worker).")
    parser.add_argument("--page-cache", type=int, default=60, help="PUBLIC_PAGE_CACHE_SECONDS (0: off).")
    parser.add_argument("--data-cache", type=int, default=3600, help="DATA_CACHE_SECONDS (0: off).")
    parser.add_argument("--no-submitters", action="store_true", help="Anonymous visitors only.")
    parser.add_argument("--submitters", type=int, default=2, help="Signed-in submitters among the users (default 2).")
    parser.add_argument("--quiet", action="store_true", help="Hide the server's own log.")
    parser.add_argument("--no-floor", action="store_true",
                        help="Leave out /bench/minimal-initiatives (a site without the bench URLs, e.g. --host).")
    parser.add_argument("--ca-bundle", help="Trust this certificate (a --host with a self-signed one).")
    parser.add_argument("--accepted-log", help="Write every accepted submission (time, action, title, Location).")
    parser.add_argument("--errors-log", help="Write every failed request (time, method, name, error).")
    parser.add_argument("--timeline", help="Write requests and failures per second.")
    parser.add_argument("--summary-json", help="Write the totals and per-endpoint figures as JSON.")
    parser.add_argument("--wait", type=float, nargs=2, metavar=("MIN", "MAX"), default=(0.5, 2.0),
                        help="An anonymous visitor's pause between requests, seconds (default 0.5 2.0). "
                             "Twenty users pausing 1.25 s on average cannot send more than 16 requests/s "
                             "however fast the server answers: measure capacity with shorter pauses.")
    parser.add_argument("--warm-cache", type=int, metavar="LIMIT",
                        help="Run manage.py warm_cache --limit LIMIT on the fresh cache before the load, "
                             "as a deployment does (default: not run).")
    parser.add_argument("--warmup", type=int, default=0,
                        help="Seconds of the same load before the measured window (default 0: start cold).")
    args = parser.parse_args()
    AnonymousVisitor.wait_time = between(*args.wait)

    server = None
    if args.host:
        host = args.host.rstrip("/")
    else:
        if not args.database.startswith("postgres"):
            raise SystemExit("--database postgres://… (a database grown with bench/grow.py) is required.")
        server, host = start_server(args)
    try:
        if args.database:
            PUBLISHED_IDS.extend(_published_ids(args.database))
        users = [AnonymousVisitor] if args.no_submitters else [AnonymousVisitor, Submitter]
        if args.ca_bundle:
            CA_BUNDLE.append(args.ca_bundle)
        if args.no_floor:
            AnonymousVisitor.tasks = [t for t in AnonymousVisitor.tasks if t is not AnonymousVisitor.minimal_json]
        if args.accepted_log:
            ACCEPTED_LOG.append(open(args.accepted_log, "w"))  # noqa: SIM115 - closed below
        Submitter.fixed_count = 0 if args.no_submitters else args.submitters
        # Users finish the request in flight when the time is up (else it would count as an error).
        env = Environment(user_classes=users, host=host, stop_timeout=60)
        runner = env.create_local_runner()
        close_records = record_requests(env, args.errors_log, args.timeline)
        print(f"Load average before: {_load()}; {args.users} users for {args.duration} s on {host}, "
              f"pauses {args.wait[0]:g}–{args.wait[1]:g} s")
        runner.start(args.users, spawn_rate=args.spawn_rate)
        if args.warmup:
            # Steady state: the same load for --warmup seconds first (caches filled, buffers read), then
            # the figures start from zero. Without it the run starts from empty caches (the default).
            gevent.sleep(args.warmup)
            env.stats.reset_all()
            EXPORT_ROWS.clear()
            print(f"Warm-up of {args.warmup} s done; load average {_load()}; measuring now")
        started = time.time()
        gevent.sleep(args.duration)
        seconds = time.time() - started
        runner.stop()  # waits for the requests in flight (up to stop_timeout)
        runner.quit()
        print(f"Load average after: {_load()}")
        close_records()
        if args.summary_json:
            summary_json(env, started, seconds, args.summary_json)
        return report(env, seconds, args)
    finally:
        if ACCEPTED_LOG:
            ACCEPTED_LOG[0].close()
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    sys.exit(main())
