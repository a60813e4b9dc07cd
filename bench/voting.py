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
the audit row). Usage::

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
import signal
import socket
import statistics
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
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
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
    for user in User.objects.filter(email__startswith="voter", email__endswith="@bench.example.org").order_by("email")[:voters]:
        _token, key = account_services.api_token_create(user=user, name="bench", scope=ApiToken.Scope.WRITE)
        tokens.append((user.pk, key))
    from wsis.prizes.models import Vote

    Vote.objects.filter(contest=contest).delete()
    nominees = defaultdict(list)
    for pk, code in Entry.objects.filter(contest=contest).values_list("pk", "category__action_line__code"):
        nominees[code].append(pk)
    connection.close()
    return {"tokens": tokens, "nominees": dict(nominees), "contest": contest.pk}


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
    vote_ms: list[float] = field(default_factory=list)
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


def send_vote(port: int, stats: Stats, task: Task, nominee: int) -> int:
    body = json.dumps({"nominee": nominee})
    headers = {"Authorization": f"Bearer {task.token}", "Content-Type": "application/json"}
    start = time.perf_counter()
    try:
        status, payload = CLIENT.request(port, "POST", f"/api/v1/prizes/contests/{YEAR}/votes", body, headers)
    except Exception as exc:  # noqa: BLE001 - counted
        status, payload = 599, str(exc).encode()
    elapsed = (time.perf_counter() - start) * 1000
    with stats.lock:
        stats.vote_ms.append(elapsed)
        stats.statuses[status] += 1
        if status in (200, 201):
            stats.acknowledged[(task.voter, task.category)] = nominee
        elif len(stats.failures) < 10:
            stats.failures.append((status, payload[:200]))
    return status


def run_task(port: int, stats: Stats, task: Task, pool: ThreadPoolExecutor) -> None:
    if task.race:
        twin = pool.submit(send_vote, port, stats, task, task.nominees[0])
        send_vote(port, stats, task, task.nominees[0])
        twin.result()
    else:
        send_vote(port, stats, task, task.nominees[0])
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


def load(port: int, tasks: list[Task], rate: int, read_rate: int, seconds: int, threads: int) -> tuple[Stats, float]:
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
            futures.append(pool.submit(run_task, port, stats, task, helpers))
        for f in futures:
            f.result()
        elapsed = time.perf_counter() - start
    return stats, elapsed


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/wsis_prizes_voting")
    parser.add_argument("--rate", type=int, default=200, help="Votes per second (default 200).")
    parser.add_argument("--read-rate", type=int, default=50, help="Page and API reads per second (default 50).")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4).")
    parser.add_argument("--threads", type=int, default=64, help="Client threads (default 64).")
    parser.add_argument("--repeat", type=float, default=0.05, help="Share of pairs sending the same vote again.")
    parser.add_argument("--change", type=float, default=0.05, help="Share of pairs changing their vote.")
    parser.add_argument("--race", type=float, default=0.02, help="Share of pairs sending their vote twice at once.")
    parser.add_argument("--voters", type=int, default=0, help="Voter accounts (default: enough for the plan).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-setup", action="store_true", help="Reuse the database as it is.")
    args = parser.parse_args()

    voters = args.voters or max(50, int(args.rate * args.seconds / 18 * 1.3) + 10)
    t0 = time.perf_counter()
    data = prepare(args.db, voters, not args.no_setup)
    print(f"Prepared {len(data['tokens'])} voters, {sum(len(v) for v in data['nominees'].values())} nominees "
          f"in {time.perf_counter() - t0:.0f} s.", flush=True)
    tasks = plan(data, args.rate, args.seconds, args.repeat, args.change, args.race, args.seed)

    port = free_port()
    env = {**os.environ, "DATABASE_URL": args.db, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DEBUG": "False",
           "RATE_LIMIT_PRIZE_VOTE": "1000000/m", "RATE_LIMIT_PRIZE_VOTE_IP": "1000000/m",
           "RATE_LIMIT_API_WRITE": "1000000/m"}
    gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
                str(args.workers), "--log-level", "warning", "--timeout", "60"]
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env, start_new_session=True)
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
            raise SystemExit("gunicorn did not answer.")
        stats, elapsed = load(port, tasks, args.rate, args.read_rate, args.seconds, args.threads)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    votes = sum(stats.statuses.values())
    print(f"\nVotes sent: {votes} in {elapsed:.1f} s = {votes / elapsed:.0f}/s (target {args.rate}/s); "
          f"statuses {dict(stats.statuses)}")
    print(f"Vote latency ms: p50 {percentile(stats.vote_ms, 50):.0f}, p95 {percentile(stats.vote_ms, 95):.0f}, "
          f"p99 {percentile(stats.vote_ms, 99):.0f}, max {max(stats.vote_ms):.0f}")
    reads = sum(stats.read_statuses.values())
    if reads:
        print(f"Reads: {reads} = {reads / elapsed:.0f}/s; statuses {dict(stats.read_statuses)}; latency ms p50 "
              f"{percentile(stats.read_ms, 50):.0f}, p95 {percentile(stats.read_ms, 95):.0f}")
    for failure in stats.failures:
        print("  failure:", failure)
    problems = check(data, stats)
    print(f"Acknowledged (voter, category) pairs: {len(stats.acknowledged)}; races {sum(t.race for t in tasks)}, "
          f"repeats/changes {sum(len(t.nominees) > 1 for t in tasks)}")
    print("Check against the database: " + ("no vote lost, none double-counted." if not problems else
                                            "FAILED: " + "; ".join(problems)))
    print(f"Machine: {os.cpu_count()} logical CPUs; gunicorn workers {args.workers}; client threads {args.threads}; "
          f"statistics: mean vote {statistics.fmean(stats.vote_ms):.0f} ms")
    return 1 if problems or stats.statuses.get(599) else 0


if __name__ == "__main__":
    sys.exit(main())
