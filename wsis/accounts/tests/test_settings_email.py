"""Local settings write e-mail to files a person can open; EMAIL_URL still chooses SMTP or another folder."""

import importlib
import sys

import pytest

from config.settings import base


def load_local(monkeypatch, email_url=None):
    if email_url is None:
        monkeypatch.delenv("EMAIL_URL", raising=False)
    else:
        monkeypatch.setenv("EMAIL_URL", email_url)
    sys.modules.pop("config.settings.local", None)
    try:
        return importlib.import_module("config.settings.local")
    finally:
        sys.modules.pop("config.settings.local", None)


def test_local_default_is_the_file_backend_in_var_mail(monkeypatch):
    local = load_local(monkeypatch)
    assert local.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend"
    assert str(base.BASE_DIR / "var" / "mail") == local.EMAIL_FILE_PATH


def test_local_file_backend_takes_an_absolute_folder(monkeypatch, tmp_path):
    local = load_local(monkeypatch, f"filemail:///{tmp_path}")
    assert str(tmp_path) == local.EMAIL_FILE_PATH


def test_local_smtp_by_email_url(monkeypatch):
    local = load_local(monkeypatch, "smtp+tls://user:secret@smtp.example.org:587")
    assert local.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert (local.EMAIL_HOST, local.EMAIL_PORT, local.EMAIL_USE_TLS) == ("smtp.example.org", 587, True)


@pytest.mark.django_db
def test_file_backend_writes_a_readable_verification_mail(client, settings, tmp_path, django_capture_on_commit_callbacks):
    from django.urls import reverse
    from django.utils import translation

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    with translation.override("en"):
        signup = reverse("accounts:signup")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(signup, {"email": "file@example.org", "full_name": "F", "password1": "long enough phrase 5",
                             "password2": "long enough phrase 5", "preferred_language": "en"})
    files = list(tmp_path.iterdir())
    assert len(files) == 1
    assert "/en/accounts/verify/" in files[0].read_text()
