"""Concurrency on PostgreSQL (issue 13, standing defence): two moderators deciding at once, an editor
changing an entry while a moderator approves it, and the same create form sent twice at once.

Each case starts its writers in threads (each thread has its own database connection, so its own
transaction) released together by a barrier, and repeats a few times. These tests commit for real,
so they run only on PostgreSQL (SQLite serialises every writer anyway) and reload the reference data
after the flush that ends a transactional test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wsis_<you> pytest --create-db tests/test_concurrency.py
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections

from wsis.core.models import AuditLog
from wsis.core.services import FormTokenUsed
from wsis.stocktaking import services
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import complete_data, make_initiative, member, moderator

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="concurrent transactions need PostgreSQL")
State = Initiative.State
ROUNDS = 4


@pytest.fixture
def reference_reloaded(django_db_blocker):
    """Set up before ``transactional_db``, so torn down after its flush: put the reference data back.
    Loaded first too when missing: a transactional test earlier in the run may have flushed it without
    reloading it (seen on PostgreSQL in CI: no stakeholder types)."""
    from wsis.taxonomy.models import StakeholderType

    with django_db_blocker.unblock():
        if not StakeholderType.objects.exists():
            call_command("load_reference", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


def race(*calls: Callable[[], object]) -> list[object]:
    """Run ``calls`` at the same moment, one thread (and connection) each; return each one's result
    or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer hung (a lock never released)"
    return results


def test_two_moderators_deciding_at_once_make_one_decision(reference_reloaded, transactional_db):
    for _round in range(ROUNDS):
        initiative = make_initiative(state=State.SUBMITTED)
        seen = services.initiative_moderation_fingerprint(initiative)
        first, second = moderator(), moderator()
        outcomes = race(
            partial(services.initiative_approve, user=first, initiative=initiative, seen=seen),
            partial(services.initiative_return, user=second, initiative=initiative, comment="Add a date.", seen=seen),
        )
        won = [o for o in outcomes if isinstance(o, Initiative)]
        lost = [o for o in outcomes if not isinstance(o, Initiative)]
        assert len(won) == 1 and len(lost) == 1, outcomes
        assert isinstance(lost[0], ValidationError)  # "cannot be done while … published/returned"
        initiative.refresh_from_db()
        assert initiative.state == won[0].state in (State.PUBLISHED, State.RETURNED)
        decisions = AuditLog.objects.filter(target_id=str(initiative.pk), action__in=[
            "stocktaking.initiative.approve", "stocktaking.initiative.return"])
        assert decisions.count() == 1


def test_an_edit_racing_an_approval_never_publishes_unseen_text(reference_reloaded, transactional_db):
    for n in range(ROUNDS):
        initiative = make_initiative(state=State.SUBMITTED, title=f"Seen title {n}")
        seen = services.initiative_moderation_fingerprint(initiative)
        editor, mod = initiative.created_by, moderator()
        outcomes = race(
            partial(services.initiative_approve, user=mod, initiative=initiative, seen=seen),
            partial(services.initiative_update, user=editor, initiative=initiative,
                    data=complete_data(title=f"Unseen title {n}")),
        )
        assert not [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, ValidationError)], outcomes
        initiative.refresh_from_db()
        if isinstance(outcomes[0], services.ModerationStale):
            # The edit came first: nothing was published, the entry waits in the queue with the new text.
            assert initiative.state == State.SUBMITTED and initiative.title == f"Unseen title {n}"
        else:
            # The approval came first: what was published is what the moderator saw; the edit waits
            # as a pending update of the published entry.
            assert initiative.state == State.PUBLISHED and initiative.title == f"Seen title {n}"
            assert services.pending_revision(initiative).data["title"] == f"Unseen title {n}"


def test_the_same_create_form_sent_twice_at_once_creates_one_initiative(reference_reloaded, transactional_db):
    user = member()
    organisation = user.memberships.first().organisation
    for n in range(ROUNDS):
        token = f"double-click-{n}"
        create = partial(services.initiative_create, user=user, organisation=organisation,
                         data=complete_data(title=f"Twice {n}"), form_token=token)
        outcomes = race(create, create)
        created = [o for o in outcomes if isinstance(o, Initiative)]
        replayed = [o for o in outcomes if isinstance(o, FormTokenUsed)]
        assert len(created) == 1 and len(replayed) == 1, outcomes
        assert replayed[0].target_id == str(created[0].pk)
        assert Initiative.objects.filter(title=f"Twice {n}").count() == 1


def test_the_same_forum_submission_sent_twice_at_once_records_one(reference_reloaded, transactional_db):
    from wsis.accounts.tests.factories import MembershipFactory
    from wsis.forum import services as forum_services
    from wsis.forum.models import Submission
    from wsis.forum.tests.factories import open_edition
    from wsis.forum.tests.test_submission_services import proposal_kwargs

    edition = open_edition(year=2045, title="WSIS Forum 2045", is_current=True)
    membership = MembershipFactory()
    for n in range(ROUNDS):
        kwargs = proposal_kwargs(edition, membership, title=f"Twice {n}")
        create = partial(forum_services.submission_create, **kwargs, form_token=f"forum-{n}")
        outcomes = race(create, create)
        assert sorted(type(o).__name__ for o in outcomes) == ["FormTokenUsed", "Submission"], outcomes
        assert Submission.objects.filter(title=f"Twice {n}").count() == 1
