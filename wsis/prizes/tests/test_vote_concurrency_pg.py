"""The same vote fired at once from several connections on PostgreSQL: exactly one is counted.

``transaction=True``: each thread has its own connection and sees only what the others committed, as
concurrent requests to several gunicorn workers would. The unique constraint (voter, category) decides;
the losers read the winner's row and report "unchanged" (or "changed"), never a second vote.
"""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from wsis.prizes import services
from wsis.prizes.models import Entry, Phase, Vote

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent connections: PostgreSQL only"),
]

THREADS = 8


@pytest.fixture(scope="module", autouse=True)
def _reference_data_back(django_db_blocker):
    """A transactional test ends with a flush: put the reference data back for the tests after these."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    call_command("load_reference", verbosity=0)


def _race(calls) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(r is not None for r in results), "a thread did not finish"
    assert not [r for r in results if r[0] == "error"], results
    return [r[1] for r in results]


@pytest.fixture
def nominees():
    from .factories import make_contest, make_entry

    contest = make_contest(Phase.VOTING, year=2048)
    a = make_entry(contest, state=Entry.State.NOMINATED, title="A")
    b = make_entry(contest, state=Entry.State.NOMINATED, title="B")
    return a, b


def test_the_same_vote_fired_at_once_counts_once(nominees):
    from .factories import voter

    a, _b = nominees
    person = voter()
    outcomes = _race([lambda: services.vote_cast(voter=person, entry=a, ip="192.0.2.1")[1] for _ in range(THREADS)])
    assert sorted(outcomes) == ["cast"] + ["unchanged"] * (THREADS - 1)
    assert Vote.objects.filter(voter=person).count() == 1
    assert Vote.objects.filter(entry=a, is_valid=True).count() == 1


def test_two_nominees_of_one_category_at_once_leave_one_vote(nominees):
    from .factories import voter

    a, b = nominees
    person = voter()
    outcomes = _race([lambda e=(a, b)[i % 2]: services.vote_cast(voter=person, entry=e)[1] for i in range(THREADS)])
    assert outcomes.count("cast") == 1 and set(outcomes) <= {"cast", "changed", "unchanged"}
    assert Vote.objects.filter(voter=person, category=a.category).count() == 1


def test_many_voters_at_once_are_all_counted(nominees):
    from .factories import voter

    a, _b = nominees
    people = [voter() for _ in range(THREADS)]
    outcomes = _race([lambda p=p: services.vote_cast(voter=p, entry=a)[1] for p in people])
    assert outcomes == ["cast"] * THREADS
    assert Vote.objects.filter(entry=a).count() == THREADS
