"""Two saves of one record at the same time on PostgreSQL, in two threads: exactly one wins.

The other gets ConflictError and writes nothing. ``transaction=True``: each thread has its own
connection and sees only what the other committed, as two requests would.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from wsis.core.concurrency import ConflictError

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks under READ COMMITTED: PostgreSQL only"),
]


@pytest.fixture(scope="module", autouse=True)
def _reference_data_back(django_db_blocker):
    """A transactional test ends with a flush: put the reference data back for the tests after these."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """The flush after the previous test emptied the reference tables: load them (committed) again."""
    call_command("load_reference", verbosity=0)


def _in_thread(target, results: list, index: int):
    def run():
        try:
            results[index] = ("ok", target())
        except ConflictError as exc:
            results[index] = ("conflict", exc)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[index] = ("error", exc)
        finally:
            connections.close_all()
    return threading.Thread(target=run)


def _race(saves) -> list:
    """Run the saves in threads released together by a barrier; return (outcome, value) per save."""
    barrier = threading.Barrier(len(saves))
    results: list = [None] * len(saves)

    def gated(save):
        def target():
            barrier.wait(timeout=10)
            return save()
        return target

    threads = [_in_thread(gated(save), results, i) for i, save in enumerate(saves)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(r is not None for r in results), "a thread did not finish"
    assert not [r for r in results if r[0] == "error"], results
    return results


def _initiative_case():
    from wsis.stocktaking import services
    from wsis.stocktaking.models import Initiative
    from wsis.stocktaking.snapshots import data_from_initiative
    from wsis.stocktaking.tests.factories import make_initiative, member

    initiative = make_initiative(title="Solar school labs", summary="Labs in schools.")
    editors = [initiative.created_by, member(initiative.organisation)]
    version = initiative.lock_version

    def save(editor, **change):
        def run():
            fresh = Initiative.objects.get(pk=initiative.pk)
            data = data_from_initiative(fresh)
            for key, value in change.items():
                setattr(data, key, value)
            return services.initiative_update(user=editor, initiative=fresh, data=data, expected_version=version)
        return run

    saves = [save(editors[0], title="Solar school labs in Kenya"), save(editors[1], summary="Labs in 40 schools.")]

    def state():
        i = Initiative.objects.get(pk=initiative.pk)
        return i.lock_version, (i.title, i.summary)

    return saves, state, version, [("Solar school labs in Kenya", "Labs in schools."),
                                   ("Solar school labs", "Labs in 40 schools.")]


def _organisation_case():
    from wsis.accounts import services
    from wsis.accounts.models import Membership, Organisation
    from wsis.accounts.tests.factories import MembershipFactory, OrganisationFactory

    org = OrganisationFactory(name="Open Data Kenya", description="Publishes data.")
    admins = [MembershipFactory(organisation=org, role=Membership.Role.ADMIN).user for _ in range(2)]
    version = Organisation.objects.get(pk=org.pk).lock_version

    def save(admin, **change):
        def run():
            fresh = Organisation.objects.get(pk=org.pk)
            return services.organisation_update(actor=admin, organisation=fresh, expected_version=version, **change)
        return run

    def state():
        o = Organisation.objects.get(pk=org.pk)
        return o.lock_version, (o.name, o.description)

    return ([save(admins[0], name="Open Data Kenya Trust"), save(admins[1], description="Publishes open data.")],
            state, version, [("Open Data Kenya Trust", "Publishes data."), ("Open Data Kenya", "Publishes open data.")])


def _answers_case():
    from wsis.reviews import selectors
    from wsis.reviews import services as reviews
    from wsis.reviews.models import Answer, Response
    from wsis.reviews.tests import factories as f

    rev = f.reviewer("ESCAP")
    a, b = f.focal_point("THA"), f.focal_point("THA")
    cycle = f.make_cycle(actor=rev, action_lines=("C1",))
    f.invite(cycle, rev, ("THA", a), ("THA", b))
    cycle = reviews.cycle_transition(cycle=cycle, to_state="open", actor=rev)
    cycle.refresh_from_db()
    response = reviews.response_open(cycle=cycle, country=f.country("THA"), actor=a)
    question = f.question(cycle, "c1-progress")
    section = question.section
    expected = selectors.section_versions(response, section)

    def save(user, value):
        def run():
            fresh = Response.objects.get(pk=response.pk)
            return reviews.response_save_section(response=fresh, section=section, values={question.pk: value},
                                                 actor=user, expected_versions=expected)
        return run

    def state():
        answer = Answer.objects.get(response=response, question=question)
        return answer.lock_version, (answer.value,)

    # An unanswered question: its "version" is 0, and the first save creates the answer at version 1.
    return [save(a, "2"), save(b, "4")], state, 0, [(2,), (4,)]


@pytest.mark.parametrize("case", [_initiative_case, _organisation_case, _answers_case],
                         ids=["initiative", "organisation", "answers"])
def test_two_saves_at_once_exactly_one_wins(case):
    saves, state, version, possible = case()
    results = _race(saves)
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["conflict", "ok"], results
    winner = [i for i, r in enumerate(results) if r[0] == "ok"][0]
    new_version, values = state()
    assert new_version == version + 1
    assert values == possible[winner]
    loser = [r[1] for r in results if r[0] == "conflict"][0]
    if isinstance(loser.expected, int):  # a section's answers carry a stamp of several versions instead
        assert (loser.expected, loser.current) == (version, version + 1)


def test_second_save_waits_for_the_first_commit_then_conflicts():
    """The second UPDATE blocks on the first one's row lock and, once it commits, matches no row."""
    saves, state, version, possible = _initiative_case()
    first_in = threading.Event()
    results: list = [None, None]

    def first():
        with transaction.atomic():
            out = saves[0]()
            first_in.set()
            time.sleep(0.5)  # hold the row lock while the second save starts
        return out

    def second():
        assert first_in.wait(timeout=10)
        return saves[1]()

    threads = [_in_thread(first, results, 0), _in_thread(second, results, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [r[0] for r in results] == ["ok", "conflict"], results
    assert state() == (version + 1, possible[0])
