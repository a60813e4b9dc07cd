"""The interface in the six UN languages: URL prefixes, Accept-Language, the switcher, the catalogues."""

import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

sys.path.insert(0, str(Path(settings.BASE_DIR) / "scripts"))
import translations as tr  # noqa: E402 - scripts/ is not a package


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "skip_text", "direction"), [
    ("ar", "الانتقال إلى المحتوى الرئيسي", "rtl"),
    ("en", "Skip to main content", "ltr"),
    ("es", "Ir al contenido principal", "ltr"),
    ("fr", "Aller au contenu principal", "ltr"),
    ("ru", "Перейти к основному содержанию", "ltr"),
    ("zh-hans", "跳至主要内容", "ltr"),
])
def test_home_page_speaks_each_language_with_its_direction(client, lang, skip_text, direction):
    response = client.get(f"/{lang}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert skip_text in html


def test_plural_forms_follow_each_language():
    """Arabic has six plural forms and Russian three: the compiled catalogues pick the right one."""
    singular, plural = "%(counter)s country or area", "%(counter)s countries and areas"
    with translation.override("ru"):
        forms = [ngettext(singular, plural, n) % {"counter": n} for n in (1, 3, 5, 21)]
    assert forms == ["1 страна или район", "3 страны и района", "5 стран и районов", "21 страна или район"]
    with translation.override("ar"):
        assert ngettext(singular, plural, 1) == "بلد واحد أو منطقة واحدة"
        assert ngettext(singular, plural, 249) % {"counter": 249} == "249 من البلدان والمناطق"


def test_root_redirects_by_accept_language(client):
    response = client.get("/", headers={"accept-language": "fr-CH, fr;q=0.9, en;q=0.5"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/"
    response = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert response["Location"] == "/zh-hans/"


def test_language_cookie_wins_over_accept_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get("/", headers={"accept-language": "es"})
    assert response["Location"] == "/ru/"


@pytest.mark.django_db
def test_language_switcher_links_the_same_page_in_every_language(client):
    response = client.get(reverse("taxonomy:countries") + "?q=ken")
    html = response.content.decode()
    for code, _name in settings.LANGUAGES:
        assert f'href="/{code}/countries/?q=ken"' in html


class TestTranslationTools:
    def test_placeholders_must_match_the_english_text(self):
        assert tr.validate("SDG %(n)s", None, "fr", "ODD %(n)s") is None
        assert "differ" in tr.validate("SDG %(n)s", None, "fr", "ODD %(num)s")
        assert "differ" in tr.validate("SDG %(n)s", None, "fr", "ODD")

    def test_plural_messages_need_one_form_per_plural_category(self):
        msgid, plural = "%(counter)s link", "%(counter)s links"
        assert "6 forms" in tr.validate(msgid, plural, "ar", ["a", "b"])
        assert tr.validate(msgid, plural, "ru", ["%(counter)s связь", "%(counter)s связи", "%(counter)s связей"]) is None
        # The general (last) form must carry the number; a form for exactly one value may omit it.
        assert "lacks" in tr.validate(msgid, plural, "ru", ["%(counter)s связь", "%(counter)s связи", "связей"])

    def test_plural_rules_in_the_catalogue_headers(self):
        pytest.importorskip("polib", reason="polib (dev extra) reads the catalogues")
        for locale in tr.TRANSLATED_LOCALES:
            header = tr.load(locale).metadata["Plural-Forms"].replace(" ", "")
            assert f"nplurals={tr.nplurals(locale)}" in header
        assert tr.nplurals("ar") == 6 and tr.nplurals("ru") == 3 and tr.nplurals("zh_Hans") == 1


@pytest.mark.django_db
def test_missing_page_answers_404_in_the_page_language_with_the_site_layout(client):
    response = client.get("/fr/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in html and "Aller au contenu principal" in html


def test_server_error_page_stands_alone(client):
    """500.html is rendered without context: it must not extend base.html (no request, maybe no database)."""
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "<h1>" in html and "{%" not in html
