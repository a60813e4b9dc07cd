"""Expert nomination and scoring: assignment per category, conflicts of interest, phases."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wsis.accounts.models import Membership
from wsis.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from wsis.core.models import AuditLog
from wsis.prizes import selectors, services
from wsis.prizes.models import Entry, Phase

from .factories import category, expert, make_contest, make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest():
    return make_contest(Phase.NOMINATION)


def test_an_assigned_expert_nominates(contest):
    entry = make_entry(contest)
    reviewer = expert(contest, [category(contest, "C4")])
    services.entry_nominate(actor=reviewer, entry=entry, nominate=True, note="Strong impact.")
    entry.refresh_from_db()
    assert (entry.state, entry.nominated_by, entry.nomination_note) == (Entry.State.NOMINATED, reviewer, "Strong impact.")
    assert AuditLog.objects.filter(action="prizes.entry.nominate", target_id=str(entry.pk)).exists()


def test_an_expert_decides_once(contest):
    entry = make_entry(contest)
    reviewer = expert(contest, [category(contest, "C4")])
    services.entry_nominate(actor=reviewer, entry=entry, nominate=False)
    assert Entry.objects.get(pk=entry.pk).state == Entry.State.NOT_NOMINATED
    with pytest.raises(ValidationError):
        services.entry_nominate(actor=reviewer, entry=entry, nominate=True)


def test_only_experts_of_the_category(contest):
    entry = make_entry(contest, code="C4")
    elsewhere = expert(contest, [category(contest, "C3")])
    with pytest.raises(PermissionDenied, match="assigned to the category"):
        services.entry_nominate(actor=elsewhere, entry=entry, nominate=True)
    with pytest.raises(PermissionDenied):
        services.entry_nominate(actor=UserFactory(), entry=entry, nominate=True)
    other_contest_expert = expert(make_contest(Phase.NOMINATION, year=2041))
    with pytest.raises(PermissionDenied):
        services.entry_nominate(actor=other_contest_expert, entry=entry, nominate=True)


def test_an_expert_never_reviews_their_own_organisation(contest):
    entry = make_entry(contest)
    reviewer = expert(contest, [category(contest, "C4")])
    MembershipFactory(user=reviewer, organisation=entry.organisation, role=Membership.Role.EDITOR)
    with pytest.raises(PermissionDenied, match="Conflict of interest.*you belong to it"):
        services.entry_nominate(actor=reviewer, entry=entry, nominate=True)
    assert Entry.objects.get(pk=entry.pk).state == Entry.State.SUBMITTED
    assert selectors.review_queue(reviewer, contest) == [(entry, "member")]


def test_a_declared_conflict_is_enforced(contest):
    entry = make_entry(contest)
    reviewer = expert(contest, [category(contest, "C4")])
    services.conflict_declare(actor=reviewer, contest=contest, organisation=entry.organisation, note="Former employer")
    with pytest.raises(PermissionDenied, match="declared a conflict"):
        services.entry_nominate(actor=reviewer, entry=entry, nominate=True)
    assert AuditLog.objects.filter(action="prizes.conflict.declare").count() == 1
    # The conflict is about that organisation only.
    other = make_entry(contest, code="C4", user=None)
    services.entry_nominate(actor=reviewer, entry=other, nominate=True)


def test_the_secretariat_has_conflicts_too(contest):
    entry = make_entry(contest)
    staff = services_secretariat()
    MembershipFactory(user=staff, organisation=entry.organisation)
    with pytest.raises(PermissionDenied, match="Conflict of interest"):
        services.entry_nominate(actor=staff, entry=entry, nominate=True)


def services_secretariat():
    from .factories import secretariat

    return secretariat()


def test_only_experts_declare_conflicts(contest):
    with pytest.raises(PermissionDenied):
        services.conflict_declare(actor=UserFactory(), contest=contest, organisation=OrganisationFactory())


@pytest.mark.parametrize("phase", [Phase.SUBMISSION, Phase.VOTING])
def test_nomination_only_during_its_phase(phase):
    contest = make_contest(phase)
    entry = make_entry(contest)
    reviewer = expert(contest, [category(contest, "C4")])
    with pytest.raises(ValidationError, match="only during the Expert nomination phase"):
        services.entry_nominate(actor=reviewer, entry=entry, nominate=True)


def test_scoring_finalists_respects_conflicts_and_range():
    contest = make_contest(Phase.SELECTION)
    entry = make_entry(contest, state=Entry.State.NOMINATED)
    Entry.objects.filter(pk=entry.pk).update(finalist=True)
    entry.refresh_from_db()
    reviewer = expert(contest, [category(contest, "C4")])
    with pytest.raises(ValidationError):
        services.score_submit(actor=reviewer, entry=entry, score=11)
    services.score_submit(actor=reviewer, entry=entry, score=7)
    services.score_submit(actor=reviewer, entry=entry, score=8)  # replaces
    assert list(entry.scores.values_list("score", flat=True)) == [8]
    not_finalist = make_entry(contest, state=Entry.State.NOMINATED, code="C3")
    services.expert_assign(actor=services_secretariat(), category=category(contest, "C3"), expert=reviewer)
    with pytest.raises(ValidationError, match="not a finalist"):
        services.score_submit(actor=reviewer, entry=not_finalist, score=5)
    conflicted = expert(contest, [category(contest, "C4")])
    services.conflict_declare(actor=conflicted, contest=contest, organisation=entry.organisation)
    with pytest.raises(PermissionDenied):
        services.score_submit(actor=conflicted, entry=entry, score=5)


def test_experts_are_assigned_from_the_expert_group(contest):
    with pytest.raises(ValidationError, match="not a member of the Expert Group"):
        services.expert_assign(actor=services_secretariat(), category=category(contest), expert=UserFactory())
    with pytest.raises(PermissionDenied):
        services.expert_assign(actor=UserFactory(), category=category(contest), expert=expert(contest))
