#!/usr/bin/env python
"""Benchmark: WSIS Prizes public voting under load, against gunicorn on PostgreSQL (issue 17).

It prepares a database of its own (default ``wsis_prizes_voting``; never a ``wsis_bench*`` one): the
reference data, a contest in its voting phase with 18 categories of five nominees, and enough verified
voter accounts, each with a personal API token. Then it starts gunicorn and, for ``--seconds``, sends
``--rate`` votes per second (open loop: requests leave on schedule whether or not earlier ones have
answered) through ``POST /api/v1/prizes/contests/{year}/votes``, mixed with ``--read-rate`` reads of
the results and nominee pages. The plan of votes is drawn in advance:

* most (voter, category) pairs get one vote;
* ``--repeat`` of them send the same vote again after the first answer (it must count once);
* ``--change`` of them send a vote for another nominee after the first answer (the change must win);
* ``--race`` of them send the same vote twice at the same moment (exactly one row may result).

Afterwards it checks the database: every acknowledged vote is there with the nominee of the pair's
last acknowledged request (no vote lost), no pair has more than one row (none double-counted), and the
valid-vote count of every nominee equals what the acknowledged requests imply. It prints the achieved
rate, latency percentiles and the check, and exits 1 when a check fails.

The throttles are lifted for the run (every request comes from 127.0.0.1 and the per-address limit
would refuse most of them); the vote path is otherwise the production one (token auth, the service,
the audit row, one access-log line per request, written to ``var/bench-voting-gunicorn.log``), with
the cache in Redis (``--cache-url``) as in production.

Before the load it sends one first vote, one repeat and one change in-process through Django's test
client and prints the SQL statements each costs, then the Python CPU time of a vote (single thread, no
contention). After the load it prints where the CPU went during the run: the client (this process),
gunicorn's workers, the PostgreSQL backends serving them, and the rest of the machine (other jobs), with
the load average before and after. Latency is given twice: from sending to the answer, and from the
moment the schedule said the request was due (what a voter would see when the client falls behind).
Usage::

    .venv/bin/python bench/voting.py                         # 200 votes/s for 60 s, 4 workers
    .venv/bin/python bench/voting.py --seconds 10 --rate 100 # a smoke run
    .venv/bin/python bench/voting.py --no-setup              # reuse the prepared database
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
YEAR = 2049
NOMINEES_PER_CATEGORY = 5


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- Preparing the database ---------------------------------------------------------------------

def prepare(db_url: str, voters: int, setup: bool) -> dict:
    """Create (or reuse) the database and return the plan's ingredients: nominees and voter tokens."""
    if setup:
        import psycopg

        name = db_url.rsplit("/", 1)[1]
        if name.startswith("wsis_bench"):
            raise SystemExit("Refusing to use a wsis_bench* database: choose another --db.")
        admin = db_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if setup:
        call_command("migrate", verbosity=0)
        call_command("load_reference", verbosity=0)
    from wsis.accounts import services as account_services
    from wsis.accounts.models import ApiToken, Membership, Organisation, User
    from wsis.core.permissions import Role, RoleGrant
    from wsis.prizes import services
    from wsis.prizes.models import Contest, Entry
    from wsis.prizes.tests.factories import dates_for
    from wsis.stocktaking.models import Initiative
    from wsis.taxonomy.models import StakeholderType

    contest = Contest.objects.filter(year=YEAR).first()
    if contest is None:
        staff = User.objects.create(email="secretariat@bench.example.org", full_name="Bench secretariat",
                                    email_verified=True)
        RoleGrant.objects.create(user=staff, role=Role.SECRETARIAT)
        contest = services.contest_create(actor=staff, year=YEAR, dates=dates_for("voting"))
        stype = StakeholderType.objects.first()
        from wsis.taxonomy.models import Country

        country = Country.objects.order_by("iso3").first()
        n = 0
        for category in contest.categories.select_related("action_line"):
            for _i in range(NOMINEES_PER_CATEGORY):
                n += 1
                org = Organisation.objects.create(name=f"Bench organisation {n}", slug=f"bench-org-{n}",
                                                  stakeholder_type=stype, country=country)
                user = User.objects.create(email=f"org{n}@bench.example.org", full_name=f"Org {n}",
                                           email_verified=True)
                Membership.objects.create(user=user, organisation=org, role=Membership.Role.ADMIN)
                initiative = Initiative.objects.create(title=f"Bench project {n}", summary="s", organisation=org,
                                                       state=Initiative.State.PUBLISHED, created_by=user)
                Entry.objects.create(contest=contest, category=category, initiative=initiative, organisation=org,
                                     submitted_by=user, title=initiative.title, description="d", stage="completed",
                                     impact="i", partnerships="p", challenges="c", sdg_linkages="s",
                                     state=Entry.State.NOMINATED)
    else:  # a reused database: move the voting window around today
        Contest.objects.filter(pk=contest.pk).update(**dates_for("voting"))
    existing = User.objects.filter(email__startswith="voter", email__endswith="@bench.example.org").count()
    User.objects.bulk_create([User(email=f"voter{i:05d}@bench.example.org", full_name=f"Voter {i}",
                                   email_verified=True) for i in range(existing, voters)])
    tokens = []
    ApiToken.objects.filter(name="bench").delete()
    voters_qs = User.objects.filter(email__startswith="voter", email__endswith="@bench.example.org").order_by("email")
    for user in voters_qs[:voters]:
        _token, key = account_services.api_token_create(user=user, name="bench", scope=ApiToken.Scope.WRITE)
        tokens.append((user.pk, key))
    prober, _ = User.objects.get_or_create(email="probe@bench.example.org",
                                           defaults={"full_name": "Probe", "email_verified": True})
    _token, probe_key = account_services.api_token_create(user=prober, name="bench", scope=ApiToken.Scope.WRITE)
    from wsis.prizes.models import Vote

    Vote.objects.filter(contest=contest).delete()
    nominees = defaultdict(list)
    for pk, code in Entry.objects.filter(contest=contest).values_list("pk", "category__action_line__code"):
        nominees[code].append(pk)
    connection.close()
    return {"tokens": tokens, "nominees": dict(nominees), "contest": contest.pk, "probe_token": probe_key,
            "probe_voter": prober.pk}


# --- Plan and load ------------------------------------------------------------------------------

@dataclass
class Task:
    token: str
    voter: int
    category: str
    nominees: list[int]  # sent in order, each after the previous answer
    race: bool = False  # the first vote is sent twice at once


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    vote_ms: list[float] = field(default_factory=list)  # from sending to the answer
    due_ms: list[float] = field(default_factory=list)  # from the moment the schedule said "send" to the answer
    answered_at: list[float] = field(default_factory=list)  # perf_counter() of every vote's answer
    read_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    read_statuses: Counter = field(default_factory=Counter)
    acknowledged: dict = field(default_factory=dict)  # (voter, category) -> nominee of the last 2xx
    failures: list = field(default_factory=list)


def plan(data: dict, rate: int, seconds: int, repeat: float, change: float, race: float, seed: int) -> list[Task]:
    rng = random.Random(seed)
    pairs = [(voter, key, code) for voter, key in data["tokens"] for code in sorted(data["nominees"])]
    rng.shuffle(pairs)
    tasks, votes = [], 0
    for voter, key, code in pairs:
        if votes >= rate * seconds:
            break
        choices = data["nominees"][code]
        first = rng.choice(choices)
        roll = rng.random()
        if roll < repeat:
            sequence = [first, first]
        elif roll < repeat + change:
            sequence = [first, rng.choice([c for c in choices if c != first])]
        else:
            sequence = [first]
        task = Task(token=key, voter=voter, category=code, nominees=sequence, race=rng.random() < race)
        votes += len(sequence) + (1 if task.race else 0)
        tasks.append(task)
    if votes < rate * seconds:
        raise SystemExit(f"Not enough voters for {rate * seconds} votes: raise --voters.")
    return tasks


class Client(threading.local):
    def conn(self, port):
        if getattr(self, "c", None) is None:
            self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        return self.c

    def request(self, port, method, path, body=None, headers=None):
        for attempt in range(2):
            c = self.conn(port)
            try:
                c.request(method, path, body=body, headers=headers or {})
                response = c.getresponse()
                payload = response.read()
                return response.status, payload
            except (http.client.HTTPException, OSError):
                c.close()
                self.c = None
                if attempt:
                    raise
        raise RuntimeError("unreachable")


CLIENT = Client()


def send_vote(port: int, stats: Stats, task: Task, nominee: int, due: float | None = None) -> int:
    body = json.dumps({"nominee": nominee})
    headers = {"Authorization": f"Bearer {task.token}", "Content-Type": "application/json"}
    start = time.perf_counter()
    try:
        status, payload = CLIENT.request(port, "POST", f"/api/v1/prizes/contests/{YEAR}/votes", body, headers)
    except Exception as exc:  # noqa: BLE001 - counted
        status, payload = 599, str(exc).encode()
    end = time.perf_counter()
    with stats.lock:
        stats.vote_ms.append((end - start) * 1000)
        stats.due_ms.append((end - (start if due is None else min(due, start))) * 1000)
        stats.answered_at.append(end)
        stats.statuses[status] += 1
        if status in (200, 201):
            stats.acknowledged[(task.voter, task.category)] = nominee
        elif len(stats.failures) < 10:
            stats.failures.append((status, payload[:200]))
    return status


def run_task(port: int, stats: Stats, task: Task, pool: ThreadPoolExecutor, due: float) -> None:
    if task.race:
        twin = pool.submit(send_vote, port, stats, task, task.nominees[0], due)
        send_vote(port, stats, task, task.nominees[0], due)
        twin.result()
    else:
        send_vote(port, stats, task, task.nominees[0], due)
    for nominee in task.nominees[1:]:
        send_vote(port, stats, task, nominee)


READ_PATHS = [f"/api/v1/prizes/contests/{YEAR}/results", f"/api/v1/prizes/contests/{YEAR}/nominees?category=C4",
              f"/en/prizes/{YEAR}/categories/c7-4/", f"/en/prizes/{YEAR}/"]


def send_read(port: int, stats: Stats, i: int) -> None:
    start = time.perf_counter()
    try:
        status, _ = CLIENT.request(port, "GET", READ_PATHS[i % len(READ_PATHS)])
    except Exception:  # noqa: BLE001 - counted
        status = 599
    with stats.lock:
        stats.read_ms.append((time.perf_counter() - start) * 1000)
        stats.read_statuses[status] += 1


def load(port: int, tasks: list[Task], rate: int, read_rate: int, threads: int) -> tuple[Stats, float, float]:
    stats = Stats()
    # Tasks leave at the rate of their first vote; follow-ups (repeat, change) go after its answer.
    per_second = rate / (1 + sum(len(t.nominees) - 1 + t.race for t in tasks) / max(1, len(tasks)))
    with ThreadPoolExecutor(max_workers=threads) as pool, ThreadPoolExecutor(max_workers=threads) as helpers:
        start = time.perf_counter()
        futures, next_read, reads = [], 0.0, 0
        for i, task in enumerate(tasks):
            due = start + i / per_second
            while read_rate and next_read <= due - start:
                pool.submit(send_read, port, stats, reads)
                reads += 1
                next_read = reads / read_rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(run_task, port, stats, task, helpers, due))
        for f in futures:
            f.result()
    # From the first scheduled vote to the last answer (the time a client needed to get its votes in).
    elapsed = max(stats.answered_at) - start
    return stats, elapsed, start


def check(data: dict, stats: Stats) -> list[str]:
    import django

    django.setup()
    from django.db.models import Count, Q

    from wsis.prizes.models import Entry, Vote

    problems = []
    rows = list(Vote.objects.filter(contest=data["contest"]).values_list(
        "voter_id", "category__action_line__code", "entry_id", "is_valid"))
    by_pair = Counter((v, c) for v, c, _e, _ok in rows)
    doubles = [p for p, n in by_pair.items() if n > 1]
    if doubles:
        problems.append(f"{len(doubles)} (voter, category) pairs hold more than one vote")
    stored = {(v, c): e for v, c, e, _ok in rows}
    lost = [p for p in stats.acknowledged if p not in stored]
    if lost:
        problems.append(f"{len(lost)} acknowledged votes are missing from the database")
    wrong = [p for p, e in stats.acknowledged.items() if p in stored and stored[p] != e]
    if wrong:
        problems.append(f"{len(wrong)} votes hold another nominee than the last acknowledged request")
    unacknowledged = [p for p in stored if p not in stats.acknowledged]
    if unacknowledged:
        problems.append(f"{len(unacknowledged)} stored votes were never acknowledged (answers lost)")
    expected = Counter(stats.acknowledged.values())
    counted = dict(Entry.objects.filter(contest=data["contest"]).annotate(
        n=Count("votes", filter=Q(votes__is_valid=True))).values_list("pk", "n"))
    mismatched = [pk for pk, n in counted.items() if n != expected.get(pk, 0)]
    if mismatched:
        problems.append(f"{len(mismatched)} nominees' valid counts differ from the acknowledged votes")
    return problems


# --- Where the time goes ------------------------------------------------------------------------

def probe(data: dict, votes: int = 200) -> None:
    """In-process: the SQL of a first vote, a repeat and a change; then the Python CPU time of a vote."""
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    from wsis.prizes.models import Vote

    client = TestClient(HTTP_HOST="127.0.0.1")
    key = data["probe_token"]
    codes = sorted(data["nominees"])

    def vote(nominee):
        return client.post(f"/api/v1/prizes/contests/{YEAR}/votes", data=json.dumps({"nominee": nominee}),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")

    import redis

    trips = []
    single, batch = redis.Redis.execute_command, redis.client.Pipeline.execute
    redis.Redis.execute_command = lambda self, *a, **k: trips.append(a[0]) or single(self, *a, **k)
    redis.client.Pipeline.execute = lambda self, *a, **k: trips.append("PIPELINE") or batch(self, *a, **k)
    first, other = data["nominees"][codes[0]][:2]
    try:
        for label, nominee in (("first vote", first), ("same vote again", first), ("changed vote", other)):
            trips.clear()
            with CaptureQueriesContext(connection) as queries:
                response = vote(nominee)
            statements = [q["sql"].split(None, 1)[0] for q in queries.captured_queries]
            print(f"  {label}: HTTP {response.status_code}, {len(statements)} SQL statements: {' '.join(statements)}; "
                  f"{len(trips)} Redis round trips")
    finally:
        redis.Redis.execute_command, redis.client.Pipeline.execute = single, batch
    # The token's last use is written once a minute: the statements above include it on the first vote.
    Vote.objects.filter(voter_id=data["probe_voter"]).delete()
    cpu, wall, n = time.process_time(), time.perf_counter(), 0
    while n < votes:
        for code in codes:
            if n >= votes:
                break
            vote(data["nominees"][code][n // len(codes) % NOMINEES_PER_CATEGORY])
            n += 1
        Vote.objects.filter(voter_id=data["probe_voter"]).delete()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"  {n} votes in one thread: {cpu / n * 1000:.1f} ms of Python CPU and {wall / n * 1000:.1f} ms wall per vote "
          f"(first votes; the difference is mostly waiting for PostgreSQL)")
    connection.close()


def cpu_ticks_of(pid: int) -> int:
    """User + system CPU ticks of a process (0 when it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


class BackendSampler(threading.Thread):
    """Samples the CPU time of the PostgreSQL backends serving the bench database every half second
    (their process title names the database), keeping the last reading of backends that exit."""

    def __init__(self, database: str):
        super().__init__(daemon=True)
        self.marker = f" {database} ".encode()
        self.ticks: dict[int, int] = {}
        self.baseline: dict[int, int] = {}
        self.stopping = threading.Event()

    def scan(self) -> dict[int, int]:
        found = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    title = (entry / "cmdline").read_bytes()
                except OSError:
                    continue
                if title.startswith(b"postgres:") and self.marker in title:
                    found[int(entry.name)] = cpu_ticks_of(int(entry.name))
        return found

    def run(self) -> None:
        self.baseline = self.scan()
        while not self.stopping.wait(0.5):
            for pid, ticks in self.scan().items():
                self.ticks[pid] = max(ticks, self.ticks.get(pid, 0))

    def stop(self) -> float:
        """CPU seconds the backends spent since the sampler started."""
        self.stopping.set()
        self.join()
        spent = sum(t - self.baseline.get(pid, 0) for pid, t in self.ticks.items())
        return spent / os.sysconf("SC_CLK_TCK")


def gunicorn_ticks(master: int) -> int:
    """CPU ticks of gunicorn's master and its live workers."""
    children = Path(f"/proc/{master}/task/{master}/children")
    pids = [master, *(int(p) for p in children.read_text().split())] if children.exists() else [master]
    return sum(cpu_ticks_of(p) for p in pids)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/wsis_prizes_voting")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/0",
                        help="The shared cache, as in production (keys prefixed bench-voting).")
    parser.add_argument("--rate", type=int, default=200, help="Votes per second (default 200).")
    parser.add_argument("--read-rate", type=int, default=50, help="Page and API reads per second (default 50).")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=0,
                        help="gunicorn worker processes (default: gunicorn.conf.py's, 2 × CPUs + 1).")
    parser.add_argument("--threads", type=int, default=64, help="Client threads (default 64).")
    parser.add_argument("--repeat", type=float, default=0.05, help="Share of pairs sending the same vote again.")
    parser.add_argument("--change", type=float, default=0.05, help="Share of pairs changing their vote.")
    parser.add_argument("--race", type=float, default=0.02, help="Share of pairs sending their vote twice at once.")
    parser.add_argument("--voters", type=int, default=0, help="Voter accounts (default: enough for the plan).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-setup", action="store_true", help="Reuse the database as it is.")
    args = parser.parse_args()

    # The same settings for the preparation, the in-process probe and the server.
    separator = "&" if "?" in args.cache_url else "?"
    os.environ.update({
        "DATABASE_URL": args.db, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DEBUG": "False",
        "CACHE_URL": f"{args.cache_url}{separator}key_prefix=bench-voting",
        "RATE_LIMIT_PRIZE_VOTE": "1000000/m", "RATE_LIMIT_PRIZE_VOTE_IP": "1000000/m",
        "RATE_LIMIT_API_WRITE": "1000000/m"})
    voters = args.voters or max(50, int(args.rate * args.seconds / 18 * 1.3) + 10)
    t0 = time.perf_counter()
    data = prepare(args.db, voters, not args.no_setup)
    print(f"Prepared {len(data['tokens'])} voters, {sum(len(v) for v in data['nominees'].values())} nominees "
          f"in {time.perf_counter() - t0:.0f} s.", flush=True)
    print("The vote path, in-process:", flush=True)
    probe(data)
    tasks = plan(data, args.rate, args.seconds, args.repeat, args.change, args.race, args.seed)

    port = free_port()
    gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    if args.workers:
        gunicorn += ["--workers", str(args.workers)]
    log_path = ROOT / "var" / "bench-voting-gunicorn.log"
    log_path.parent.mkdir(exist_ok=True)
    with open(log_path, "w") as log:
        server = subprocess.Popen(gunicorn, cwd=ROOT, env=os.environ.copy(), start_new_session=True,
                                  stdout=log, stderr=subprocess.STDOUT)
    sampler = BackendSampler(args.db.rsplit("/", 1)[1])
    try:
        for _ in range(300):
            try:
                status, _ = Client().request(port, "GET", f"/api/v1/prizes/contests/{YEAR}")
                if status == 200:
                    break
            except Exception:  # noqa: BLE001 - not up yet
                pass
            time.sleep(0.2)
        else:
            raise SystemExit(f"gunicorn did not answer: see {log_path}.")
        workers = len(Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split())
        load_before = os.getloadavg()
        server_before = gunicorn_ticks(server.pid)
        client_before = resource.getrusage(resource.RUSAGE_SELF)
        machine_before = machine_ticks()
        sampler.start()
        stats, elapsed, started = load(port, tasks, args.rate, args.read_rate, args.threads)
        postgres_cpu = sampler.stop()
        machine_after = machine_ticks()
        client_after = resource.getrusage(resource.RUSAGE_SELF)
        load_after = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    # gunicorn's whole tree (workers recycled by max_requests included) once it has exited, less its start.
    tick = os.sysconf("SC_CLK_TCK")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = children.ru_utime + children.ru_stime - server_before / tick
    client_cpu = (client_after.ru_utime + client_after.ru_stime) - (client_before.ru_utime + client_before.ru_stime)
    busy = (machine_after[0] - machine_before[0]) / tick
    capacity = (machine_after[1] - machine_before[1]) / tick

    votes = sum(stats.statuses.values())
    window = sum(1 for t in stats.answered_at if t - started <= args.seconds)
    per_second = Counter(int(t - started) for t in stats.answered_at)
    steady = sorted(per_second[s] for s in range(1, min(args.seconds, int(elapsed)) - 1)) or [0]
    print(f"\nVotes: {votes} answered in {elapsed:.1f} s (first due to last answered) = {votes / elapsed:.1f}/s; "
          f"{window} answered in the first {args.seconds} s = {window / args.seconds:.1f}/s (target {args.rate}/s)")
    print(f"Votes answered per second, seconds 1..{len(steady)}: min {steady[0]}, median {steady[len(steady) // 2]}, "
          f"max {steady[-1]}; statuses {dict(sorted(stats.statuses.items()))}")
    print(f"Vote latency ms, sending to answer: p50 {percentile(stats.vote_ms, 50):.0f}, "
          f"p95 {percentile(stats.vote_ms, 95):.0f}, p99 {percentile(stats.vote_ms, 99):.0f}, max {max(stats.vote_ms):.0f}")
    print(f"Vote latency ms, due to answer (client queueing included): p50 {percentile(stats.due_ms, 50):.0f}, "
          f"p95 {percentile(stats.due_ms, 95):.0f}, p99 {percentile(stats.due_ms, 99):.0f}")
    reads = sum(stats.read_statuses.values())
    if reads:
        print(f"Reads: {reads} = {reads / elapsed:.1f}/s; statuses {dict(stats.read_statuses)}; latency ms p50 "
              f"{percentile(stats.read_ms, 50):.0f}, p95 {percentile(stats.read_ms, 95):.0f}")
    for failure in stats.failures:
        print("  failure:", failure)
    problems = check(data, stats)
    print(f"Acknowledged (voter, category) pairs: {len(stats.acknowledged)}; races {sum(t.race for t in tasks)}, "
          f"repeats/changes {sum(len(t.nominees) > 1 for t in tasks)}")
    print("Check against the database: " + ("no vote lost, none double-counted." if not problems else
                                            "FAILED: " + "; ".join(problems)))
    print(f"CPU seconds during the load ({capacity:.0f} available on {os.cpu_count()} CPUs, {busy:.0f} busy): "
          f"gunicorn {server_cpu:.1f} ({server_cpu / max(1, votes + reads) * 1000:.1f} ms per request), "
          f"PostgreSQL backends {postgres_cpu:.1f}, client {client_cpu:.1f}, "
          f"rest of the machine {busy - server_cpu - postgres_cpu - client_cpu:.1f}")
    print(f"Load average before {load_before[0]:.2f} / after {load_after[0]:.2f} (1 min); gunicorn workers {workers} "
          f"(gunicorn.conf.py: threads {os.environ.get('GUNICORN_THREADS', 4)}); client threads {args.threads}; "
          f"log {log_path.relative_to(ROOT)}")
    return 1 if problems or stats.statuses.get(599) else 0


if __name__ == "__main__":
    sys.exit(main())
