"""Sign-up, e-mail verification, sign-in and sign-out through the pages, as a person would do it."""

import time

import pytest
from django.core import mail, signing
from django.utils import translation
from django.utils.translation import gettext

from wsis.accounts import services
from wsis.accounts.models import User
from wsis.core.models import AuditLog

from .factories import UserFactory
from .helpers import PASSWORD, link_in, path_of, url

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual pass phrase 7"


def sign_up(client, sent, email="ana@example.org", language="en", **extra):
    with sent():
        return client.post(url("accounts:signup"), {
            "email": email, "full_name": "Ana Example", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
            "preferred_language": language, **extra,
        })


def sign_in(client, email="ana@example.org", password=NEW_PASSWORD, **extra):
    return client.post(url("accounts:login"), {"username": email, "password": password, **extra})


def test_sign_up_sends_a_verification_mail_and_the_link_activates_sign_in(client, sent):
    response = sign_up(client, sent, email="Ana@Example.org")
    assert response.status_code == 302
    assert response["Location"] == url("accounts:signup-done")
    user = User.objects.get(email="ana@example.org")
    assert not user.email_verified
    assert user.check_password(NEW_PASSWORD)
    assert AuditLog.objects.filter(action="accounts.user.sign_up", target_id=str(user.pk)).exists()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.org"]
    assert message.subject == "Verify your e-mail address"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'dir="ltr"' in html
    link = link_in(message)
    assert link in html

    # Before verification, sign-in is refused with a message and a way to get a new link.
    response = sign_in(client)
    assert response.status_code == 200
    assert "not verified yet" in response.content.decode()
    assert url("accounts:resend-verification") in response.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.get(path_of(link))
    assert response.status_code == 302
    assert response["Location"].startswith(url("accounts:login"))
    user.refresh_from_db()
    assert user.email_verified

    response = sign_in(client)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(url("accounts:account")).status_code == 200


def test_sign_up_page_explains_itself_and_keeps_input_on_error(client, sent):
    assert client.get(url("accounts:signup")).status_code == 200
    with sent():
        response = client.post(url("accounts:signup"), {
            "email": "bo@example.org", "full_name": "Bo", "password1": NEW_PASSWORD, "password2": "other",
            "preferred_language": "en",
        })
    assert response.status_code == 200
    html = response.content.decode()
    assert "The two passwords differ." in html
    assert 'aria-describedby="id_password2_helptext id_password2_error"' in html
    assert 'value="bo@example.org"' in html
    assert not User.objects.filter(email="bo@example.org").exists()
    assert mail.outbox == []


def test_sign_up_with_a_taken_address_answers_as_for_a_new_one_and_writes_to_the_owner(client, sent):
    """Finding 8 (issue 13): the form said "an account with this e-mail already exists", telling anyone
    who has an account. Now the visitor sees the page of a successful sign-up; the owner gets a mail."""
    UserFactory(email="taken@example.org", full_name="Tao Owner", preferred_language="fr")
    response = sign_up(client, sent, email="TAKEN@example.org")
    assert response.status_code == 302
    assert response["Location"] == url("accounts:signup-done")
    assert "already exists" not in client.get(response["Location"]).content.decode()
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    assert [m.to for m in mail.outbox] == [["taken@example.org"]]
    owner_mail = mail.outbox[0]
    with translation.override("fr"):
        assert owner_mail.subject == gettext("Someone tried to sign up with your e-mail address")
    assert "/fr/accounts/password/reset/" in owner_mail.body
    assert "/fr/accounts/sign-in/" in owner_mail.body
    assert AuditLog.objects.filter(action="accounts.user.sign_up_existing").count() == 1

    # A second try within the hour is answered the same, without another mail to the owner.
    mail.outbox.clear()
    assert sign_up(client, sent, email="taken@example.org").status_code == 302
    assert mail.outbox == []


def test_sign_up_of_a_new_and_a_taken_address_look_the_same(client, sent):
    UserFactory(email="taken@example.org")
    new = client.get(sign_up(client, sent, email="new@example.org")["Location"]).content.decode()
    taken = client.get(sign_up(client, sent, email="taken@example.org")["Location"]).content.decode()
    # Up to the form's CSRF token (which differs per session), the two pages are the same text.
    before_token = [new.split('name="csrfmiddlewaretoken"')[0].replace("new@example.org", "@"),
                    taken.split('name="csrfmiddlewaretoken"')[0].replace("taken@example.org", "@")]
    assert before_token[0] == before_token[1]


def test_weak_password_is_refused(client, sent):
    with sent():
        response = client.post(url("accounts:signup"), {
            "email": "w@example.org", "full_name": "W", "password1": "password", "password2": "password",
            "preferred_language": "en"})
    assert response.status_code == 200
    assert "too common" in response.content.decode()


def test_verification_mail_is_written_in_the_chosen_language(client, sent):
    sign_up(client, sent, language="ar")
    message = mail.outbox[0]
    with translation.override("ar"):
        assert message.subject == gettext("Verify your e-mail address") != "Verify your e-mail address"
    assert "/ar/accounts/verify/" in link_in(message)
    assert 'dir="rtl"' in message.alternatives[0][0]


def test_expired_verification_link_is_refused(client, sent, settings):
    sign_up(client, sent)
    link = path_of(link_in(mail.outbox[0]))
    settings.ACCOUNTS_VERIFICATION_MAX_AGE = 0
    time.sleep(1.1)
    response = client.get(link)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not User.objects.get(email="ana@example.org").email_verified


def test_forged_or_tampered_verification_link_is_refused(client, sent):
    sign_up(client, sent)
    user = User.objects.get(email="ana@example.org")
    forged = signing.dumps({"u": user.pk, "e": user.email}, salt="another-salt")
    response = client.get(url("accounts:verify-email", forged))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    genuine = services.email_verification_token(user)
    response = client.get(url("accounts:verify-email", genuine[:-2] + "xx"))
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


def test_link_for_an_old_address_does_not_verify_a_new_one(client, sent):
    sign_up(client, sent)
    user = User.objects.get(email="ana@example.org")
    token = services.email_verification_token(user)
    User.objects.filter(pk=user.pk).update(email="changed@example.org")
    assert client.get(url("accounts:verify-email", token)).status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


def test_resend_sends_a_new_link_only_to_unverified_accounts_and_answers_the_same(client, sent):
    sign_up(client, sent)
    UserFactory(email="verified@example.org")
    mail.outbox.clear()
    for email in ("ana@example.org", "verified@example.org", "nobody@example.org"):
        with sent():
            response = client.post(url("accounts:resend-verification"), {"email": email})
        assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    assert client.get(path_of(link_in(mail.outbox[0]))).status_code == 302
    assert User.objects.get(email="ana@example.org").email_verified


def test_verification_link_keeps_the_next_page(client, sent):
    sign_up(client, sent, next="/en/organisations/")
    link = path_of(link_in(mail.outbox[0]))
    response = client.get(link)
    assert "next=%2Fen%2Forganisations%2F" in response["Location"]


def test_sign_up_ignores_a_next_page_on_another_site(client, sent):
    sign_up(client, sent, next="https://evil.example.com/")
    assert "evil" not in link_in(mail.outbox[0])


def test_wrong_password_is_refused_without_saying_which_part_is_wrong(client):
    UserFactory(email="x@example.org")
    response = sign_in(client, email="x@example.org", password="nope")
    assert response.status_code == 200
    assert "The e-mail address or the password is not correct." in response.content.decode()


def test_sign_in_redirects_to_next_and_sets_the_preferred_language(client):
    UserFactory(email="fr@example.org", preferred_language="fr")
    response = sign_in(client, email="fr@example.org", password=PASSWORD)
    assert response["Location"] == "/fr/"
    assert response.cookies["wsis_language"].value == "fr"
    client.post(url("accounts:logout"))
    response = sign_in(client, email="fr@example.org", password=PASSWORD, next="/en/organisations/")
    assert response["Location"] == "/en/organisations/"


def test_sign_out_needs_a_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(url("accounts:logout")).status_code == 405
    response = client.post(url("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_anonymous_visitor_is_sent_to_sign_in_from_my_account(client):
    response = client.get(url("accounts:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("accounts:login"))


def test_sign_in_ignores_the_case_of_the_address(client):
    user = UserFactory(email="case@example.org")
    response = sign_in(client, email="Case@EXAMPLE.org", password=PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_resend_sends_at_most_one_mail_a_minute_per_address(client, sent):
    sign_up(client, sent)
    mail.outbox.clear()
    for _ in range(3):
        with sent():
            client.post(url("accounts:resend-verification"), {"email": "ana@example.org"})
    assert len(mail.outbox) == 1
