"""Consultation submissions: the phase windows are enforced in the services, with clear messages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wsis.accounts.tests.factories import MembershipFactory, UserFactory, grant_role
from wsis.core.models import AuditLog
from wsis.core.permissions import Role
from wsis.forum import services
from wsis.forum.models import ConsultationPhase, Submission, SubmissionKind
from wsis.taxonomy.models import ActionLine, Goal, RegionalCommission

from .factories import ForumEditionFactory, PhaseFactory, open_edition

pytestmark = pytest.mark.django_db

SPEAKERS = [{"name": "Amina Diallo", "affiliation": "WITAN", "gender": "female", "region": "africa"},
            {"name": "Kenji Sato", "affiliation": "APBA", "gender": "male", "region": "asia_pacific"}]


def proposal_kwargs(edition, membership, **extra):
    kwargs = {
        "edition": edition, "kind": SubmissionKind.SESSION_PROPOSAL, "organisation": membership.organisation,
        "actor": membership.user, "title": "Community networks for rural schools", "summary": "A workshop.",
        "session_format": "thematic_workshop", "organisers": "WITAN; RLA",
        "action_lines": [ActionLine.objects.get(code="C2")], "goals": [Goal.objects.get(number=4)], "speakers": SPEAKERS,
    }
    kwargs.update(extra)
    return kwargs


class TestPhaseEnforcement:
    def test_proposal_inside_its_window_is_recorded_with_its_phase_and_speakers(self):
        edition = open_edition()
        membership = MembershipFactory()
        submission = services.submission_create(**proposal_kwargs(edition, membership))
        assert submission.state == Submission.State.SUBMITTED
        assert submission.phase.number == 1
        assert [s.name for s in submission.speakers.all()] == ["Amina Diallo", "Kenji Sato"]
        assert AuditLog.objects.filter(action="forum.submission.create", target_id=str(submission.pk)).exists()

    def test_proposal_after_the_deadline_is_refused_naming_the_phase_and_its_dates(self):
        edition = ForumEditionFactory(year=2031, title="WSIS Forum 2031")
        PhaseFactory(edition=edition, number=1, name="Phase I: Call for thematic inputs",
                     starts_on=dt.date(2030, 9, 1), ends_on=dt.date(2030, 10, 31),
                     accepts=[SubmissionKind.THEMATIC_INPUT])
        PhaseFactory(edition=edition, number=2, kind=ConsultationPhase.Kind.MEETING,
                     name="Phase II: First consultation meeting", starts_on=dt.date(2030, 11, 1),
                     ends_on=dt.date(2031, 1, 15), accepts=[SubmissionKind.SESSION_PROPOSAL])
        membership = MembershipFactory()
        with pytest.raises(ValidationError) as excinfo:
            services.submission_create(**proposal_kwargs(edition, membership), today=dt.date(2031, 2, 1))
        message = excinfo.value.messages[0]
        assert "Session or workshop proposal" in message
        assert "1 February 2031" in message
        assert "WSIS Forum 2031" in message
        assert "Phase II: First consultation meeting (1 November 2030 – 15 January 2031)" in message
        assert "Call for thematic inputs" not in message  # phase I does not take proposals
        assert not Submission.objects.exists()

    def test_proposal_in_a_phase_that_takes_only_thematic_inputs_is_refused(self):
        edition = ForumEditionFactory()
        PhaseFactory(edition=edition, accepts=[SubmissionKind.THEMATIC_INPUT])
        with pytest.raises(ValidationError, match="does not accept submissions of the kind"):
            services.submission_create(**proposal_kwargs(edition, MembershipFactory()))

    def test_the_first_day_and_the_last_day_of_a_phase_are_inside_it(self):
        edition = ForumEditionFactory()
        phase = PhaseFactory(edition=edition, starts_on=dt.date(2030, 3, 1), ends_on=dt.date(2030, 3, 5))
        membership = MembershipFactory()
        for day in (dt.date(2030, 3, 1), dt.date(2030, 3, 5)):
            assert services.submission_create(**proposal_kwargs(edition, membership), today=day).phase == phase
        with pytest.raises(ValidationError):
            services.submission_create(**proposal_kwargs(edition, membership), today=dt.date(2030, 3, 6))


class TestSubmissionRules:
    def test_anonymous_users_cannot_submit(self):
        from django.contrib.auth.models import AnonymousUser

        edition = open_edition()
        membership = MembershipFactory()
        with pytest.raises(PermissionDenied):
            services.submission_create(**proposal_kwargs(edition, membership, actor=AnonymousUser()))

    def test_a_user_cannot_submit_for_an_organisation_they_do_not_belong_to(self):
        edition = open_edition()
        with pytest.raises(PermissionDenied, match="organisation you belong to"):
            services.submission_create(**proposal_kwargs(edition, MembershipFactory(), actor=UserFactory()))

    def test_a_proposal_needs_format_organisers_action_line_and_a_speaker(self):
        edition = open_edition()
        with pytest.raises(ValidationError) as excinfo:
            services.submission_create(**proposal_kwargs(edition, MembershipFactory(), session_format="",
                                                         organisers="", action_lines=[]))
        assert set(excinfo.value.message_dict) == {"session_format", "organisers", "action_lines"}
        with pytest.raises(ValidationError) as excinfo:
            services.submission_create(**proposal_kwargs(edition, MembershipFactory(), speakers=[]))
        assert "speakers" in excinfo.value.message_dict

    def test_a_nomination_names_exactly_one_person(self):
        edition = open_edition()
        kwargs = proposal_kwargs(edition, MembershipFactory(), kind=SubmissionKind.HLTF_NOMINATION)
        with pytest.raises(ValidationError, match="exactly one person"):
            services.submission_create(**kwargs)
        kwargs["speakers"] = SPEAKERS[:1]
        nomination = services.submission_create(**kwargs)
        assert nomination.session_format == ""
        assert nomination.speakers.get().gender == "female"

    def test_a_thematic_input_needs_an_issue_and_a_tag(self):
        edition = open_edition()
        kwargs = proposal_kwargs(edition, MembershipFactory(), kind=SubmissionKind.THEMATIC_INPUT,
                                 action_lines=[], goals=[], issue="")
        with pytest.raises(ValidationError) as excinfo:
            services.submission_create(**kwargs)
        assert set(excinfo.value.message_dict) == {"issue", "action_lines"}


class TestRegionalInput:
    def test_regional_reviewer_submits_the_commissions_review_once(self):
        edition = open_edition()
        escap = RegionalCommission.objects.get(code="ESCAP")
        reviewer = UserFactory()
        grant_role(reviewer, Role.REGIONAL_REVIEWER, escap)
        kwargs = {"edition": edition, "commission": escap, "title": "Asia-Pacific regional review 2026",
                      "summary": "Findings.", "document_url": "https://example.org/escap-2026.pdf", "actor": reviewer}
        first = services.regional_input_submit(**kwargs)
        assert first.kind == SubmissionKind.REGIONAL_INPUT and first.commission == escap
        assert first.organisation is None and first.submitted_by == reviewer
        again = services.regional_input_submit(**{**kwargs, "title": "Asia-Pacific regional review 2026 (rev. 1)"})
        assert again.pk == first.pk and again.title.endswith("(rev. 1)")
        assert Submission.objects.count() == 1

    def test_a_reviewer_of_another_commission_cannot_submit(self):
        edition = open_edition()
        reviewer = UserFactory()
        grant_role(reviewer, Role.REGIONAL_REVIEWER, RegionalCommission.objects.get(code="ECA"))
        with pytest.raises(PermissionDenied):
            services.regional_input_submit(edition=edition, commission=RegionalCommission.objects.get(code="ESCAP"),
                                           title="T", summary="S", document_url="", actor=reviewer)

    def test_a_system_job_may_submit_and_the_phase_is_still_enforced(self):
        edition = ForumEditionFactory()
        PhaseFactory(edition=edition, starts_on=timezone.localdate() + dt.timedelta(days=5),
                     ends_on=timezone.localdate() + dt.timedelta(days=9), accepts=[SubmissionKind.REGIONAL_INPUT])
        with pytest.raises(ValidationError, match="Regional input"):
            services.regional_input_submit(edition=edition, commission=RegionalCommission.objects.get(code="ECE"),
                                           title="T", summary="S", document_url="", actor=None)
