"""Personal API tokens write without CSRF, within their scope, until they expire or the password changes."""

import io
import json
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wsis.accounts import services
from wsis.accounts.models import ApiToken
from wsis.core.models import AuditLog
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import member

pytestmark = pytest.mark.django_db
API = "/api/v1/initiatives"


@pytest.fixture
def api_client():
    """A client that enforces CSRF as a browser-less program meets it: no cookie, no CSRF token."""
    return Client(enforce_csrf_checks=True)


def _post(client, path, body, key):
    return client.post(path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")


def _patch(client, path, body, key):
    return client.patch(path, json.dumps(body), content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {key}")


def _writer():
    user = member()
    return user, user.memberships.get().organisation


def test_a_write_token_creates_patches_and_submits_without_csrf(api_client):
    user, org = _writer()
    token, key = services.api_token_create(user=user, name="ci", scope=ApiToken.Scope.WRITE)
    response = _post(api_client, API, {"organisation": org.slug, "title": "Open data portal",
                                       "countries": ["KEN"], "primary_action_line": "C3"}, key)
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = _patch(api_client, f"{API}/{pk}", {"summary": "Opens government data.", "start_date": "2024-05-01",
                                                  "goals": [16]}, key)
    assert response.status_code == 200, response.content
    assert _post(api_client, f"{API}/{pk}/submit", {}, key).json()["state"] == "submitted"
    assert Initiative.objects.get(pk=pk).created_by == user
    token.refresh_from_db()
    assert token.last_used is not None


def test_a_session_write_without_the_csrf_token_is_still_refused(api_client):
    user, org = _writer()
    api_client.force_login(user)
    response = api_client.post(API, json.dumps({"organisation": org.slug, "title": "x"}),
                               content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_a_read_token_reads_but_cannot_write(api_client):
    user, org = _writer()
    _token, key = services.api_token_create(user=user, name="reader")
    assert api_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    response = _post(api_client, API, {"organisation": org.slug, "title": "Open data portal"}, key)
    assert response.status_code == 403
    assert "only read" in response.json()["detail"]
    assert not Initiative.objects.exists()


def test_an_expired_token_is_refused(api_client):
    user, org = _writer()
    token, key = services.api_token_create(user=user, name="ci", scope=ApiToken.Scope.WRITE, days=30)
    assert api_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert _post(api_client, API, {"organisation": org.slug, "title": "x"}, key).status_code == 401


def test_lifetime_is_bounded_by_the_setting(settings):
    settings.API_TOKEN_MAX_DAYS = 90
    user, _org = _writer()
    with pytest.raises(ValidationError):
        services.api_token_create(user=user, name="ci", days=91)
    token, _key = services.api_token_create(user=user, name="ci")
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    entry = AuditLog.objects.get(action="accounts.api_token.create")
    assert entry.data["scope"] == "read"


@pytest.mark.parametrize("how", ["service", "form", "command"])
def test_a_password_change_revokes_every_earlier_token(api_client, how):
    user, org = _writer()
    _token, key = services.api_token_create(user=user, name="ci", scope=ApiToken.Scope.WRITE)
    assert api_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    if how == "service":
        user.set_password("another long passphrase 9")
        user.save()
    elif how == "form":  # the change-password page and the reset link both save a SetPasswordForm
        form = SetPasswordForm(user, {"new_password1": "another long passphrase 9",
                                      "new_password2": "another long passphrase 9"})
        assert form.is_valid(), form.errors
        form.save()
    else:
        with mock.patch("getpass.getpass", return_value="another long passphrase 9"):
            call_command("changepassword", user.email, stdout=io.StringIO())
    assert api_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert _post(api_client, API, {"organisation": org.slug, "title": "x"}, key).status_code == 401
    # A token made after the change works.
    user.refresh_from_db()
    _token, new_key = services.api_token_create(user=user, name="ci 2")
    assert api_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {new_key}").status_code == 200


def test_token_page_shows_scope_expiry_last_use_and_revocation(client):
    user, _org = _writer()
    client.force_login(user)
    response = client.post(reverse("accounts:api-tokens"), {"name": "Nightly sync", "scope": "write", "days": "30"},
                           follow=True)
    html = response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert token.scope == "write" and token.last_used is None
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert "Read and write" in html and "never" in html
    assert f"{token.expires_at.year}" in html
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert "Expired on" in client.get(reverse("accounts:api-tokens")).content.decode()
    user.set_password("another long passphrase 9")
    user.save()
    client.force_login(user)
    assert "your password changed" in client.get(reverse("accounts:api-tokens")).content.decode()


def test_token_form_refuses_a_lifetime_beyond_the_setting(client, settings):
    settings.API_TOKEN_MAX_DAYS = 30
    user, _org = _writer()
    client.force_login(user)
    response = client.post(reverse("accounts:api-tokens"), {"name": "x", "scope": "read", "days": "365"})
    assert response.status_code == 200 and not ApiToken.objects.exists()
