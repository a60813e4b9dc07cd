"""The forum's demo data: real history plus a 2027 edition whose consultation is open on 29 November 2026."""

import datetime as dt

import pytest

from wsis.accounts import demo as accounts_demo
from wsis.core.demo import DemoContext
from wsis.forum import demo
from wsis.forum.models import ForumEdition, Session, SessionSpeaker, Submission

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_current_edition_with_an_open_phase_and_a_conflict_free_agenda():
    ctx = DemoContext(seed=7, initiatives=0)
    accounts_demo.seed(ctx)
    demo.seed(ctx)
    edition = ForumEdition.objects.get(is_current=True)
    assert edition.year == 2027 and edition.is_demo
    open_phase = edition.phases.get(starts_on__lte=dt.date(2026, 11, 29), ends_on__gte=dt.date(2026, 11, 29))
    assert "session_proposal" in open_phase.accepts
    assert set(Submission.objects.filter(edition=edition).values_list("state", flat=True)) == {
        "submitted", "accepted", "declined", "merged"}
    sessions = list(Session.objects.filter(edition=edition).select_related("room"))
    assert sessions and all(s.is_scheduled for s in sessions)
    slots = [(s.room_id, s.starts_at) for s in sessions]
    assert len(slots) == len(set(slots))  # no room double-booked
    speaker_slots = list(SessionSpeaker.objects.filter(session__edition=edition)
                         .values_list("key", "session__starts_at"))
    assert len(speaker_slots) == len(set(speaker_slots))  # no speaker in two rooms at once
    assert ForumEdition.objects.filter(year=2019, is_demo=False).exists()
    counts = (Submission.objects.count(), Session.objects.count())
    demo.seed(ctx)  # idempotent
    assert (Submission.objects.count(), Session.objects.count()) == counts
