"""The shared cache of public figures (wsis/core/cache.py): generation keys, stampede protection,
the events that move the generation on, and the anonymous page cache with its validators."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from wsis.analytics.selectors import coverage_matrix
from wsis.core import cache as shared
from wsis.core.events import ORGANISATION_CHANGED, emit
from wsis.stocktaking import services
from wsis.stocktaking.filters import InitiativeFilters
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.selectors import initiative_latest
from wsis.stocktaking.tests.factories import make_initiative, member, moderator

ON = override_settings(DATA_CACHE_SECONDS=3600)


def test_the_key_changes_when_the_generation_bumps():
    before = shared.generation_key("analytics:cells", "abc")
    assert shared.generation_key("analytics:cells", "abc") == before
    shared.data_generation_bump()
    after = shared.generation_key("analytics:cells", "abc")
    assert after != before
    assert shared.generation_key("analytics:cells", "abd") != after


def test_keys_are_safe_for_every_backend():
    import re

    key = shared.generation_key("stocktaking:latest", 5, [("countries", 80)])
    assert re.fullmatch(r"[\w:.\-]+", key) and key.startswith("core:g")
    assert key != shared.generation_key("stocktaking:latest", 5, [("countries", 81)])


@ON
def test_cached_builds_once_per_generation():
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    assert shared.cached("t", build, 1) == 1
    assert shared.cached("t", build, 1) == 1
    assert shared.cached("t", build, 2) == 2  # other parts, other key
    shared.data_generation_bump()
    assert shared.cached("t", build, 1) == 3
    assert len(calls) == 3


@ON
def test_a_concurrent_miss_serves_the_stale_copy_instead_of_rebuilding():
    assert shared.cached("t", lambda: "old", "x") == "old"
    shared.data_generation_bump()
    # Another worker holds the rebuild lock for the new generation.
    cache.add(shared.generation_key("t", "x") + ":lock", 1, 30)
    assert shared.cached("t", lambda: pytest.fail("must not rebuild while another process does"), "x") == "old"


@ON
def test_a_concurrent_miss_without_a_stale_copy_waits_then_builds():
    cache.add(shared.generation_key("t", "y") + ":lock", 1, 30)
    assert shared.cached("t", lambda: "built", "y", wait=0.1) == "built"


def test_off_in_the_test_settings_builds_every_time():
    calls = []
    shared.cached("t", lambda: calls.append(1), "z")
    shared.cached("t", lambda: calls.append(1), "z")
    assert len(calls) == 2


@pytest.mark.django_db
def test_rare_events_bump_after_the_commit(django_capture_on_commit_callbacks):
    before = shared.data_generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        emit(ORGANISATION_CHANGED, organisation_ids=[], fields=["name"])
    assert shared.data_generation() == before  # not before the commit
    for callback in callbacks:
        callback()
    assert shared.data_generation() > before


@ON
@pytest.mark.django_db
def test_publishing_refreshes_the_cached_matrix_but_editing_a_draft_does_not(django_capture_on_commit_callbacks):
    f = InitiativeFilters()
    assert coverage_matrix(f).total == 0
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_initiative(state=Initiative.State.SUBMITTED)
    generation = shared.data_generation()
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_approve(user=moderator(), initiative=draft)
    assert shared.data_generation() > generation
    assert coverage_matrix(f).total == 1
    assert initiative_latest(limit=6)[1] == 1

    generation = shared.data_generation()
    user = member()
    with django_capture_on_commit_callbacks(execute=True):
        make_initiative(user=user)  # a draft: nothing public changed
    assert shared.data_generation() == generation
    assert coverage_matrix(f).total == 1


@pytest.mark.django_db
@override_settings(PUBLIC_PAGE_CACHE_SECONDS=60)
def test_anonymous_pages_are_cached_with_validators(client):
    first = client.get("/en/")
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert "Cookie" in first["Vary"] and "HX-Request" in first["Vary"]
    # The first answer also set the language cookie, so no shared cache may keep it.
    assert set(first["Cache-Control"].split(", ")) == {"max-age=0", "must-revalidate", "private"}
    etag, modified = first["ETag"], first["Last-Modified"]
    second = client.get("/en/")
    assert second["X-Page-Cache"] == "hit"
    assert second["Cache-Control"] == "max-age=0, must-revalidate"
    assert second.content == first.content and second["ETag"] == etag
    assert client.get("/en/", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/en/", headers={"If-Modified-Since": modified}).status_code == 304
    # A fragment requested by htmx is another page.
    assert client.get("/en/", headers={"HX-Request": "true"})["X-Page-Cache"] == "miss"
    # After a bump the page is rebuilt.
    shared.data_generation_bump()
    assert client.get("/en/")["X-Page-Cache"] == "miss"


@pytest.mark.django_db
@override_settings(PUBLIC_PAGE_CACHE_SECONDS=60)
def test_signed_in_users_never_get_the_anonymous_copy(client):
    assert client.get("/en/")["X-Page-Cache"] == "miss"
    client.force_login(member())
    response = client.get("/en/")
    assert "X-Page-Cache" not in response
    assert "Sign out" in response.content.decode()
    assert client.get("/en/", headers={"If-None-Match": '"anything"'}).status_code == 200


@pytest.mark.django_db
@override_settings(PUBLIC_PAGE_CACHE_SECONDS=60)
def test_only_marked_pages_are_cached(client):
    response = client.get("/en/initiatives/mine/")
    assert "X-Page-Cache" not in response
    assert client.get("/en/initiatives/")["X-Page-Cache"] == "miss"
    assert client.get("/en/feeds/initiatives.atom")["X-Page-Cache"] == "miss"
    assert client.get("/en/feeds/initiatives.atom")["X-Page-Cache"] == "hit"


def test_production_requires_redis(monkeypatch):
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "wsis.example.org")
    monkeypatch.setenv("SITE_URL", "https://wsis.example.org")  # also required in production (issue 19)
    monkeypatch.delenv("CACHE_URL", raising=False)
    sys.modules.pop("config.settings.production", None)
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        importlib.import_module("config.settings.production")
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/3")
    sys.modules.pop("config.settings.production", None)
    settings = importlib.import_module("config.settings.production")
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    sys.modules.pop("config.settings.production", None)


def test_an_evicted_generation_restarts_past_its_old_values():
    """One mechanism for every generation counter (data, search, organisation names): after an eviction
    the counter must not fall back to a small number whose keys may still be cached."""
    key = "test:generation"
    cache.delete(key)
    assert shared.generation(key) == 1
    assert shared.generation_bump(key) == 2
    cache.delete(key)  # evicted
    assert shared.generation_bump(key) > 1_000_000_000
    assert services.search_generation() == shared.generation(services.SEARCH_GENERATION_KEY)
