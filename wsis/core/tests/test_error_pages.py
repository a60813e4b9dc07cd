"""The project's own 404 and 500 pages, in every language, with DEBUG off and on (issue 16)."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

pytestmark = pytest.mark.django_db

TITLES = {"en": "Page not found"}


def _boom(request):
    raise RuntimeError("boom")


def _ok(request):
    return HttpResponse("ok")


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_unknown_address_gets_our_404_page_in_its_language(client, debug, language):
    with override_settings(DEBUG=debug):
        response = client.get(f"/{language}/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "DEBUG = True" not in html and "Using the URLconf" not in html
    assert f'lang="{language}"' in html and 'href="/' + language + '/"' in html  # our layout, in that language
    if language == "ar":
        assert 'dir="rtl"' in html


@pytest.mark.parametrize("debug", [False, True])
def test_a_missing_object_gets_our_404_page(client, debug):
    with override_settings(DEBUG=debug):
        response = client.get("/fr/reports/documents/999999/")
    assert response.status_code == 404 and "DEBUG = True" not in response.content.decode()
    assert 'lang="fr"' in response.content.decode()


def test_debug_error_pages_brings_back_djangos_technical_page(client):
    with override_settings(DEBUG=True, DEBUG_ERROR_PAGES=True):
        response = client.get("/en/no-such-page/")
    assert response.status_code == 404 and "DEBUG = True" in response.content.decode()


@pytest.mark.urls("wsis.core.tests.test_error_pages")
@pytest.mark.parametrize("debug", [False, True])
def test_an_exception_gets_our_500_page_in_six_languages(client, debug, caplog):
    client.raise_request_exception = False
    with override_settings(DEBUG=debug):
        response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500 and "Something went wrong on our side" in html
    assert 'lang="ar"' in html and 'lang="zh-Hans"' in html and "RuntimeError" not in html
    assert any("boom" in str(r.exc_info) for r in caplog.records if r.exc_info)


urlpatterns = [path("boom/", _boom), path("ok/", _ok)]
