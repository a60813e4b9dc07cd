"""Every state transition of an initiative, who may make it, and what it leaves behind."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from wsis.core.models import AuditLog
from wsis.stocktaking import services
from wsis.stocktaking.models import Initiative, InitiativeRevision, TagSource
from wsis.stocktaking.tests.factories import complete_data, make_initiative, member, moderator
from wsis.taxonomy.models import Target

pytestmark = pytest.mark.django_db(transaction=False)
State = Initiative.State


def audit_actions(initiative):
    return list(AuditLog.objects.filter(target_type="stocktaking.initiative", target_id=str(initiative.pk))
                .order_by("id").values_list("action", flat=True))


class TestInitiativeCreate:
    def test_member_creates_a_draft_with_a_revision_and_an_audit_row(self):
        user = member()
        org = user.memberships.get().organisation
        initiative = services.initiative_create(user=user, organisation=org, data=complete_data())
        assert initiative.state == State.DRAFT
        assert initiative.year == 2024
        assert initiative.action_line_tags.get().is_primary
        assert initiative.revisions.get().author == user
        assert audit_actions(initiative) == ["stocktaking.initiative.create"]

    def test_a_draft_may_be_incomplete(self):
        user = member()
        data = complete_data(summary="", countries=[], primary_action_line=None, goals=[], targets=[], start_date=None)
        initiative = services.initiative_create(user=user, organisation=user.memberships.get().organisation, data=data)
        assert initiative.pk and initiative.summary == ""

    def test_member_of_another_organisation_cannot_create(self):
        outsider = member()
        other_org = member().memberships.get().organisation
        with pytest.raises(PermissionDenied):
            services.initiative_create(user=outsider, organisation=other_org, data=complete_data())
        assert not Initiative.objects.filter(organisation=other_org).exists()

    def test_target_tags_imply_their_goal_with_the_same_source(self):
        user = member()
        target = Target.objects.get(code="9.c")
        data = complete_data(targets=[target], goals=[], matrix_target_ids={target.pk})
        initiative = services.initiative_create(user=user, organisation=user.memberships.get().organisation, data=data)
        assert initiative.target_tags.get().source == TagSource.MATRIX
        assert initiative.goal_tags.get(goal__number=9).source == TagSource.MATRIX


class TestInitiativeSubmit:
    def test_submit_moves_to_submitted_and_mails_the_submitter(self):
        user = member()
        initiative = make_initiative(user=user)
        mail.outbox.clear()
        with_commit = services.initiative_submit
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            initiative = with_commit(user=user, initiative=initiative)
        assert initiative.state == State.SUBMITTED
        assert initiative.submitted_at is not None
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
        assert "stocktaking.initiative.submit" in audit_actions(initiative)

    def test_incomplete_draft_cannot_be_submitted_and_errors_name_the_fields(self):
        user = member()
        initiative = services.initiative_create(
            user=user, organisation=user.memberships.get().organisation,
            data=complete_data(summary="", primary_action_line=None))
        with pytest.raises(ValidationError) as exc:
            services.initiative_submit(user=user, initiative=initiative)
        assert {"summary", "primary_action_line"} <= set(exc.value.error_dict)
        initiative.refresh_from_db()
        assert initiative.state == State.DRAFT

    def test_member_of_another_organisation_cannot_submit(self):
        initiative = make_initiative()
        with pytest.raises(PermissionDenied):
            services.initiative_submit(user=member(), initiative=initiative)

    def test_submitted_entry_cannot_be_submitted_again(self):
        initiative = make_initiative(state=State.SUBMITTED)
        user = initiative.created_by
        with pytest.raises(ValidationError):
            services.initiative_submit(user=user, initiative=initiative)


class TestDuplicateTitle:
    def test_near_identical_title_in_the_same_organisation_blocks_submission(self):
        first = make_initiative(state=State.PUBLISHED, title="Digital Skills for Rural Youth!")
        user = first.created_by
        second = make_initiative(user=user, title="Digital skills for rural youths")
        with pytest.raises(services.DuplicateTitle) as exc:
            services.initiative_submit(user=user, initiative=second)
        assert exc.value.matches == [first]
        second.refresh_from_db()
        assert second.state == State.DRAFT

    def test_confirming_a_different_initiative_allows_submission(self):
        first = make_initiative(title="Digital skills for rural youth")
        second = make_initiative(user=first.created_by, title="Digital skills for rural youth")
        services.initiative_submit(user=first.created_by, initiative=second, confirm_distinct=True)
        second.refresh_from_db()
        assert second.state == State.SUBMITTED

    def test_same_title_in_another_organisation_is_no_duplicate(self):
        make_initiative(title="Digital skills for rural youth")
        other = make_initiative(title="Digital skills for rural youth")
        services.initiative_submit(user=other.created_by, initiative=other)

    def test_different_titles_are_not_flagged(self):
        first = make_initiative(title="Digital skills for rural youth")
        assert services.initiative_duplicates(organisation=first.organisation, title="Telemedicine for clinics") == []


class TestModeration:
    @pytest.mark.parametrize("start", [State.SUBMITTED, State.IN_REVIEW])
    def test_moderator_approves_and_publishes(self, start):
        initiative = make_initiative(state=start)
        published = services.initiative_approve(user=moderator(), initiative=initiative, comment="Welcome")
        assert published.state == State.PUBLISHED
        assert published.published_at and published.last_reviewed_at
        assert published.revisions.first().state == State.PUBLISHED
        assert "stocktaking.initiative.approve" in audit_actions(initiative)

    def test_start_review(self):
        initiative = make_initiative(state=State.SUBMITTED)
        assert services.initiative_start_review(user=moderator(), initiative=initiative).state == State.IN_REVIEW

    def test_return_keeps_the_comment_for_the_submitter_who_resubmits(self):
        initiative = make_initiative(state=State.SUBMITTED)
        returned = services.initiative_return(user=moderator(), initiative=initiative, comment="Add partners.")
        assert returned.state == State.RETURNED
        assert returned.moderator_comment == "Add partners."
        user = initiative.created_by
        services.initiative_update(user=user, initiative=returned, data=complete_data(partners="UNESCO"))
        again = services.initiative_submit(user=user, initiative=returned)
        assert again.state == State.SUBMITTED

    def test_return_and_reject_need_a_comment(self):
        initiative = make_initiative(state=State.SUBMITTED)
        with pytest.raises(ValidationError):
            services.initiative_return(user=moderator(), initiative=initiative, comment=" ")
        with pytest.raises(ValidationError):
            services.initiative_reject(user=moderator(), initiative=initiative, reason="")

    def test_reject(self):
        initiative = make_initiative(state=State.IN_REVIEW)
        rejected = services.initiative_reject(user=moderator(), initiative=initiative, reason="Out of scope")
        assert rejected.state == State.REJECTED and rejected.moderator_comment == "Out of scope"

    def test_moderation_mails_the_submitter(self):
        from django.test import TestCase

        initiative = make_initiative(state=State.SUBMITTED)
        mail.outbox.clear()
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.initiative_return(user=moderator(), initiative=initiative, comment="Please add the dates.")
        assert mail.outbox[0].to == [initiative.created_by.email]
        assert "Please add the dates." in mail.outbox[0].body

    @pytest.mark.parametrize("action", ["start_review", "approve", "return", "reject"])
    def test_members_and_strangers_cannot_moderate(self, action):
        initiative = make_initiative(state=State.SUBMITTED)
        for user in (initiative.created_by, member()):
            kwargs = {"comment": "x"} if action == "return" else {"reason": "x"} if action == "reject" else {}
            with pytest.raises(PermissionDenied):
                getattr(services, f"initiative_{action}")(user=user, initiative=initiative, **kwargs)
        initiative.refresh_from_db()
        assert initiative.state == State.SUBMITTED

    @pytest.mark.parametrize("state", [State.DRAFT, State.RETURNED, State.REJECTED, State.ARCHIVED])
    def test_cannot_approve_from_a_state_outside_moderation(self, state):
        initiative = make_initiative(state=state)
        with pytest.raises(ValidationError):
            services.initiative_approve(user=moderator(), initiative=initiative)

    def test_archive_by_moderator_or_member_only_when_published(self):
        initiative = make_initiative(state=State.PUBLISHED)
        with pytest.raises(PermissionDenied):
            services.initiative_archive(user=member(), initiative=initiative)
        archived = services.initiative_archive(user=initiative.created_by, initiative=initiative, reason="Ended")
        assert archived.state == State.ARCHIVED
        with pytest.raises(ValidationError):
            services.initiative_archive(user=moderator(), initiative=archived)


class TestUpdateOfPublishedInitiative:
    def test_update_creates_a_pending_revision_and_the_published_version_stays(self):
        initiative = make_initiative(state=State.PUBLISHED, title="Original title")
        user = initiative.created_by
        services.initiative_update(user=user, initiative=initiative, data=complete_data(title="New title"),
                                   reason="Renamed")
        initiative.refresh_from_db()
        assert initiative.title == "Original title" and initiative.state == State.PUBLISHED
        pending = initiative.revisions.get(pending=True)
        assert pending.data["title"] == "New title" and pending.state == State.DRAFT

    def test_pending_update_goes_through_moderation_and_approval_applies_it(self):
        initiative = make_initiative(state=State.PUBLISHED, title="Original title")
        user, mod = initiative.created_by, moderator()
        services.initiative_update(user=user, initiative=initiative,
                                   data=complete_data(title="New title", targets=[Target.objects.get(code="4.5")]))
        services.initiative_submit(user=user, initiative=initiative)
        assert initiative.revisions.get(pending=True).state == State.SUBMITTED
        services.initiative_start_review(user=mod, initiative=initiative)
        services.initiative_approve(user=mod, initiative=initiative)
        initiative.refresh_from_db()
        assert initiative.title == "New title" and initiative.state == State.PUBLISHED
        assert list(initiative.target_tags.values_list("target__code", flat=True)) == ["4.5"]
        assert not initiative.revisions.filter(pending=True).exists()

    def test_rejecting_an_update_keeps_the_published_version(self):
        initiative = make_initiative(state=State.PUBLISHED, title="Original title")
        services.initiative_update(user=initiative.created_by, initiative=initiative,
                                   data=complete_data(title="Spam"))
        services.initiative_submit(user=initiative.created_by, initiative=initiative)
        services.initiative_reject(user=moderator(), initiative=initiative, reason="No")
        initiative.refresh_from_db()
        assert initiative.title == "Original title" and initiative.state == State.PUBLISHED
        assert InitiativeRevision.objects.filter(initiative=initiative, pending=True).count() == 0

    def test_returned_update_can_be_edited_and_resubmitted(self):
        initiative = make_initiative(state=State.PUBLISHED)
        user = initiative.created_by
        services.initiative_update(user=user, initiative=initiative, data=complete_data(title="Second"))
        services.initiative_submit(user=user, initiative=initiative)
        services.initiative_return(user=moderator(), initiative=initiative, comment="Typo")
        services.initiative_update(user=user, initiative=initiative, data=complete_data(title="Third"))
        services.initiative_submit(user=user, initiative=initiative)
        assert initiative.revisions.get(pending=True).data["title"] == "Third"

    def test_member_of_another_organisation_cannot_update(self):
        initiative = make_initiative(state=State.PUBLISHED)
        with pytest.raises(PermissionDenied):
            services.initiative_update(user=member(), initiative=initiative, data=complete_data(title="Hijack"))

    def test_update_in_review_is_refused(self):
        initiative = make_initiative(state=State.IN_REVIEW)
        with pytest.raises(ValidationError):
            services.initiative_update(user=initiative.created_by, initiative=initiative, data=complete_data())


class TestReminders:
    def test_reminds_about_entries_not_revised_for_a_year_once(self):
        import datetime as dt

        from django.test import TestCase
        from django.utils import timezone

        old = make_initiative(state=State.PUBLISHED, title="Old one")
        fresh = make_initiative(state=State.PUBLISHED, title="Fresh one")
        Initiative.objects.filter(pk=old.pk).update(last_reviewed_at=timezone.now() - dt.timedelta(days=400))
        mail.outbox.clear()
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert services.initiative_reminders_send() == 1
        assert [m.to for m in mail.outbox] == [[old.created_by.email]]
        assert "Old one" in mail.outbox[0].subject
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert services.initiative_reminders_send() == 0
        fresh.refresh_from_db()
        assert fresh.reminded_at is None

    def test_command_enqueues_the_reminder_task(self):
        import datetime as dt
        from io import StringIO

        from django.core.management import call_command
        from django.utils import timezone

        old = make_initiative(state=State.PUBLISHED)
        Initiative.objects.filter(pk=old.pk).update(last_reviewed_at=timezone.now() - dt.timedelta(days=400))
        out = StringIO()
        call_command("send_update_reminders", "--no-input", stdout=out)
        assert "queued" in out.getvalue()
        old.refresh_from_db()
        assert old.reminded_at is not None
