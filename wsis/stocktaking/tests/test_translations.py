"""Translations of an initiative's title and summary (issue 21): service, display, search, filter, pages, API, feed.

Runs on whichever database the suite runs on; on PostgreSQL the search goes through the stored vector
and the ``lang:`` facet tokens that the translation services refresh (INITIATIVE_CHANGED).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation as i18n

from wsis.analytics import selectors as analytics
from wsis.core.concurrency import ConflictError
from wsis.core.models import AuditLog
from wsis.core.tests.formdata import form_data
from wsis.stocktaking import services
from wsis.stocktaking.filters import InitiativeFilters, parse_filters
from wsis.stocktaking.languages import ORIGINAL_IN, TRANSLATION_FROM, initiative_text
from wsis.stocktaking.models import Initiative, InitiativeTranslation
from wsis.stocktaking.search import initiative_facets, initiative_search
from wsis.stocktaking.tests.factories import make_initiative, member, moderator

pytestmark = pytest.mark.django_db

FR_TITLE = "Compétences numériques pour la jeunesse rurale"
FR_SUMMARY = "Forme les jeunes des campagnes kényanes aux compétences numériques dans des télécentres."


def _add(initiative, user=None, *, language="fr", title=FR_TITLE, summary=FR_SUMMARY):
    return services.initiative_translation_create(user=user or initiative.created_by, initiative=initiative,
                                                  language=language, title=title, summary=summary)


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_initiative(state="published")


# --- the service -----------------------------------------------------------------------------------

def test_a_member_adds_a_translation_with_an_audit_row(published):
    t = _add(published)
    assert (t.language, t.title, t.summary, t.lock_version) == ("fr", FR_TITLE, FR_SUMMARY, 1)
    assert t.created_by == published.created_by
    assert AuditLog.objects.filter(action="stocktaking.initiative_translation.create", target_id=str(t.pk)).exists()


@pytest.mark.parametrize(("language", "title", "summary", "fields"), [
    ("en", FR_TITLE, FR_SUMMARY, {"language"}),  # the original's own language
    ("de", FR_TITLE, FR_SUMMARY, {"language"}),  # not a language of the platform
    ("", FR_TITLE, FR_SUMMARY, {"language"}),
    ("fr", "  ", FR_SUMMARY, {"title"}),
    ("fr", FR_TITLE, "", {"summary"}),
    ("en", "", "", {"language", "title", "summary"}),  # every problem at once, each on its field
    ("fr", "x" * 256, FR_SUMMARY, {"title"}),
    ("fr", FR_TITLE, "x" * 1001, {"summary"}),
])
def test_bad_translations_are_refused_by_field_and_write_nothing(published, language, title, summary, fields):
    with pytest.raises(ValidationError) as caught:
        _add(published, language=language, title=title, summary=summary)
    assert set(caught.value.message_dict) == fields
    assert not InitiativeTranslation.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="stocktaking.initiative_translation").exists()


def test_one_translation_per_language(published):
    _add(published)
    with pytest.raises(ValidationError) as caught:
        _add(published, title="Autre titre")
    assert "already a translation into French" in caught.value.message_dict["language"][0]
    assert InitiativeTranslation.objects.get().title == FR_TITLE


def test_only_members_translate_and_not_a_rejected_or_archived_entry(published):
    with pytest.raises(PermissionDenied):
        _add(published, user=member())
    with pytest.raises(PermissionDenied):
        _add(published, user=moderator())  # moderators remove translations; they do not write them
    archived = make_initiative(state="archived")
    with pytest.raises(ValidationError):
        _add(archived)
    assert not InitiativeTranslation.objects.exists()


def test_a_stale_edit_is_refused_and_changes_nothing(published):
    t = _add(published)
    colleague = member(published.organisation)
    services.initiative_translation_update(user=colleague, translation=t, title="Titre corrigé", summary=FR_SUMMARY,
                                           expected_version=1)
    stale = InitiativeTranslation.objects.get(pk=t.pk)
    stale.lock_version = 1
    with pytest.raises(ConflictError):
        services.initiative_translation_update(user=published.created_by, translation=stale, title="Autre",
                                               summary="Autre résumé.", expected_version=1)
    t.refresh_from_db()
    assert (t.title, t.lock_version) == ("Titre corrigé", 2)


def test_a_moderator_or_a_member_removes_a_translation_others_cannot(published):
    t = _add(published)
    with pytest.raises(PermissionDenied):
        services.initiative_translation_delete(user=member(), translation=t)
    with pytest.raises(ConflictError):  # changed since the page showed it
        services.initiative_translation_delete(user=moderator(), translation=t, expected_version=7)
    assert InitiativeTranslation.objects.filter(pk=t.pk).exists()
    services.initiative_translation_delete(user=moderator(), translation=t, expected_version=1)
    assert not InitiativeTranslation.objects.exists()
    assert AuditLog.objects.filter(action="stocktaking.initiative_translation.delete").exists()


# --- what a visitor sees ----------------------------------------------------------------------------

def test_the_visitors_language_when_translated_else_the_original(published):
    _add(published)
    initiative = Initiative.objects.prefetch_related("translations").get(pk=published.pk)
    with i18n.override("fr"):
        shown = initiative_text(initiative)
        assert (shown.title, shown.language, shown.translated) == (FR_TITLE, "fr", True)
        assert shown.badge == str(TRANSLATION_FROM["en"])  # "Translation from English", in French
    with i18n.override("en"):
        shown = initiative_text(initiative)
        assert (shown.title, shown.translated, shown.badge) == (published.title, False, "")
    with i18n.override("ru"):
        shown = initiative_text(initiative)
        assert (shown.title, shown.language, shown.translated) == (published.title, "en", False)
        assert shown.badge == str(ORIGINAL_IN["en"])


def test_detail_page_shows_the_translation_with_its_badge_and_lang(published, client):
    _add(published, language="ar", title="المهارات الرقمية لشباب الريف", summary="تدريب شباب الريف على المهارات الرقمية.")
    html = client.get(f"/ar/initiatives/{published.pk}/").content.decode()
    assert '<h1>المهارات الرقمية لشباب الريف</h1>' in html  # in the page's language: no lang of its own
    assert 'class="badge badge-language"' in html
    assert 'href="/en/initiatives/' in html  # "available in": the original, one click away
    html = client.get(f"/en/initiatives/{published.pk}/").content.decode()
    assert f"<h1>{published.title}</h1>" in html
    assert 'lang="ar" hreflang="ar"' in html
    # Russian has no translation: the English original, marked as such, left to right inside the page.
    html = client.get(f"/ru/initiatives/{published.pk}/").content.decode()
    assert f'<h1 lang="en">{published.title}</h1>' in html
    assert 'class="badge badge-language"' in html
    html = client.get(f"/ar/initiatives/{make_initiative(state='published', title='Solar labs').pk}/").content.decode()
    assert '<h1 lang="en" dir="ltr">Solar labs</h1>' in html


def test_lists_show_the_translation(published, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _add(published)
    assert FR_TITLE in client.get("/fr/initiatives/").content.decode()
    assert FR_TITLE in client.get("/fr/").content.decode()  # the home page's latest initiatives
    assert FR_TITLE not in client.get("/en/initiatives/").content.decode()
    org = published.organisation
    assert FR_TITLE in client.get(f"/fr/organisations/{org.slug}/").content.decode()


# --- search and the language filter ---------------------------------------------------------------

def _titles(**params):
    return set(initiative_search(parse_filters(params).filters, relations=False).values_list("title", flat=True))


def test_a_word_only_in_a_translation_finds_the_initiative(published, django_capture_on_commit_callbacks):
    assert _titles(q="télécentres") == set()
    with django_capture_on_commit_callbacks(execute=True):
        t = _add(published)
    assert _titles(q="télécentres") == {published.title}
    assert _titles(q="jeunesse rurale") == {published.title}
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_translation_update(user=published.created_by, translation=t, title="Titre",
                                               summary="Formation dans des bibliothèques.", expected_version=1)
    assert _titles(q="télécentres") == set()
    assert _titles(q="bibliothèques") == {published.title}
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_translation_delete(user=published.created_by, translation=t)
    assert _titles(q="bibliothèques") == set()


def test_the_language_filter_means_original_or_translation_and_counts_right(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        translated = make_initiative(state="published", title="Rural broadband")  # en, + fr, ar
        french = make_initiative(state="published", title="Haut débit rural", language="fr")  # fr, + es
        english = make_initiative(state="published", title="Coding clubs")  # en only
        make_initiative(title="Draft with a translation")  # not public: counts nowhere
        _add(translated)
        _add(translated, language="ar", title="النطاق العريض الريفي", summary="ربط القرى بالإنترنت.")
        _add(french, language="es", title="Banda ancha rural", summary="Conecta las aldeas.")
        _add(Initiative.objects.get(title="Draft with a translation"))
    assert _titles(language="fr") == {translated.title, french.title}
    assert _titles(language="en") == {translated.title, english.title}
    assert _titles(language="es") == {french.title}
    assert _titles(language=["ar", "es"]) == {translated.title, french.title}
    assert _titles(language="ru") == set()
    total, facets = initiative_facets(InitiativeFilters())
    counts = {o.value: o.count for f in facets if f.name == "language" for o in f.options}
    assert total == 3
    assert counts == {"en": 2, "fr": 2, "ar": 1, "es": 1}
    total, facets = initiative_facets(InitiativeFilters(language=["fr"]))
    counts = {o.value: o.count for f in facets if f.name == "language" for o in f.options}
    assert total == 2
    assert counts == {"en": 1, "fr": 2, "ar": 1, "es": 1}
    # The analytics read the same filter, on the registry and on their coverage rows.
    assert analytics.initiatives_for(InitiativeFilters(language=["fr"])).count() == 2
    assert analytics.coverage_matrix(InitiativeFilters(language=["es"]), with_urls=False).total == 1


def test_the_language_filter_on_the_page_the_api_and_the_feed(published, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _add(published)
        make_initiative(state="published", title="Coding clubs")
    page = client.get("/en/initiatives/?language=fr").content.decode()
    assert 'name="language" value="fr"' in page and published.title in page and "Coding clubs" not in page
    body = client.get("/api/v1/initiatives?language=fr").json()
    assert [i["id"] for i in body["items"]] == [published.pk]
    assert body["items"][0]["translations"] == [{"language": "fr", "title": FR_TITLE, "summary": FR_SUMMARY}]
    bad = client.get("/api/v1/initiatives?language=xx")
    assert bad.status_code == 400 and "language" in bad.json()["errors"]
    feed = client.get("/fr/feeds/initiatives.atom?language=fr").content.decode()
    assert FR_TITLE in feed and "Coding clubs" not in feed
    assert client.get("/en/feeds/initiatives.atom?language=xx").status_code == 400
    assert "Some filters were not applied" in client.get("/en/initiatives/?language=xx").content.decode()


def test_the_api_item_lists_its_translations(published, client):
    _add(published, language="es", title="Habilidades digitales", summary="Formación digital.")
    _add(published)
    body = client.get(f"/api/v1/initiatives/{published.pk}").json()
    assert body["language"] == "en"
    assert [t["language"] for t in body["translations"]] == ["es", "fr"]


# --- the pages ------------------------------------------------------------------------------------

def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_translation_pages_are_for_members_only(published):
    url = f"/en/initiatives/{published.pk}/translations/"
    assert Client().get(url).status_code == 302  # to the login page
    assert _login(member()).get(url).status_code == 403
    assert _login(member()).post(url, {"language": "fr", "title": "x", "summary": "y"}).status_code == 403
    assert not InitiativeTranslation.objects.exists()
    page = _login(published.created_by).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<option value="fr">' in html and '<option value="en">' not in html  # the original's is not offered
    detail = _login(published.created_by).get(f"/en/initiatives/{published.pk}/").content.decode()
    assert f'href="{url}"' in detail


def test_adding_through_the_form_and_errors_by_field(published):
    c = _login(published.created_by)
    url = f"/en/initiatives/{published.pk}/translations/"
    response = c.post(url, {"language": "en", "title": "", "summary": FR_SUMMARY})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_title_error"' in html and 'id="id_language_error"' not in html  # the form's own check first
    response = c.post(url, {"language": "en", "title": FR_TITLE, "summary": FR_SUMMARY})
    assert response.status_code == 400
    assert 'id="id_language_error"' in response.content.decode()
    assert "written in English" in response.content.decode()
    assert not InitiativeTranslation.objects.exists()
    response = c.post(url, {"language": "fr", "title": FR_TITLE, "summary": FR_SUMMARY})
    assert response.status_code == 302
    assert InitiativeTranslation.objects.get().title == FR_TITLE
    response = c.post(url, {"language": "fr", "title": "Encore", "summary": FR_SUMMARY})
    assert response.status_code == 400 and 'id="id_language_error"' in response.content.decode()
    assert InitiativeTranslation.objects.count() == 1


def test_editing_keeps_the_language_and_a_stale_form_gets_the_conflict_page(published):
    _add(published)
    url = f"/en/initiatives/{published.pk}/translations/fr/"
    a, b = _login(published.created_by), _login(member(published.organisation))
    form_a, form_b = form_data(a.get(url).content.decode()), form_data(b.get(url).content.decode())
    assert "language" not in form_a and form_a["lock_version"] == "1"
    assert a.post(url, {**form_a, "title": "Titre révisé"}).status_code == 302
    response = b.post(url, {**form_b, "summary": "Résumé de B."})
    assert response.status_code == 409
    assert 'id="conflict"' in response.content.decode()
    t = InitiativeTranslation.objects.get()
    assert (t.title, t.summary) == ("Titre révisé", FR_SUMMARY)
    assert _login(member()).get(url).status_code == 403
    assert a.get(f"/en/initiatives/{published.pk}/translations/ru/").status_code == 404


def test_moderators_see_translations_and_remove_them(published):
    _add(published)
    mod = _login(moderator())
    html = mod.get(f"/en/moderation/{published.pk}/").content.decode()
    assert 'id="translations"' in html and FR_TITLE in html
    response = mod.post(f"/en/initiatives/{published.pk}/translations/fr/delete/",
                        {"lock_version": "1", "next": "moderation"})
    assert response.status_code == 302 and response["Location"].endswith("#translations")
    assert not InitiativeTranslation.objects.exists()
    _add(published)
    outsider = _login(member())
    assert outsider.post(f"/en/initiatives/{published.pk}/translations/fr/delete/").status_code == 403
    assert InitiativeTranslation.objects.exists()
