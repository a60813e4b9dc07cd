"""Fixtures of the accounts tests."""

import pytest

from .factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (e-mails) of the block: ``with sent(): …`` then read ``mail.outbox``."""
    def runner():
        return django_capture_on_commit_callbacks(execute=True)
    return runner


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def admin_user(organisation):
    return MembershipFactory(organisation=organisation, role="admin").user


@pytest.fixture
def editor_user(organisation):
    return MembershipFactory(organisation=organisation, role="editor").user


@pytest.fixture
def outsider(db):
    return UserFactory()
