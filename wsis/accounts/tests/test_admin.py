"""The admin pages of the accounts models open for a superuser and hide the token hashes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wsis.accounts import services
from wsis.accounts.models import OrganisationInvitation

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_and_shows_invitations_and_tokens_without_secrets(client, organisation):
    admin = UserFactory(is_staff=True, is_superuser=True)
    token, key = services.api_token_create(user=admin, name="ops")
    invitation = OrganisationInvitation.objects.create(
        organisation=organisation, email="i@example.org", role="editor", token_hash=services.hash_secret("s"),
        expires_at=timezone.now() + timedelta(days=14))
    client.force_login(admin)
    for model in ("user", "organisation", "organisationinvitation", "apitoken"):
        assert client.get(reverse(f"admin:accounts_{model}_changelist")).status_code == 200, model
    assert client.get(reverse("admin:core_rolegrant_changelist")).status_code == 200
    html = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content.decode()
    assert token.key_hash not in html and key not in html
    html = client.get(reverse("admin:accounts_organisationinvitation_change", args=[invitation.pk])).content.decode()
    assert invitation.token_hash not in html
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
