"""The accounts demo data: every role user, and running it twice changes nothing."""

import pytest

from wsis.accounts import demo
from wsis.accounts.models import Membership, Organisation, OrganisationInvitation, User
from wsis.core.demo import DemoContext
from wsis.core.permissions import RoleGrant

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (User, Organisation, Membership, RoleGrant, OrganisationInvitation)]


def test_seed_is_idempotent_and_every_organisation_has_an_admin():
    demo.seed(DemoContext(seed=1, initiatives=0))
    first = counts()
    demo.seed(DemoContext(seed=1, initiatives=0))
    assert counts() == first
    assert not Organisation.objects.exclude(memberships__role="admin").exists()
    assert User.objects.filter(email_verified=False).count() == 0
    assert OrganisationInvitation.objects.get().is_pending
