"""Dates and numbers in each language's format; text in another language marked as such."""

import datetime

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.utils import formats, translation


@pytest.mark.parametrize(("lang", "date", "number"), [
    ("ar", "7 مارس 2025", "1,234,567"),
    ("en", "7 March 2025", "1,234,567"),  # UN style (issue 21)
    ("es", "7 de marzo de 2025", "1\xa0234\xa0567"),
    ("fr", "7 mars 2025", "1\u202f234\u202f567"),
    ("ru", "7 марта 2025 г.", "1\xa0234\xa0567"),
    ("zh-hans", "2025年3月7日", "1,234,567"),
])
def test_dates_and_counts_follow_the_language(lang, date, number):
    with translation.override(lang):
        assert formats.date_format(datetime.date(2025, 3, 7), "DATE_FORMAT") == date
        # Separators differ by Django version (no-break or narrow no-break space): compare the digits' grouping.
        assert intcomma(1234567).replace("\u202f", " ").replace("\xa0", " ") == \
            number.replace("\u202f", " ").replace("\xa0", " ")


def test_years_and_ids_are_never_grouped():
    """USE_THOUSAND_SEPARATOR stays off: {{ year }} must print 2025, not 2,025, in every language."""
    for lang in ("en", "fr", "ar"):
        with translation.override(lang):
            assert Template("{{ year }}").render(Context({"year": 2025})) == "2025"


@pytest.mark.parametrize(("page_lang", "text_lang", "expected"), [
    ("ar", "en", ' lang="en" dir="ltr"'),
    ("en", "ar", ' lang="ar" dir="rtl"'),
    ("fr", "en", ' lang="en"'),
    ("fr", "fr", ""),
    ("en", "", ""),
])
def test_content_lang_marks_text_in_another_language(page_lang, text_lang, expected):
    with translation.override(page_lang):
        html = Template("{% load wsis_tags %}<p{% content_lang code %}>").render(Context({"code": text_lang}))
    assert html == f"<p{expected}>"


@pytest.mark.django_db
def test_a_rationale_shows_in_arabic_or_is_marked_english_on_an_arabic_page(client):
    from wsis.taxonomy.models import MatrixLink

    fallback = '<span lang="en" dir="ltr">'
    translated = html = client.get("/ar/action-lines/c1/").content.decode()
    assert 'dir="rtl"' in html
    cleared = MatrixLink.objects.filter(action_line__code="C1").exclude(rationale="").exclude(rationale_ar="")
    untranslated = cleared.update(rationale_ar="")  # rationales nobody has translated yet
    assert untranslated
    html = client.get("/ar/action-lines/c1/").content.decode()
    assert html.count(fallback) >= translated.count(fallback) + 1
    assert html.count("fact-mark-fallback") >= translated.count("fact-mark-fallback") + 1


@pytest.mark.django_db
def test_switching_language_remembers_it_for_the_bare_address(client):
    from django.conf import settings

    response = client.get("/ar/matrix/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"] == 365 * 24 * 3600
    response = client.get("/", headers={"accept-language": "en"})
    assert response["Location"] == "/ar/"
    # Only the language of pages read: an HTMX fragment does not change it.
    response = client.get("/fr/countries/", headers={"hx-request": "true"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
