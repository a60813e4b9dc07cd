"""Secretariat review: accept / merge / decline in bulk, permissions, audit rows and e-mails."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from wsis.accounts.tests.factories import MembershipFactory, UserFactory, grant_role
from wsis.core.models import AuditLog
from wsis.core.permissions import Role
from wsis.forum import services
from wsis.forum.models import Session, Submission, SubmissionKind

from .factories import open_edition
from .test_submission_services import proposal_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    user = UserFactory(email="sec@example.org")
    grant_role(user, Role.SECRETARIAT)
    return user


@pytest.fixture
def edition():
    return open_edition()


def make_proposals(edition, n=3):
    out = []
    for i in range(n):
        membership = MembershipFactory()
        out.append(services.submission_create(**proposal_kwargs(edition, membership, title=f"Proposal {i}")))
    return out


def test_bulk_accept_turns_proposals_into_unscheduled_sessions_and_mails_each_submitter(
        edition, secretariat, django_capture_on_commit_callbacks):
    proposals = make_proposals(edition, 3)
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.submission_decide(submissions=proposals, decision="accept", actor=secretariat)
    assert {s.state for s in decided} == {Submission.State.ACCEPTED}
    sessions = Session.objects.filter(edition=edition).order_by("title")
    assert [s.title for s in sessions] == ["Proposal 0", "Proposal 1", "Proposal 2"]
    session = sessions[0]
    assert not session.is_scheduled and session.submission == proposals[0]
    assert [sp.name for sp in session.speakers.all()] == ["Amina Diallo", "Kenji Sato"]
    assert list(session.action_lines.values_list("code", flat=True)) == ["C2"]
    assert len(mail.outbox) == 3
    assert {m.to[0] for m in mail.outbox} == {p.submitted_by.email for p in proposals}
    assert "was accepted" in mail.outbox[0].subject
    assert AuditLog.objects.filter(action="forum.submission.accept").count() == 3


def test_decline_needs_a_reason_which_the_submitter_receives(edition, secretariat, django_capture_on_commit_callbacks):
    [proposal] = make_proposals(edition, 1)
    with pytest.raises(ValidationError) as excinfo:
        services.submission_decide(submissions=[proposal], decision="decline", actor=secretariat, reason=" ")
    assert "reason" in excinfo.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_decide(submissions=[proposal], decision="decline", actor=secretariat,
                                   reason="Out of the forum's scope this year.")
    proposal.refresh_from_db()
    assert proposal.state == Submission.State.DECLINED and proposal.decided_by == secretariat
    assert "Out of the forum's scope this year." in mail.outbox[0].body
    assert not Session.objects.exists()


def test_merge_records_the_target_and_refuses_a_closed_or_self_target(edition, secretariat):
    a, b, c = make_proposals(edition, 3)
    with pytest.raises(ValidationError, match="merged into itself"):
        services.submission_decide(submissions=[a, b], decision="merge", actor=secretariat, merge_into=a)
    services.submission_decide(submissions=[a], decision="merge", actor=secretariat, merge_into=b)
    a.refresh_from_db()
    assert a.state == Submission.State.MERGED and a.merged_into == b
    with pytest.raises(ValidationError, match="was merged or declined"):
        services.submission_decide(submissions=[c], decision="merge", actor=secretariat, merge_into=a)


def test_a_bulk_decision_is_all_or_nothing(edition, secretariat):
    a, b = make_proposals(edition, 2)
    services.submission_decide(submissions=[a], decision="accept", actor=secretariat)
    with pytest.raises(ValidationError, match="has already been decided"):
        services.submission_decide(submissions=[a, b], decision="decline", actor=secretariat, reason="No room.")
    b.refresh_from_db()
    assert b.state == Submission.State.SUBMITTED


@pytest.mark.parametrize("role", [None, Role.MODERATOR, Role.FACILITATOR])
def test_only_the_secretariat_decides(edition, role):
    [proposal] = make_proposals(edition, 1)
    user = UserFactory()
    if role:
        grant_role(user, role)
    with pytest.raises(PermissionDenied):
        services.submission_decide(submissions=[proposal], decision="accept", actor=user)
    # The submitter cannot accept their own submission either.
    with pytest.raises(PermissionDenied):
        services.submission_decide(submissions=[proposal], decision="accept", actor=proposal.submitted_by)


def test_accepting_a_nomination_makes_no_session(edition, secretariat):
    nomination = services.submission_create(**proposal_kwargs(
        edition, MembershipFactory(), kind=SubmissionKind.SPEAKER_NOMINATION,
        speakers=[{"name": "Ada Mensah", "gender": "female", "region": "africa"}]))
    services.submission_decide(submissions=[nomination], decision="accept", actor=secretariat)
    assert not Session.objects.exists()
