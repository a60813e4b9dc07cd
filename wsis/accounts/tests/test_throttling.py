"""Finding 4 (issue 13): sign-in, password reset and sign-up are throttled.

The probe made 30 wrong sign-in attempts in 10 s, then signed in with the right password, and could
have password-reset mails sent without limit. Sign-in now locks (django-axes) per account and per
client address, answers 429 with Retry-After and a page saying when to try again, and an
administrator can lift the lockout in the admin.
"""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from wsis.accounts.models import User
from wsis.core import ratelimit

from .factories import UserFactory
from .helpers import PASSWORD, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_window(monkeypatch):
    """Every request of a test falls in one counting window of the cache rate limits."""
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_800_000_000.0 + 1.5)


def sign_in(client, email, password, ip="203.0.113.7"):
    return client.post(url("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_lock_the_account_even_against_the_right_password(client):
    UserFactory(email="ana@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "ana@example.org", "wrong password").status_code == 200
    # The failure that reaches the limit is answered with the lockout already.
    assert sign_in(client, "ana@example.org", "wrong password").status_code == 429
    response = sign_in(client, "Ana@Example.org", PASSWORD)  # the case does not open another counter
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= settings.AXES_COOLOFF_TIME * 3600
    assert "Sign-in paused" in response.content.decode()
    assert "Try again in 15 minutes." in response.content.decode()
    assert not signed_in(client)


def test_the_lockout_also_holds_from_another_address(client):
    UserFactory(email="ana@example.org")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ana@example.org", "wrong password", ip=f"198.51.100.{n + 1}")
    assert sign_in(client, "ana@example.org", PASSWORD, ip="192.0.2.200").status_code == 429
    assert not signed_in(client)


def test_failures_from_one_address_lock_that_address_for_every_account(client):
    UserFactory(email="victim@example.org")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{n}@example.org", "wrong password", ip="203.0.113.66")
    assert sign_in(client, "victim@example.org", PASSWORD, ip="203.0.113.66").status_code == 429
    assert not signed_in(client)
    # Someone else, elsewhere, is not affected.
    assert sign_in(client, "victim@example.org", PASSWORD, ip="203.0.113.67").status_code == 302
    assert signed_in(client)


def test_a_few_failures_then_success_reset_the_count(client):
    UserFactory(email="ana@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "ana@example.org", "wrong password")
    assert sign_in(client, "ana@example.org", PASSWORD).status_code == 302
    client.post(url("accounts:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "ana@example.org", "wrong password")
    assert sign_in(client, "ana@example.org", PASSWORD).status_code == 302


def test_the_lockout_page_is_translated(client):
    UserFactory(email="ana@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url("accounts:login", lang="fr"), {"username": "ana@example.org", "password": "x"})
    response = client.post(url("accounts:login", lang="fr"), {"username": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 429
    with translation.override("fr"):
        assert translation.gettext("Sign-in paused") in response.content.decode()


def test_an_administrator_lifts_the_lockout_in_the_admin(client):
    UserFactory(email="ana@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ana@example.org", "wrong password")
    assert sign_in(client, "ana@example.org", PASSWORD).status_code == 429
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    assert attempts

    admin = User.objects.create_superuser(email="admin@example.org", password="admin pass phrase 42")
    staff = client.__class__()
    staff.force_login(admin)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "ana@example.org" in staff.get(changelist).content.decode()
    response = staff.post(changelist, {"action": "delete_selected", "_selected_action": attempts, "post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()

    assert sign_in(client, "ana@example.org", PASSWORD).status_code == 302
    assert signed_in(client)


def test_password_reset_mails_are_limited_per_address_and_per_client(client, sent):
    UserFactory(email="ana@example.org")
    reset = url("accounts:password_reset")
    with sent():
        for _ in range(5):
            assert client.post(reset, {"email": "ana@example.org"}, REMOTE_ADDR="203.0.113.1").status_code == 302
    assert len(mail.outbox) == 5
    with sent():
        # From another address, for the same account: the per-account count is used up.
        response = client.post(reset, {"email": "ANA@example.org"}, REMOTE_ADDR="203.0.113.2")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many requests" in response.content.decode()
    assert len(mail.outbox) == 5
    # The same client, asking for other accounts: its own count is used up too.
    assert client.post(reset, {"email": "bo@example.org"}, REMOTE_ADDR="203.0.113.1").status_code == 429
    # The form itself (GET) is never refused.
    assert client.get(reset, REMOTE_ADDR="203.0.113.1").status_code == 200


def test_sign_up_is_limited_per_client(client, sent):
    data = {"full_name": "Ana", "password1": "a long and unusual pass phrase 7",
            "password2": "a long and unusual pass phrase 7", "preferred_language": "en"}
    with sent():
        for n in range(10):
            response = client.post(url("accounts:signup"), {**data, "email": f"a{n}@example.org"},
                                   REMOTE_ADDR="203.0.113.9")
            assert response.status_code == 302
            client.logout()
        response = client.post(url("accounts:signup"), {**data, "email": "a99@example.org"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert "Retry-After" in response
    assert not User.objects.filter(email="a99@example.org").exists()
