"""A shared cache of public figures, keyed by a data generation, with stampede protection.

**The data generation** is one integer in the cache (``core:data-generation``). Everything cached
here is keyed by it, so moving it on makes every cached figure stale at once, on every worker and
every host (the cache is Redis in production: ``config/settings/production.py`` refuses to start
without ``CACHE_URL`` pointing at it; local memory stays the default for SQLite and development,
where one process serves everything). It moves on, after the commit, when the data that public
figures are built from change:

- the derived-data handlers that rebuild public rows bump it when they changed some (the analytics
  coverage rows of published initiatives; the stocktaking search generation, which publication,
  archiving, tag, organisation and country changes move on), so editing a draft on a deadline
  day does not empty the cache;
- every ``ORGANISATION_CHANGED``, ``COUNTRY_GROUPS_CHANGED`` and ``REFERENCE_DATA_RELOADED`` event
  bumps it (``register()``, from ``CoreConfig.ready()``): they are rare and change names and groups
  that figures show.

**Stampede protection** (:func:`cached`): when a key is missing, one process builds it under a
short lock (``cache.add``) while the others serve the previous generation's value if there is one
(bounded staleness: at most one rebuild behind) or wait for the builder for up to ``wait`` seconds,
and build it themselves only after that. So a publication on a busy day costs one rebuild of the
matrix, not one per worker.

**Anonymous pages** (:class:`AnonymousPageCacheMiddleware`): views marked with
:func:`public_page` are served to visitors without a session from a copy cached under the data
generation and the search generation, with an ``ETag`` and ``Last-Modified`` that answer
conditional requests with 304, ``Vary: Cookie, HX-Request`` and ``Cache-Control: max-age=0,
must-revalidate`` (browsers revalidate; a signed-in user never gets the anonymous copy).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from .events import COUNTRY_GROUPS_CHANGED, ORGANISATION_CHANGED, REFERENCE_DATA_RELOADED, subscribe

__all__ = [
    "DATA_GENERATION_KEY",
    "data_generation",
    "data_generation_bump",
    "data_generation_bump_on_commit",
    "generation_key",
    "cached",
    "public_page",
    "AnonymousPageCacheMiddleware",
    "register",
]

T = TypeVar("T")

DATA_GENERATION_KEY = "core:data-generation"
DATA_GENERATION_AT_KEY = "core:data-generation-at"
# Generations other apps keep (the search generation of stocktaking) that pages also depend on.
# Apps add theirs with ``page_generation_keys.append(...)`` in ready(); core names no app.
page_generation_keys: list[str] = []
_MISSING = object()
_KEY_SAFE = re.compile(r"[\w:.\-]{1,200}")


def generation(key: str) -> int:
    """The current value of the generation counter ``key`` (1 until it first moves on). Caches of derived
    data put it in their keys: moving it on makes everything cached under the old value stale."""
    return cache.get_or_set(key, 1, None)


def generation_bump(key: str) -> int:
    """Move the generation counter ``key`` on. When the counter was evicted it restarts from the clock,
    past any value it had, so that no key cached under an old value comes back into use."""
    try:
        return cache.incr(key)
    except ValueError:
        value = int(time.time())
        cache.set(key, value, None)
        return value


def data_generation() -> int:
    """The current data generation (1 until something public changes)."""
    return generation(DATA_GENERATION_KEY)


def data_generation_changed_at() -> float:
    """When the generation last moved on (a Unix time), for ``Last-Modified``."""
    return cache.get_or_set(DATA_GENERATION_AT_KEY, time.time(), None)


def data_generation_bump() -> int:
    """Move the generation on now: every figure cached under the old one becomes stale."""
    value = generation_bump(DATA_GENERATION_KEY)
    cache.set(DATA_GENERATION_AT_KEY, time.time(), None)
    return value


def data_generation_bump_on_commit() -> None:
    """Bump when the current transaction commits (at once outside one); readers never see the new
    generation before the new data."""
    transaction.on_commit(data_generation_bump)


def generation_key(*parts: Any) -> str:
    """A cache key for ``parts`` under the current data generation."""
    raw = ":".join(str(p) for p in parts)
    if len(raw) > 200 or not _KEY_SAFE.fullmatch(raw):  # memcached-safe keys whatever the backend
        raw = f"{parts[0]}:{hashlib.sha1(raw.encode()).hexdigest()}" if _KEY_SAFE.fullmatch(str(parts[0])) \
            else hashlib.sha1(raw.encode()).hexdigest()
    return f"core:g{data_generation()}:{raw}"


def cached(name: str, build: Callable[[], T], *parts: Any, timeout: int = 3600, wait: float = 10.0) -> T:
    """``build()``'s value for ``(name, *parts)`` under the current generation, built once at a time.

    The last value built is also kept under a key without the generation (the "stale copy"): while
    one process rebuilds after a bump, the others answer with it instead of rebuilding too.
    """
    timeout = min(timeout, getattr(settings, "DATA_CACHE_SECONDS", timeout))
    if timeout <= 0:  # caching off (the test settings: tests change data without committing)
        return build()
    key = generation_key(name, *parts)
    value = cache.get(key, _MISSING)
    if value is not _MISSING:
        return value
    stale_key = f"core:stale:{name}:{hashlib.sha1(repr(parts).encode()).hexdigest()}"  # no generation in it
    lock = f"{key}:lock"
    if cache.add(lock, 1, timeout=int(wait) + 5):
        try:
            value = build()
            cache.set_many({key: value, stale_key: value}, timeout)
        finally:
            cache.delete(lock)
        return value
    stale = cache.get(stale_key, _MISSING)
    if stale is not _MISSING:
        return stale
    deadline = time.monotonic() + wait
    delay = 0.02
    while time.monotonic() < deadline:
        time.sleep(delay)
        delay = min(delay * 2, 0.25)
        value = cache.get(key, _MISSING)
        if value is not _MISSING:
            return value
    value = build()
    cache.set_many({key: value, stale_key: value}, timeout)
    return value


# --- events --------------------------------------------------------------------------------------

def _on_rare_event(**_payload) -> None:
    data_generation_bump_on_commit()


def register() -> None:
    """Bump the generation on the rare events that change what public figures show (CoreConfig.ready)."""
    for event in (ORGANISATION_CHANGED, COUNTRY_GROUPS_CHANGED, REFERENCE_DATA_RELOADED):
        subscribe(event, _on_rare_event)


# --- anonymous pages -----------------------------------------------------------------------------

def public_page(view):
    """Mark a view whose page is the same for every anonymous visitor (cached by the middleware)."""
    view.public_page = True
    return view


class AnonymousPageCacheMiddleware:
    """Serve :func:`public_page` views to visitors without a session from the shared cache.

    Only GET and HEAD from a request without a session or messages cookie and without an
    ``Authorization`` header; only 200 responses that set no cookie and used no CSRF token are
    stored. ``settings.PUBLIC_PAGE_CACHE_SECONDS`` (0 turns it off) bounds how stale parts of a
    page that no generation follows (a forum teaser on the home page) may be.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @property
    def timeout(self) -> int:
        return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 60)

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        return self._store(request, response, key) if key else response

    def _eligible(self, request) -> bool:
        if not self.timeout or request.method not in ("GET", "HEAD"):
            return False
        if "HTTP_AUTHORIZATION" in request.META:
            return False
        cookies = request.COOKIES
        return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies

    @staticmethod
    def _key(request) -> str:
        generations = [data_generation(), *(generation(k) for k in page_generation_keys)]
        htmx = "1" if request.headers.get("HX-Request") else "0"
        path = hashlib.sha1(request.get_full_path().encode()).hexdigest()
        return f"core:page:{'.'.join(map(str, generations))}:{htmx}:{path}"

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "public_page", False) or not self._eligible(request):
            return None
        key = self._key(request)
        stored = cache.get(key)
        if stored is None:
            request._page_cache_key = key
            return None
        response = HttpResponse(stored["content"], status=200)
        for header, value in stored["headers"].items():
            response[header] = value
        response["X-Page-Cache"] = "hit"
        return get_conditional_response(request, etag=stored["headers"]["ETag"], last_modified=stored["modified"],
                                        response=response)

    def _store(self, request, response, key: str) -> HttpResponse:
        if (response.status_code != 200 or response.streaming or response.cookies
                or request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.user.is_authenticated):
            return response
        modified = int(data_generation_changed_at())
        response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        response["Last-Modified"] = http_date(modified)
        response["Cache-Control"] = "max-age=0, must-revalidate"
        patch_vary_headers(response, ["Cookie", "HX-Request"])
        headers = {h: response[h] for h in ("Content-Type", "Content-Language", "ETag", "Last-Modified",
                                            "Cache-Control", "Vary") if h in response}
        cache.set(key, {"content": response.content, "headers": headers, "modified": modified}, self.timeout)
        response["X-Page-Cache"] = "miss"
        return get_conditional_response(request, etag=headers["ETag"], last_modified=modified, response=response)
