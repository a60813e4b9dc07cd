"""The one mail helper: the recipient's language, one template layout, sent only when the transaction commits."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from wsis.core.mail import absolute_url, mail_send

pytestmark = pytest.mark.django_db

CONTEXT = {"link": "https://example.org/verify", "valid_days": 3}
_n = itertools.count()


def UserFactory(**fields):  # noqa: N802 - core names no app, not even its factories
    return get_user_model().objects.create_user(email=f"mail{next(_n)}@example.org", password=None, **fields)


def _subject(language: str) -> str:
    with translation.override(language):
        return gettext("Verify your e-mail address")


def test_written_in_the_users_language_whatever_the_active_one(django_capture_on_commit_callbacks):
    user = UserFactory(preferred_language="es")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        mail_send(user=user, template="accounts/verify_email", context=CONTEXT)
    assert translation.get_language() != "es"
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == _subject("es") != _subject("en")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'lang="es"' in html and CONTEXT["link"] in html


def test_a_given_language_wins_over_the_users(django_capture_on_commit_callbacks):
    user = UserFactory(preferred_language="es")
    with django_capture_on_commit_callbacks(execute=True):
        mail_send(user=user, template="accounts/verify_email", context=CONTEXT, language="ar")
    [message] = mail.outbox
    assert message.subject == _subject("ar") != _subject("es")
    assert 'dir="rtl"' in message.alternatives[0][0]


def test_an_address_without_a_user_gets_the_site_language(django_capture_on_commit_callbacks, settings):
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        mail_send(to="someone@example.org", template="accounts/verify_email", context=CONTEXT)
    assert mail.outbox[0].subject == _subject(settings.LANGUAGE_CODE)


def test_sent_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = mail_send(user=user, template="accounts/verify_email", context=CONTEXT)
        assert mail.outbox == []  # rendered, not sent
    assert len(callbacks) == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [(message.to, message.subject)]


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    user = UserFactory()
    with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError),
          transaction.atomic()):
        mail_send(user=user, template="accounts/verify_email", context=CONTEXT)
        raise RuntimeError("the change is rolled back")
    assert callbacks == []
    assert mail.outbox == []


def test_a_text_only_mail_has_no_html_and_a_one_line_subject(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail_send(to=["a@example.org", "b@example.org"], template="reviews/submitted", language="en", context={
            "cycle": "Cycle 2026", "country": "Kenya", "response": None})
    [message] = mail.outbox
    assert message.to == ["a@example.org", "b@example.org"]
    assert message.alternatives == [] and "\n" not in message.subject and message.body


def test_a_template_error_fails_at_once_not_after_the_commit():
    with pytest.raises(Exception, match="no-such"):
        mail_send(to="x@example.org", template="accounts/no-such", context={})


def test_needs_an_address():
    with pytest.raises(ValueError):
        mail_send(template="accounts/verify_email", context=CONTEXT)


def test_absolute_url_carries_the_language_prefix():
    assert absolute_url("https://wsis.example/", "core:home", language="ar") == "https://wsis.example/ar/"
