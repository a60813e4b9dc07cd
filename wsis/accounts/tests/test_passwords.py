"""Password reset by e-mail and password change."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from wsis.accounts.models import User

from .factories import UserFactory
from .helpers import PASSWORD, link_in, path_of, url

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another long pass phrase 42"


def test_password_reset_mails_a_link_that_sets_a_new_password(client, sent):
    user = UserFactory(email="reset@example.org", preferred_language="es")
    with sent():
        response = client.post(url("accounts:password_reset"), {"email": "reset@example.org"})
    assert response.status_code == 302
    assert response["Location"] == url("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reset@example.org"]
    link = link_in(message)
    # Written in the account holder's language, whatever the language of the page that asked.
    with translation.override("es"):
        assert message.subject == gettext("Choose a new password")
    assert "/es/accounts/password/reset/" in link
    assert message.alternatives and link in message.alternatives[0][0]

    response = client.get(path_of(link), follow=True)
    assert response.status_code == 200
    assert b'name="new_password1"' in response.content
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, sent):
    with sent():
        response = client.post(url("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_verifies_the_address_it_was_sent_to(client, sent):
    user = UserFactory(email="late@example.org", email_verified=False)
    with sent():
        client.post(url("accounts:password_reset"), {"email": "late@example.org"})
    response = client.get(path_of(link_in(mail.outbox[0])), follow=True)
    client.post(response.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.email_verified


def test_used_reset_link_is_refused(client, sent):
    UserFactory(email="once@example.org")
    with sent():
        client.post(url("accounts:password_reset"), {"email": "once@example.org"})
    link = path_of(link_in(mail.outbox[0]))
    response = client.get(link, follow=True)
    client.post(response.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.get(link, follow=True)
    assert b"This link is not valid" in response.content


def test_password_change_needs_the_old_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(url("accounts:password_change"), {
        "old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 200
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
    response = client.post(url("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
