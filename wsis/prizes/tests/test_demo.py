"""The prizes' demo data: a finished 2026 contest with published results, a 2027 contest in its vote."""

import datetime as dt

import pytest

from wsis.accounts import demo as accounts_demo
from wsis.core.demo import DemoContext
from wsis.prizes import demo, selectors
from wsis.prizes.models import Contest, Entry, Vote
from wsis.stocktaking import demo as stocktaking_demo

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_finished_contest_and_one_in_its_vote():
    ctx = DemoContext(seed=7, initiatives=150)
    accounts_demo.seed(ctx)
    stocktaking_demo.seed(ctx)
    demo.seed(ctx)
    past, current = Contest.objects.get(year=2026), Contest.objects.get(year=2027)
    assert past.is_demo and current.is_demo
    assert past.results_published_at is not None
    assert current.phase_on(dt.date(2026, 12, 7)) == "voting"
    results = [items for _category, items in selectors.results(past) if items]
    assert results and all(items[0].outcome == "winner" and len(items) <= 5 for items in results)
    assert Entry.objects.filter(contest=current, state="nominated").exists()
    assert Vote.objects.filter(contest=current).exists()
    kinds = {f.kind for f in selectors.integrity_report(current)}
    assert {"ip_burst", "disposable", "new_accounts"} <= kinds
    from wsis.prizes.documents import success_stories_published

    assert [d.language for d in success_stories_published(past)] == ["en"]
    # No past winner is entered again.
    winners = set(Entry.objects.filter(contest=past, outcome="winner").values_list("initiative_id", flat=True))
    assert not winners & set(Entry.objects.filter(contest=current).values_list("initiative_id", flat=True))
    counts = (Entry.objects.count(), Vote.objects.count())
    demo.seed(ctx)  # idempotent
    assert (Entry.objects.count(), Vote.objects.count()) == counts
