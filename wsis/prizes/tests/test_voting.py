"""Public voting, invalidation and its effect on ranking, tie rules, selection and results, integrity report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wsis.accounts.tests.factories import UserFactory
from wsis.core.models import AuditLog
from wsis.prizes import selectors, services
from wsis.prizes.models import Entry, Phase, Vote

from .factories import category, make_contest, make_entry, secretariat, voter

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest():
    return make_contest(Phase.VOTING)


def nominee(contest, code="C4", **kwargs):
    return make_entry(contest, code=code, state=Entry.State.NOMINATED, **kwargs)


def counts(cat) -> dict[str, int]:
    return {e.title: e.valid_votes for e in selectors.nominees(cat)}


def give(entry, n, *, ip="192.0.2.1", **voter_kwargs) -> list[Vote]:
    return [services.vote_cast(voter=voter(**voter_kwargs), entry=entry, ip=ip)[0] for _ in range(n)]


# --- Casting ------------------------------------------------------------------------------------------

def test_one_vote_per_category_in_as_many_categories_as_wanted(contest):
    a, b = nominee(contest, "C4", title="A"), nominee(contest, "C3", title="B")
    person = voter()
    assert services.vote_cast(voter=person, entry=a, ip="192.0.2.7")[1] == "cast"
    assert services.vote_cast(voter=person, entry=b, ip="192.0.2.7")[1] == "cast"
    assert Vote.objects.filter(voter=person).count() == 2
    vote = Vote.objects.get(voter=person, category=a.category)
    assert (vote.ip, vote.network) == ("192.0.2.7", "192.0.2.0/24")
    assert AuditLog.objects.filter(action="prizes.vote.cast").count() == 2


def test_the_same_vote_twice_counts_once(contest):
    a = nominee(contest, title="A")
    person = voter()
    services.vote_cast(voter=person, entry=a)
    assert services.vote_cast(voter=person, entry=a)[1] == "unchanged"
    assert counts(a.category) == {"A": 1}


def test_changing_a_vote_moves_it(contest):
    a, b = nominee(contest, title="A"), nominee(contest, title="B")
    person = voter()
    services.vote_cast(voter=person, entry=a)
    vote, outcome = services.vote_cast(voter=person, entry=b, ip="2001:db8:1:2::5")
    assert outcome == "changed" and vote.changes == 1 and vote.network == "2001:db8:1::/48"
    assert counts(a.category) == {"A": 0, "B": 1}
    assert AuditLog.objects.filter(action="prizes.vote.change", target_id=str(vote.pk)).exists()


def test_changing_can_be_switched_off():
    contest = make_contest(Phase.VOTING, vote_changes_allowed=False)
    a, b = nominee(contest, title="A"), nominee(contest, title="B")
    person = voter()
    services.vote_cast(voter=person, entry=a)
    with pytest.raises(ValidationError, match="does not allow changing a vote"):
        services.vote_cast(voter=person, entry=b)
    assert counts(a.category) == {"A": 1, "B": 0}


def test_the_database_refuses_a_second_vote_in_a_category(contest):
    a, b = nominee(contest, title="A"), nominee(contest, title="B")
    person = voter()
    services.vote_cast(voter=person, entry=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(contest=contest, category=b.category, entry=b, voter=person)


def test_only_verified_accounts_vote(contest):
    a = nominee(contest)
    with pytest.raises(PermissionDenied, match="verified e-mail"):
        services.vote_cast(voter=UserFactory(email_verified=False), entry=a)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.vote_cast(voter=AnonymousUser(), entry=a)
    assert Vote.objects.count() == 0


def test_only_nominees_receive_votes(contest):
    entry = make_entry(contest)  # submitted, never nominated
    with pytest.raises(ValidationError, match="not a nominee"):
        services.vote_cast(voter=voter(), entry=entry)


@pytest.mark.parametrize("phase", [Phase.NOMINATION, Phase.SELECTION, None])
def test_votes_outside_the_window_are_refused(phase):
    contest = make_contest(phase)
    entry = nominee(contest)
    with pytest.raises(ValidationError, match="only during the Public online voting phase"):
        services.vote_cast(voter=voter(), entry=entry)
    assert Vote.objects.count() == 0


def test_first_and_last_day_of_the_window(contest):
    entry = nominee(contest)
    services.vote_cast(voter=voter(), entry=entry, today=contest.voting_opens)
    services.vote_cast(voter=voter(), entry=entry, today=contest.voting_closes)
    with pytest.raises(ValidationError):
        services.vote_cast(voter=voter(), entry=entry, today=contest.voting_closes + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.vote_cast(voter=voter(), entry=entry, today=contest.voting_opens - dt.timedelta(days=1))


# --- Invalidation and ranking -------------------------------------------------------------------------

def test_invalidation_is_audited_reversible_and_changes_the_ranking(contest):
    a, b = nominee(contest, title="A"), nominee(contest, title="B")
    bad = give(a, 3)
    give(b, 2)
    assert [(s.entry.title, s.votes, s.rank) for s in selectors.category_standings(a.category)] == [("A", 3, 1),
                                                                                                   ("B", 2, 2)]
    staff = secretariat()
    assert services.votes_invalidate(actor=staff, contest=contest, vote_ids=[v.pk for v in bad[:2]],
                                     reason="Burst from one address") == 2
    assert counts(a.category) == {"A": 1, "B": 2}
    assert [(s.entry.title, s.rank) for s in selectors.category_standings(a.category)] == [("B", 1), ("A", 2)]
    assert AuditLog.objects.filter(action="prizes.vote.invalidate").count() == 2
    invalid = Vote.objects.get(pk=bad[0].pk)
    assert (invalid.is_valid, invalid.invalid_reason, invalid.invalidated_by) == (False, "Burst from one address", staff)
    assert services.votes_reinstate(actor=staff, contest=contest, vote_ids=[bad[0].pk], reason="A school") == 1
    assert counts(a.category) == {"A": 2, "B": 2}
    assert AuditLog.objects.filter(action="prizes.vote.reinstate", target_id=str(bad[0].pk)).exists()
    # Invalidating an already invalid vote changes nothing.
    assert services.votes_invalidate(actor=staff, contest=contest, vote_ids=[bad[1].pk], reason="again") == 0


def test_invalidation_needs_a_reason_and_the_secretariat(contest):
    vote = give(nominee(contest), 1)[0]
    with pytest.raises(ValidationError, match="reason"):
        services.votes_invalidate(actor=secretariat(), contest=contest, vote_ids=[vote.pk], reason=" ")
    with pytest.raises(PermissionDenied):
        services.votes_invalidate(actor=voter(), contest=contest, vote_ids=[vote.pk], reason="x")
    assert Vote.objects.get(pk=vote.pk).is_valid


def test_a_changed_vote_stays_invalid(contest):
    a, b = nominee(contest, title="A"), nominee(contest, title="B")
    person = voter()
    vote = services.vote_cast(voter=person, entry=a)[0]
    services.votes_invalidate(actor=secretariat(), contest=contest, vote_ids=[vote.pk], reason="Disposable address")
    services.vote_cast(voter=person, entry=b)
    assert counts(a.category) == {"A": 0, "B": 0}


# --- Selection: top five, ties ------------------------------------------------------------------------

def _selection_contest(votes: list[int]):
    """A contest in its voting phase with nominees A, B, … having ``votes`` valid votes; then moved to selection."""
    contest = make_contest(Phase.VOTING, year=2042)
    entries = []
    for i, n in enumerate(votes):
        entry = nominee(contest, title=chr(ord("A") + i))
        give(entry, n)
        entries.append(entry)
    return contest, entries


def _to_selection(contest):
    today = timezone.localdate()
    shift = contest.selection_opens - today
    from wsis.prizes.models import Contest

    fields = ["submission_opens", "submission_closes", "nomination_opens", "nomination_closes", "voting_opens",
              "voting_closes", "selection_opens", "selection_closes", "announcement_on"]
    Contest.objects.filter(pk=contest.pk).update(**{f: getattr(contest, f) - shift for f in fields})
    contest.refresh_from_db()
    return contest


def test_top_five_go_to_the_experts():
    contest, entries = _selection_contest([7, 6, 5, 4, 3, 2, 0])
    contest = _to_selection(contest)
    chosen = services.finalists_select(actor=secretariat(), contest=contest)
    titles = sorted(e.title for e in chosen[entries[0].category_id])
    assert titles == ["A", "B", "C", "D", "E"]
    f = Entry.objects.get(pk=entries[5].pk)
    assert (f.finalist, f.vote_rank, f.votes_at_selection) == (False, 6, 2)


def test_a_tie_at_the_fifth_place_admits_every_tied_nominee():
    contest, entries = _selection_contest([6, 5, 4, 3, 2, 2, 1])
    contest = _to_selection(contest)
    chosen = services.finalists_select(actor=secretariat(), contest=contest)
    assert sorted(e.title for e in chosen[entries[0].category_id]) == ["A", "B", "C", "D", "E", "F"]
    assert [s.rank for s in selectors.category_standings(entries[0].category)] == [1, 2, 3, 4, 5, 5, 7]


def test_ties_above_the_fifth_place_share_a_rank():
    contest, entries = _selection_contest([4, 4, 4, 3, 2, 1])
    assert [s.rank for s in selectors.category_standings(entries[0].category)] == [1, 1, 1, 4, 5, 6]
    contest = _to_selection(contest)
    chosen = services.finalists_select(actor=secretariat(), contest=contest)
    assert sorted(e.title for e in chosen[entries[0].category_id]) == ["A", "B", "C", "D", "E"]


def test_nominees_without_a_valid_vote_are_never_finalists():
    contest, entries = _selection_contest([2, 0, 0])
    contest = _to_selection(contest)
    chosen = services.finalists_select(actor=secretariat(), contest=contest)
    assert [e.title for e in chosen[entries[0].category_id]] == ["A"]


def test_invalidated_votes_change_who_is_a_finalist():
    contest, entries = _selection_contest([3, 3, 3, 3, 3, 2])
    f_votes = list(Vote.objects.filter(entry=entries[4]).values_list("pk", flat=True))
    services.votes_invalidate(actor=secretariat(), contest=contest, vote_ids=f_votes[:2], reason="Burst")
    contest = _to_selection(contest)
    chosen = services.finalists_select(actor=secretariat(), contest=contest)
    assert sorted(e.title for e in chosen[entries[0].category_id]) == ["A", "B", "C", "D", "F"]


def test_finalists_only_in_the_selection_phase_and_once(contest):
    with pytest.raises(ValidationError, match="Expert selection phase"):
        services.finalists_select(actor=secretariat(), contest=contest)
    contest = _to_selection(contest)
    services.finalists_select(actor=secretariat(), contest=contest)
    with pytest.raises(ValidationError, match="were selected"):
        services.finalists_select(actor=secretariat(), contest=contest)


# --- Results ------------------------------------------------------------------------------------------

def test_winner_and_up_to_four_champions_then_publication():
    contest, entries = _selection_contest([9, 8, 7, 6, 5, 5])
    contest = _to_selection(contest)
    staff = secretariat()
    services.finalists_select(actor=staff, contest=contest)
    entries = [Entry.objects.get(pk=e.pk) for e in entries]
    cat = entries[0].category
    with pytest.raises(ValidationError, match="cannot also be a champion"):
        services.results_confirm(actor=staff, category=cat, winner=entries[0], champions=[entries[0]])
    with pytest.raises(ValidationError, match="At most 4 champions"):
        services.results_confirm(actor=staff, category=cat, winner=entries[0], champions=entries[1:])
    with pytest.raises(ValidationError, match="Confirm a winner"):
        services.results_publish(actor=staff, contest=contest)
    assert selectors.results(contest) == []
    services.results_confirm(actor=staff, category=cat, winner=entries[1], champions=entries[2:6])
    services.results_confirm(actor=staff, category=cat, winner=entries[0], champions=entries[1:5])  # reconsidered
    contest = services.results_publish(actor=staff, contest=contest)
    rows = dict(selectors.results(contest))
    assert [(e.title, e.outcome) for e in rows[cat]] == [("A", "winner"), ("B", "champion"), ("C", "champion"),
                                                          ("D", "champion"), ("E", "champion")]
    with pytest.raises(ValidationError, match="published"):
        services.results_confirm(actor=staff, category=cat, winner=entries[1])
    with pytest.raises(ValidationError, match="published"):
        services.votes_invalidate(actor=staff, contest=contest, vote_ids=[1], reason="late")


def test_a_non_finalist_cannot_win():
    contest, entries = _selection_contest([5, 4, 3, 2, 1, 0])
    contest = _to_selection(contest)
    services.finalists_select(actor=secretariat(), contest=contest)
    loser = Entry.objects.get(pk=entries[5].pk)
    with pytest.raises(ValidationError, match="not a finalist"):
        services.results_confirm(actor=secretariat(), category=loser.category, winner=loser)


# --- Integrity report ---------------------------------------------------------------------------------

def test_integrity_report_flags_bursts_new_accounts_and_disposable_domains(contest):
    a, b = nominee(contest, title="A"), nominee(contest, title="B")
    burst = give(a, selectors.BURST_IP, ip="198.51.100.9")
    spread = [services.vote_cast(voter=voter(), entry=b, ip=f"203.0.113.{i}")[0]
              for i in range(selectors.BURST_NETWORK)]
    old = timezone.now() - dt.timedelta(days=30)
    from wsis.accounts.models import User

    User.objects.filter(prize_votes__in=spread).update(date_joined=old)  # old accounts: not "new"
    User.objects.filter(prize_votes__in=burst).update(date_joined=old)
    fresh = give(b, selectors.NEW_ACCOUNTS_FOR_ONE, ip=None)
    throwaway = services.vote_cast(voter=voter(email="bot@sharklasers.com"), entry=a, ip="192.0.2.200")[0]
    User.objects.filter(pk=throwaway.voter_id).update(date_joined=old)
    flags = {(f.kind, f.key): f for f in selectors.integrity_report(contest)}
    assert set(flags[("ip_burst", "198.51.100.9")].vote_ids) == {v.pk for v in burst}
    assert set(flags[("network_burst", "203.0.113.0/24")].vote_ids) == {v.pk for v in spread}
    assert set(flags[("new_accounts", "B")].vote_ids) == {v.pk for v in fresh}
    assert flags[("disposable", "sharklasers.com")].vote_ids == [throwaway.pk]
    assert ("new_accounts", "A") not in flags
    # Invalidated votes leave the report.
    services.votes_invalidate(actor=secretariat(), contest=contest, vote_ids=[throwaway.pk], reason="Disposable")
    assert ("disposable", "sharklasers.com") not in {(f.kind, f.key) for f in selectors.integrity_report(contest)}


def test_votes_spread_over_time_are_not_a_burst(contest):
    a = nominee(contest)
    votes = give(a, selectors.BURST_IP, ip="198.51.100.10")
    start = timezone.now() - dt.timedelta(days=3)
    for i, vote in enumerate(votes):
        Vote.objects.filter(pk=vote.pk).update(created_at=start + dt.timedelta(minutes=11 * i))
    assert not [f for f in selectors.integrity_report(contest) if f.kind == "ip_burst"]


def test_counts_are_hidden_while_the_vote_runs(contest):
    assert not selectors.votes_counts_shown(contest)
    assert selectors.votes_counts_shown(contest, today=contest.voting_closes + dt.timedelta(days=1))


def test_category_helper(contest):
    assert category(contest, "C7.4").action_line.slug == "c7-4"
