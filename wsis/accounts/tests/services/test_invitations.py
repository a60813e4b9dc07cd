from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wsis.accounts import services
from wsis.accounts.models import Membership, OrganisationInvitation
from wsis.core.models import AuditLog

from ..factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def invite(actor, organisation, email="new@example.org", role="editor"):
    return services.invitation_create(actor=actor, organisation=organisation, email=email, role=role,
                                      site_url="https://wsis.example.org")


class TestInvitationCreate:
    def test_admin_invites_and_an_email_with_the_link_goes_out_after_commit(self, organisation, admin_user, sent):
        with sent():
            invitation, token = invite(admin_user, organisation, email="New@Example.org")
        assert invitation.email == "new@example.org"
        assert invitation.token_hash != token and len(invitation.token_hash) == 64
        assert timedelta(days=13, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=14)
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["new@example.org"]
        assert f"https://wsis.example.org/en/invitations/{token}/" in mail.outbox[0].body
        assert organisation.name in mail.outbox[0].subject
        assert AuditLog.objects.filter(action="accounts.invitation.send").exists()

    def test_no_mail_when_the_transaction_rolls_back(self, organisation, admin_user, sent):
        from django.db import transaction

        with sent(), pytest.raises(RuntimeError), transaction.atomic():
            invite(admin_user, organisation)
            raise RuntimeError
        assert mail.outbox == []

    def test_invitation_mail_uses_the_invitees_language_when_they_have_an_account(self, organisation, admin_user,
                                                                                  sent):
        UserFactory(email="ru@example.org", preferred_language="ru")
        with sent():
            invite(admin_user, organisation, email="ru@example.org")
        assert "/ru/invitations/" in mail.outbox[0].body

    def test_editor_and_outsider_cannot_invite(self, organisation, editor_user, outsider):
        for actor in (editor_user, outsider):
            with pytest.raises(PermissionDenied):
                invite(actor, organisation)
        assert not OrganisationInvitation.objects.exists()

    def test_existing_member_cannot_be_invited(self, organisation, admin_user, editor_user):
        with pytest.raises(ValidationError) as info:
            invite(admin_user, organisation, email=editor_user.email.upper())
        assert "email" in info.value.error_dict

    def test_new_invitation_replaces_the_pending_one(self, organisation, admin_user):
        first, first_token = invite(admin_user, organisation)
        invite(admin_user, organisation)
        first.refresh_from_db()
        assert first.cancelled_at is not None
        with pytest.raises(ValidationError):
            services.invitation_accept(actor=UserFactory(email="new@example.org"), token=first_token)


class TestInvitationAccept:
    def test_invitee_joins_with_the_role(self, organisation, admin_user):
        _invitation, token = invite(admin_user, organisation, role="admin")
        invitee = UserFactory(email="new@example.org")
        membership = services.invitation_accept(actor=invitee, token=token)
        assert membership.role == Membership.Role.ADMIN
        assert membership.organisation == organisation
        assert OrganisationInvitation.objects.get().accepted_by == invitee
        assert AuditLog.objects.filter(action="accounts.invitation.accept").exists()

    def test_accepting_verifies_the_address(self, organisation, admin_user):
        _invitation, token = invite(admin_user, organisation)
        invitee = UserFactory(email="new@example.org", email_verified=False)
        services.invitation_accept(actor=invitee, token=token)
        invitee.refresh_from_db()
        assert invitee.email_verified

    def test_invitation_can_be_used_once(self, organisation, admin_user):
        _invitation, token = invite(admin_user, organisation)
        invitee = UserFactory(email="new@example.org")
        services.invitation_accept(actor=invitee, token=token)
        with pytest.raises(ValidationError) as info:
            services.invitation_accept(actor=invitee, token=token)
        assert info.value.code == "used"

    def test_expired_invitation_is_refused(self, organisation, admin_user):
        invitation, token = invite(admin_user, organisation)
        OrganisationInvitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1))
        with pytest.raises(ValidationError) as info:
            services.invitation_accept(actor=UserFactory(email="new@example.org"), token=token)
        assert info.value.code == "expired"
        assert not Membership.objects.filter(user__email="new@example.org").exists()

    def test_another_user_cannot_accept(self, organisation, admin_user, outsider):
        _invitation, token = invite(admin_user, organisation)
        with pytest.raises(ValidationError) as info:
            services.invitation_accept(actor=outsider, token=token)
        assert info.value.code == "wrong_user"
        assert not Membership.objects.filter(user=outsider).exists()

    def test_unknown_token_is_refused(self, outsider):
        with pytest.raises(ValidationError) as info:
            services.invitation_accept(actor=outsider, token="made-up")
        assert info.value.code == "invalid"

    def test_invitation_never_lowers_an_existing_role(self, organisation, admin_user):
        # Invited as editor, but made an administrator by other means before accepting.
        _invitation, token = invite(admin_user, organisation, email="new@example.org", role="editor")
        invitee = MembershipFactory(organisation=organisation, user=UserFactory(email="new@example.org"),
                                    role="admin").user
        assert services.invitation_accept(actor=invitee, token=token).role == "admin"

    def test_cancelled_invitation_is_refused(self, organisation, admin_user):
        invitation, token = invite(admin_user, organisation)
        services.invitation_cancel(actor=admin_user, invitation=invitation)
        with pytest.raises(ValidationError):
            services.invitation_accept(actor=UserFactory(email="new@example.org"), token=token)
