import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wsis.accounts import services
from wsis.accounts.models import Membership
from wsis.core.models import AuditLog
from wsis.core.permissions import Role

from ..factories import MembershipFactory, grant_role

pytestmark = pytest.mark.django_db


class TestMembershipSetRole:
    def test_admin_promotes_an_editor(self, organisation, admin_user, editor_user):
        membership = Membership.objects.get(user=editor_user)
        services.membership_set_role(actor=admin_user, membership=membership, role="admin")
        assert Membership.objects.get(pk=membership.pk).role == "admin"
        entry = AuditLog.objects.get(action="accounts.membership.change_role")
        assert entry.data == {"user": editor_user.pk, "from": "editor", "to": "admin"}

    def test_last_admin_cannot_step_down(self, organisation, admin_user, editor_user):
        membership = Membership.objects.get(user=admin_user)
        with pytest.raises(ValidationError) as info:
            services.membership_set_role(actor=admin_user, membership=membership, role="editor")
        assert info.value.message == services.ERR_LAST_ADMIN
        assert Membership.objects.get(pk=membership.pk).role == "admin"

    def test_an_admin_may_step_down_when_another_remains(self, organisation, admin_user):
        MembershipFactory(organisation=organisation, role="admin")
        membership = Membership.objects.get(user=admin_user)
        services.membership_set_role(actor=admin_user, membership=membership, role="editor")
        assert Membership.objects.get(pk=membership.pk).role == "editor"

    def test_editor_cannot_change_roles(self, organisation, admin_user, editor_user):
        with pytest.raises(PermissionDenied):
            services.membership_set_role(actor=editor_user, membership=Membership.objects.get(user=editor_user),
                                         role="admin")

    def test_admin_of_another_organisation_cannot_change_roles(self, organisation, editor_user):
        stranger = MembershipFactory(role="admin").user
        with pytest.raises(PermissionDenied):
            services.membership_set_role(actor=stranger, membership=Membership.objects.get(user=editor_user),
                                         role="admin")

    def test_secretariat_may_step_in(self, organisation, editor_user, outsider):
        grant_role(outsider, Role.SECRETARIAT)
        services.membership_set_role(actor=outsider, membership=Membership.objects.get(user=editor_user),
                                     role="admin")
        assert Membership.objects.get(user=editor_user).role == "admin"

    def test_unknown_role_is_refused(self, organisation, admin_user, editor_user):
        with pytest.raises(ValidationError):
            services.membership_set_role(actor=admin_user, membership=Membership.objects.get(user=editor_user),
                                         role="owner")


class TestMembershipRemove:
    def test_admin_removes_a_member(self, organisation, admin_user, editor_user):
        services.membership_remove(actor=admin_user, membership=Membership.objects.get(user=editor_user))
        assert not Membership.objects.filter(user=editor_user).exists()
        assert AuditLog.objects.filter(action="accounts.membership.remove").exists()

    def test_last_admin_cannot_be_removed_even_by_themself(self, organisation, admin_user):
        with pytest.raises(ValidationError) as info:
            services.membership_remove(actor=admin_user, membership=Membership.objects.get(user=admin_user))
        assert info.value.message == services.ERR_LAST_ADMIN
        assert Membership.objects.filter(user=admin_user).exists()

    def test_member_may_leave(self, organisation, admin_user, editor_user):
        services.membership_remove(actor=editor_user, membership=Membership.objects.get(user=editor_user))
        assert not Membership.objects.filter(user=editor_user).exists()

    def test_editor_cannot_remove_another_member(self, organisation, admin_user, editor_user):
        with pytest.raises(PermissionDenied):
            services.membership_remove(actor=editor_user, membership=Membership.objects.get(user=admin_user))
