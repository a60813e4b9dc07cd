"""Production settings refuse to start without SITE_URL and a shared cache; links follow SITE_URL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from wsis.core.mail import absolute_url, site_url, site_url_default

ROOT = Path(__file__).resolve().parents[3]
BASE_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "wsis.example.org",
    "SITE_URL": "https://wsis.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
    "PATH": os.environ.get("PATH", ""),
}


def _load(env: dict) -> subprocess.CompletedProcess:
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.SITE_URL, settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND'])")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_production_settings_load_with_site_url_and_cache():
    result = _load(BASE_ENV)
    assert result.returncode == 0, result.stderr
    assert "https://wsis.example.org django.contrib.sessions.backends.cached_db" in result.stdout
    assert "redis" in result.stdout.lower()


@pytest.mark.parametrize("missing, message", [("SITE_URL", "SITE_URL must be set"),
                                              ("CACHE_URL", "CACHE_URL must")])
def test_production_settings_refuse_a_missing_setting(missing, message):
    env = {k: v for k, v in BASE_ENV.items() if k != missing}
    result = _load(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_links_use_site_url_not_the_request_host(settings, rf):
    settings.SITE_URL = "https://wsis.example.org"
    request = rf.get("/", HTTP_HOST="evil.example.com")
    assert site_url(request) == "https://wsis.example.org"
    assert site_url_default() == "https://wsis.example.org"
    assert absolute_url("", "core:home", language="fr").startswith("https://wsis.example.org/fr/")


def test_without_site_url_pages_use_the_request_host(settings, rf):
    settings.SITE_URL = ""
    assert site_url(rf.get("/", HTTP_HOST="testserver")) == "http://testserver"
    assert site_url_default() == "http://127.0.0.1:8000"


@pytest.mark.django_db
def test_sign_up_mail_links_to_site_url_whatever_the_host_header(client, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://wsis.example.org"
    password = "a long and unusual pass phrase 7"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/sign-up/", {
            "email": "ana@example.org", "full_name": "Ana Example", "password1": password,
            "password2": password, "preferred_language": "en"}, HTTP_HOST="localhost")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "https://wsis.example.org/en/" in body
    assert "localhost" not in body
