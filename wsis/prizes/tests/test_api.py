"""The prizes API serves every public field of a nominee (issue 20), and no more than the pages show:
nominees only from the vote on, vote figures only once the vote has closed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from wsis.prizes.models import Entry, Phase

from .factories import make_contest, make_entry

pytestmark = pytest.mark.django_db


def test_a_nominee_carries_the_entry_page_fields(client):
    contest = make_contest(Phase.VOTING, year=2051)
    entry = make_entry(contest, code="C4", state=Entry.State.NOMINATED, title="Schools online")
    make_entry(contest, code="C4", title="Not nominated")  # submitted only: never public
    [nominee] = client.get(f"/api/v1/prizes/contests/{contest.year}/nominees?category=C4").json()
    assert nominee["id"] == entry.pk
    assert nominee["stage"] == "major_phase" and nominee["stage_note"] == "The pilot in 40 schools ended in 2025."
    assert nominee["impact"] == "12,000 pupils online." and nominee["challenges"] == "Power supply."
    assert nominee["partnerships"] == "The ministry and two operators."
    assert nominee["sdgs"] == [4] and nominee["sdg_linkages"] == "Quality education (SDG 4)."
    assert nominee["gdc_objectives"] == [1] and nominee["gdc_linkages"] == "Closes the school connectivity divide."
    # While the vote runs, no figure of it.
    assert nominee["valid_votes"] is None and nominee["vote_rank"] is None and nominee["votes_at_selection"] is None
    one = client.get(f"/api/v1/prizes/contests/{contest.year}/nominees/{entry.pk}")
    assert one.status_code == 200 and one.json() == nominee


def test_a_nominee_is_not_public_before_the_vote_nor_an_entry_never_nominated(client):
    early = make_contest(Phase.NOMINATION, year=2052)
    hidden = make_entry(early, state=Entry.State.NOMINATED)
    response = client.get(f"/api/v1/prizes/contests/{early.year}/nominees/{hidden.pk}")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    voting = make_contest(Phase.VOTING, year=2053)
    submitted = make_entry(voting)
    assert client.get(f"/api/v1/prizes/contests/{voting.year}/nominees/{submitted.pk}").status_code == 404
    assert client.get(f"/api/v1/prizes/contests/{voting.year}/nominees/{hidden.pk}").status_code == 404


def test_vote_figures_after_the_vote_and_contest_dates(client):
    contest = make_contest(Phase.SELECTION, year=2054)
    entry = make_entry(contest, state=Entry.State.NOMINATED)
    Entry.objects.filter(pk=entry.pk).update(vote_rank=1, votes_at_selection=7, finalist=True)
    contest.finalists_selected_at = timezone.now()
    contest.save()
    nominee = client.get(f"/api/v1/prizes/contests/{contest.year}/nominees/{entry.pk}").json()
    assert (nominee["vote_rank"], nominee["votes_at_selection"], nominee["valid_votes"]) == (1, 7, 0)
    data = client.get(f"/api/v1/prizes/contests/{contest.year}").json()
    assert data["requires_gdc"] is True and data["finalists_selected_at"] and data["results_published_at"] is None
    assert [p["first"] for p in data["phases"]][2] == contest.voting_opens.isoformat()
    response = client.get(f"/api/v1/prizes/contests/{contest.year}")
    assert client.get(f"/api/v1/prizes/contests/{contest.year}",
                      HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
