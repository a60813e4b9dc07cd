"""The accounts API: public organisations, /me with a session or a personal API token."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wsis.accounts import services
from wsis.accounts.models import ApiToken
from wsis.core.permissions import Role
from wsis.taxonomy.models import ActionLine, Country, StakeholderType

from .factories import MembershipFactory, OrganisationFactory, UserFactory, grant_role

pytestmark = pytest.mark.django_db


def test_organisation_list_is_public_filtered_and_paginated(client, django_assert_max_num_queries):
    gov = StakeholderType.objects.get(code="government")
    npl = Country.objects.get(iso3="NPL")
    OrganisationFactory(name="Alpha", stakeholder_type=gov, country=npl)
    OrganisationFactory(name="Beta")
    OrganisationFactory.create_batch(5)
    with django_assert_max_num_queries(3):
        data = client.get("/api/v1/organisations?limit=3").json()
    assert data["count"] == 7 and len(data["items"]) == 3
    data = client.get("/api/v1/organisations?stakeholder_type=government&country=npl").json()
    assert [o["name"] for o in data["items"]] == ["Alpha"]
    assert data["items"][0] == {
        "slug": data["items"][0]["slug"], "name": "Alpha", "acronym": "", "stakeholder_type": "government",
        "stakeholder_type_name": "Government", "country": "NPL", "country_name": "Nepal", "website": ""}
    assert [o["name"] for o in client.get("/api/v1/organisations?q=bet").json()["items"]] == ["Beta"]


def test_organisation_detail_and_404(client, organisation):
    data = client.get(f"/api/v1/organisations/{organisation.slug}").json()
    assert data["name"] == organisation.name and "description" in data
    assert client.get("/api/v1/organisations/nope").status_code == 404


def test_me_needs_authentication(client):
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wsis_not-a-token").status_code == 401


def test_me_with_a_session(client, organisation, admin_user):
    grant_role(admin_user, Role.FACILITATOR, ActionLine.objects.get(code="C5"))
    client.force_login(admin_user)
    data = client.get("/api/v1/me").json()
    assert data["email"] == admin_user.email
    assert data["organisations"] == [{"slug": organisation.slug, "name": organisation.name, "role": "admin"}]
    assert data["roles"][0]["role"] == "facilitator" and data["roles"][0]["scope_type"] == "actionline"


def test_me_with_a_bearer_token_records_last_use(client):
    user = UserFactory()
    MembershipFactory(user=user, role="editor")
    token, key = services.api_token_create(user=user, name="ci")
    assert token.key_hash != key and key.startswith("wsis_")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["email"] == user.email
    token.refresh_from_db()
    assert token.last_used is not None


def test_token_of_an_inactive_or_unverified_user_is_refused(client):
    user = UserFactory()
    _token, key = services.api_token_create(user=user, name="ci")
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    user.is_active, user.email_verified = True, False
    user.save()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_revoked_token_no_longer_works(client):
    user = UserFactory()
    token, key = services.api_token_create(user=user, name="ci")
    services.api_token_revoke(user=user, token=token)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(client):
    user = UserFactory()
    token, key = services.api_token_create(user=user, name="ci")
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now() - timedelta(seconds=5))
    before = ApiToken.objects.get(pk=token.pk).last_used
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert ApiToken.objects.get(pk=token.pk).last_used == before


def test_openapi_documents_the_bearer_token():
    from config.api import api

    schema = api.get_openapi_schema()
    assert "/api/v1/me" in schema["paths"]
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
