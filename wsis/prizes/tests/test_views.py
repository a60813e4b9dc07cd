"""Pages and API of the prizes: every page in English and Arabic, the vote flow, throttling, entering a project."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import translation

from wsis.accounts.tests.factories import UserFactory
from wsis.prizes import services
from wsis.prizes.models import Entry, Phase, Vote

from .factories import DESCRIPTION, category, expert, make_contest, make_entry, published, secretariat, voter

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting():
    contest = make_contest(Phase.VOTING, year=2043)
    a = make_entry(contest, code="C4", state=Entry.State.NOMINATED, title="Alpha")
    b = make_entry(contest, code="C4", state=Entry.State.NOMINATED, title="Beta")
    c = make_entry(contest, code="C3", state=Entry.State.NOMINATED, title="Gamma")
    return contest, a, b, c


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"prizes:{name}", kwargs=kwargs)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_renders(client, voting, language):
    contest, a, _b, _c = voting
    finished = make_contest(None, year=2030)
    done = make_entry(finished, code="C4", state=Entry.State.NOMINATED, title="Past winner")
    Entry.objects.filter(pk=done.pk).update(outcome="winner", finalist=True)
    finished.results_published_at = contest.created_at
    finished.save()
    staff = secretariat()
    client.force_login(staff)
    y = contest.year
    for name, kwargs in [("home", {}), ("methodology", {}), ("contest", {"year": y}),
                         ("category", {"year": y, "slug": "c4"}), ("my-votes", {"year": y}),
                         ("enter", {"year": y}), ("entry", {"year": y, "pk": a.pk}), ("review", {"year": y}),
                         ("integrity", {"year": y}), ("selection", {"year": y}), ("results", {"year": 2030}),
                         ("category-results", {"year": 2030, "slug": "c4"})]:
        response = client.get(url(name, language, **kwargs))
        assert response.status_code == 200, name
        if language == "ar":
            assert 'dir="rtl"' in response.content.decode()
    assert "Past winner" in client.get(url("results", year=2030)).content.decode()


def test_nominees_are_hidden_before_the_vote(client):
    contest = make_contest(Phase.NOMINATION)
    entry = make_entry(contest, state=Entry.State.NOMINATED, title="Hidden until voting")
    assert "Hidden until voting" not in client.get(url("category", year=contest.year, slug="c4")).content.decode()
    assert client.get(url("entry", year=contest.year, pk=entry.pk)).status_code == 404
    assert client.get(url("results", year=contest.year)).status_code == 200  # "not published yet"
    assert client.get(url("category-results", year=contest.year, slug="c4")).status_code == 404


def test_vote_change_and_confirmation(client, voting):
    contest, a, b, c = voting
    person = voter()
    client.force_login(person)
    response = client.post(url("vote", year=contest.year, slug="c4"), {"entry": a.pk}, follow=True)
    assert "Your vote for “Alpha”" in response.content.decode()
    client.post(url("vote", year=contest.year, slug="c3"), {"entry": c.pk})
    response = client.post(url("vote", year=contest.year, slug="c4"), {"entry": b.pk}, follow=True)
    assert "is now for “Beta”" in response.content.decode()
    response = client.post(url("vote", year=contest.year, slug="c4"), {"entry": b.pk}, follow=True)
    assert "it counts once" in response.content.decode()
    assert dict(Vote.objects.filter(voter=person).values_list("category__action_line__code", "entry__title")) == {
        "C4": "Beta", "C3": "Gamma"}
    page = client.get(url("my-votes", year=contest.year)).content.decode()
    assert "Beta" in page and "Gamma" in page and "Alpha" not in page
    # A nominee of another category cannot be posted in this one.
    response = client.post(url("vote", year=contest.year, slug="c4"), {"entry": c.pk}, follow=True)
    assert "Choose one nominee" in response.content.decode()


def test_unverified_accounts_are_told_why(client, voting):
    contest, a, _b, _c = voting
    client.force_login(UserFactory(email_verified=False))
    response = client.post(url("vote", year=contest.year, slug="c4"), {"entry": a.pk}, follow=True)
    assert "verified e-mail address" in response.content.decode()
    assert Vote.objects.count() == 0


def test_anonymous_voters_are_sent_to_sign_in(client, voting):
    contest, a, _b, _c = voting
    response = client.post(url("vote", year=contest.year, slug="c4"), {"entry": a.pk})
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_votes_are_throttled_per_account_and_per_address(client, voting, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "prize_vote": "3/m", "prize_vote_ip": "5/m"}
    contest, a, b, _c = voting
    client.force_login(voter())
    statuses = [client.post(url("vote", year=contest.year, slug="c4"), {"entry": (a, b)[i % 2].pk}).status_code
                for i in range(4)]
    assert statuses == [302, 302, 302, 429]
    client.force_login(voter())  # another account, same address: the address's limit is reached next
    statuses = [client.post(url("vote", year=contest.year, slug="c4"), {"entry": a.pk}).status_code
                for _ in range(3)]
    assert statuses[-1] == 429


def test_enter_prefills_from_the_registry_and_names_the_rule(client):
    contest = make_contest(Phase.SUBMISSION, year=2044)
    initiative = published(title="Community networks", description=DESCRIPTION)
    client.force_login(initiative.created_by)
    page = client.get(url("enter", year=contest.year) + f"?initiative={initiative.pk}").content.decode()
    assert "Community networks" in page and "connect rural schools" in page
    data = {"initiative": initiative.pk, "category": category(contest, "C4").pk, "language": "en",
            "description": "Too short.", "stage": "major_phase", "stage_note": "Pilot ended.", "impact": "x",
            "partnerships": "x", "challenges": "x", "goals": ["4"], "sdg_linkages": "x", "gdc_objectives": ["1"],
            "gdc_linkages": "x"}
    response = client.post(url("enter", year=contest.year), data)
    assert response.status_code == 400
    assert "Rule “a description of 150–200 words”: the description has 2 words." in response.content.decode()
    from wsis.taxonomy.models import Goal

    data.update(description=DESCRIPTION, goals=[str(Goal.objects.get(number=4).pk)])
    response = client.post(url("enter", year=contest.year), data)
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()


def test_secretariat_invalidates_from_the_report(client, voting):
    contest, a, _b, _c = voting
    vote = services.vote_cast(voter=voter(), entry=a, ip="192.0.2.1")[0]
    client.force_login(secretariat())
    client.post(url("integrity-votes", year=contest.year), {"action": "invalidate", "votes": str(vote.pk),
                                                            "reason": "Test"})
    assert not Vote.objects.get(pk=vote.pk).is_valid
    page = client.get(url("integrity", year=contest.year)).content.decode()
    assert "Test" in page
    client.post(url("integrity-votes", year=contest.year), {"action": "reinstate", "votes": str(vote.pk),
                                                            "reason": "Checked"})
    assert Vote.objects.get(pk=vote.pk).is_valid


def test_expert_review_page_marks_conflicts(client):
    contest = make_contest(Phase.NOMINATION)
    entry = make_entry(contest)
    reviewer = expert(contest, [category(contest, "C4")])
    client.force_login(reviewer)
    client.post(url("conflict-declare", year=contest.year), {"organisation": entry.organisation.pk, "note": "x"})
    page = client.get(url("review", year=contest.year)).content.decode()
    assert "Conflict of interest: declared." in page
    response = client.post(url("nominate", year=contest.year, pk=entry.pk), {"decision": "nominate"})
    assert response.status_code == 403
    assert client.get(url("review", year=contest.year)).status_code == 200
    client.force_login(voter())
    assert client.get(url("review", year=contest.year)).status_code == 403


def _says(response) -> str:
    """The flash messages of a followed POST (the page it went back to)."""
    return " | ".join(str(m) for m in response.context["messages"])


def test_expert_buttons_answer_with_a_message_and_go_back_to_the_review(client):
    contest = make_contest(Phase.NOMINATION)
    entry = make_entry(contest, title="Gamma")
    client.force_login(expert(contest, [category(contest, "C4")]))
    review = url("review", year=contest.year)
    response = client.post(url("conflict-declare", year=contest.year), {"organisation": ""}, follow=True)
    assert response.redirect_chain == [(review, 302)] and _says(response) == "Choose the organisation."
    response = client.post(url("nominate", year=contest.year, pk=entry.pk), {"decision": ""}, follow=True)
    assert _says(response) == "Choose whether to nominate the entry."
    response = client.post(url("nominate", year=contest.year, pk=entry.pk), {"decision": "nominate"}, follow=True)
    assert response.redirect_chain == [(review, 302)] and _says(response) == "Your decision on “Gamma” is recorded."
    response = client.post(url("score", year=contest.year, pk=entry.pk), {"score": "11"}, follow=True)
    assert _says(response) == "The score is a whole number from 1 to 10."
    response = client.post(url("score", year=contest.year, pk=entry.pk), {"score": "7"}, follow=True)
    assert "Scoring is possible only during the" in _says(response)  # the service's phase rule, as worded
    response = client.post(url("conflict-declare", year=contest.year), {"organisation": entry.organisation.pk},
                           follow=True)
    assert _says(response).startswith("Your conflict of interest is recorded")
    # A GET is refused, a voter is forbidden, a visitor is sent to sign in.
    assert client.get(url("nominate", year=contest.year, pk=entry.pk)).status_code == 405
    client.force_login(voter())
    assert client.post(url("nominate", year=contest.year, pk=entry.pk), {"decision": "nominate"}).status_code == 403
    client.logout()
    response = client.post(url("conflict-declare", year=contest.year), {"organisation": entry.organisation.pk})
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_secretariat_buttons_answer_with_a_message_and_go_back(client, voting):
    contest, a, _b, _c = voting
    services.vote_cast(voter=voter(), entry=a, ip="192.0.2.1")
    staff = secretariat()
    client.force_login(staff)
    selection, integrity = url("selection", year=contest.year), url("integrity", year=contest.year)
    response = client.post(url("finalists-select", year=contest.year), follow=True)
    assert response.redirect_chain == [(selection, 302)] and "only during the" in _says(response)
    response = client.post(url("expert-assign", year=contest.year), {"email": "nobody@example.org",
                                                                     "category": "c4"}, follow=True)
    assert _says(response) == "Give the e-mail address of an account and choose a category."
    outsider = UserFactory(full_name="Otto Outsider")
    response = client.post(url("expert-assign", year=contest.year), {"email": outsider.email, "category": "c4"},
                           follow=True)
    assert _says(response) == f"{outsider} is not a member of the Expert Group of {contest.title}."
    reviewer = expert(contest)
    response = client.post(url("expert-assign", year=contest.year), {"email": reviewer.email, "category": "c4"},
                           follow=True)
    assert _says(response) == f"{reviewer} reviews {category(contest, 'C4')}."
    response = client.post(url("confirm", year=contest.year, slug="c4"), {}, follow=True)
    assert _says(response) == "Choose the winner among the finalists."
    response = client.post(url("publish", year=contest.year), follow=True)
    assert response.redirect_chain == [(selection, 302)]
    assert _says(response).startswith("Publishing the results is possible only during the")
    assert contest.__class__.objects.get(pk=contest.pk).results_published_at is None
    vote = Vote.objects.get(entry=a)
    response = client.post(url("integrity-votes", year=contest.year), {"action": "invalidate", "votes": str(vote.pk),
                                                                       "reason": ""}, follow=True)
    assert response.redirect_chain == [(integrity, 302)]
    assert _says(response) == "Give the reason: it is kept in the audit log."
    response = client.post(url("integrity-votes", year=contest.year), {"action": "invalidate", "votes": str(vote.pk),
                                                                       "reason": "Burst from one address"}, follow=True)
    assert _says(response) == "1 vote changed." and not Vote.objects.get(pk=vote.pk).is_valid
    client.force_login(voter())
    assert client.post(url("publish", year=contest.year)).status_code == 403


# --- API ----------------------------------------------------------------------------------------------

def test_api_public_reads(client, voting):
    contest, a, _b, _c = voting
    contests = client.get("/api/v1/prizes/contests").json()
    assert contests[0]["year"] == contest.year and contests[0]["phase"] == "voting"
    categories = client.get(f"/api/v1/prizes/contests/{contest.year}/categories").json()
    assert len(categories) == 18 and {c["code"]: c["nominees"] for c in categories}["C4"] == 2
    nominees = client.get(f"/api/v1/prizes/contests/{contest.year}/nominees?category=C4").json()
    assert sorted(n["title"] for n in nominees) == ["Alpha", "Beta"]
    assert all(n["valid_votes"] is None for n in nominees)  # hidden while the vote runs
    assert client.get(f"/api/v1/prizes/contests/{contest.year}/results").json() == []
    assert client.get("/api/v1/prizes/contests/1999").status_code == 404


def test_api_vote(client, voting):
    contest, a, b, _c = voting
    path = f"/api/v1/prizes/contests/{contest.year}/votes"
    body = json.dumps({"nominee": a.pk})
    assert client.post(path, body, content_type="application/json").status_code == 401
    client.force_login(voter())
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["outcome"] == "cast"
    assert client.post(path, body, content_type="application/json").json()["outcome"] == "unchanged"
    response = client.post(path, json.dumps({"nominee": b.pk}), content_type="application/json")
    assert (response.status_code, response.json()["outcome"]) == (200, "changed")
    assert client.get(path).json() == [{"category": "C4", "nominee": b.pk, "outcome": "cast", "valid": True}]
    assert client.post(path, json.dumps({"nominee": 0}), content_type="application/json").status_code == 404
    closed = make_contest(Phase.SELECTION, year=2045)
    late = make_entry(closed, state=Entry.State.NOMINATED)
    response = client.post(f"/api/v1/prizes/contests/{closed.year}/votes", json.dumps({"nominee": late.pk}),
                           content_type="application/json")
    assert response.status_code == 400 and "Public online voting" in response.json()["detail"]
    # A nominee of another year's contest is no nominee of this one; a year without a contest says so.
    response = client.post(path, json.dumps({"nominee": late.pk}), content_type="application/json")
    assert (response.status_code, response.json()["detail"]) == (404, "No such nominee in this contest.")
    response = client.post("/api/v1/prizes/contests/1999/votes", body, content_type="application/json")
    assert (response.status_code, response.json()["detail"]) == (404, "No WSIS Prizes contest for that year.")


def test_api_vote_answers_the_category_and_counts_changes(client, voting):
    contest, a, b, _c = voting
    path = f"/api/v1/prizes/contests/{contest.year}/votes"
    client.force_login(voter())
    response = client.post(path, json.dumps({"nominee": a.pk}), content_type="application/json")
    assert response.json() == {"category": "C4", "nominee": a.pk, "outcome": "cast", "valid": True}
    for nominee in (b, a):
        response = client.post(path, json.dumps({"nominee": nominee.pk}), content_type="application/json")
        assert response.json() == {"category": "C4", "nominee": nominee.pk, "outcome": "changed", "valid": True}
    vote = Vote.objects.get(contest=contest)
    assert (vote.entry_id, vote.changes) == (a.pk, 2)


def test_home_page_shows_the_running_contest(client, voting):
    contest, *_ = voting
    page = client.get("/en/").content.decode()
    assert contest.title in page and "Open now: Public online voting." in page
