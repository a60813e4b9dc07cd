"""Rate limits on Django's cache: password reset, sign-up, API writes, classification, exports.

Sign-in has its own, stronger defence (django-axes: failures counted per account and per client
address in the database, a lockout an administrator lifts in the admin); this module limits how
often anyone may ask for work that costs the site or a third party (a mail, a model run, a full
export). Counters live in the default cache (Redis in production, ``CACHE_URL``; local memory in
tests), in fixed windows: ``"5/h"`` allows five requests per clock hour and key.

* ``@rate_limit("export")`` on a view (Django or django-ninja) counts every request of the listed
  methods and answers **429 Too Many Requests** with ``Retry-After`` once the scope's rate is used
  up: a page (``429.html``, translated, saying when to try again) or, under ``/api/``, JSON.
* :class:`RateLimitMiddleware` counts every API write (``POST``/``PUT``/``PATCH``/``DELETE`` under
  ``/api/``) in the ``api_write`` scope, per token, signed-in user or client address.
* :func:`client_ip` is the one place that reads the client's address: ``REMOTE_ADDR`` unless the
  operator names the header a trusted reverse proxy sets (``CLIENT_IP_HEADER``) and how many
  proxies append to it (``CLIENT_IP_PROXY_COUNT``); django-axes uses it too.

Rates come from ``settings.RATE_LIMITS`` (``{"scope": "N/s|m|h|d"}``); a scope missing there is a
programming error and raises.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from axes.helpers import get_cool_off
from django.conf import settings
from django.core import checks
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

__all__ = [
    "Rate",
    "RateLimitMiddleware",
    "axes_lockout_response",
    "axes_username",
    "client_ip",
    "hit",
    "rate_limit",
    "too_many_requests",
]

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
API_PREFIX = "/api/"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, value: str) -> Rate:
        """``"5/h"`` → five per hour; ``"30/10m"`` → thirty per ten minutes."""
        try:
            count, per = value.split("/")
            number = per[:-1] or "1"
            return cls(int(count), int(number) * UNITS[per[-1]])
        except (ValueError, KeyError, IndexError) as exc:
            raise ImproperlyConfigured(f"Rate {value!r} is not of the form 'N/s', 'N/m', 'N/h' or 'N/d'.") from exc


def rate_for(scope: str) -> Rate:
    rates = getattr(settings, "RATE_LIMITS", {})
    if scope not in rates:
        raise ImproperlyConfigured(f"settings.RATE_LIMITS has no rate for the scope {scope!r}.")
    return Rate.parse(rates[scope])


# --- The client's address -----------------------------------------------------------------------

def _valid_ip(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client, as far as the site can trust it.

    Without ``CLIENT_IP_HEADER`` this is ``REMOTE_ADDR`` (the site faces the Internet, or the proxy's
    own address is what counts). Behind ``CLIENT_IP_PROXY_COUNT`` trusted reverse proxies that append
    to ``X-Forwarded-For`` (``CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"``), the client is the address
    that many entries from the right: entries further left were written by the client and prove
    nothing. A header that is missing, too short or malformed falls back to ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if not header:
        return remote
    raw = request.META.get(header, "")
    entries = [e for e in (part.strip() for part in raw.split(",")) if e]
    count = max(int(getattr(settings, "CLIENT_IP_PROXY_COUNT", 1)), 1)
    if len(entries) < count:
        return remote
    return _valid_ip(entries[-count]) or remote


# --- Counting -----------------------------------------------------------------------------------

def _now() -> float:
    return time.time()


def _cache_key(scope: str, key: str, window: int) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{window}:{digest}"


def _redis_count(backend: RedisCache, cache_key: str, timeout: int) -> int:
    """Add one to a counter in Redis in one round trip: ``SET key 0 EX timeout NX`` then ``INCR key``, in
    a MULTI/EXEC block (no other client's command between them, so the key never loses its expiry).
    Django's own calls take three round trips (SET NX, then EXISTS and INCRBY): on the busiest write,
    the WSIS Prizes vote, counted in three scopes, that was nine (docs/performance.md)."""
    key = backend.make_and_validate_key(cache_key)
    client = backend._cache.get_client(key, write=True)
    pipe = client.pipeline(transaction=True)
    pipe.set(key, 0, ex=timeout, nx=True)
    pipe.incr(key)
    return int(pipe.execute()[1])


def _count(cache_key: str, timeout: int) -> int:
    """The counter after adding this request (1 for the first in its window)."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _redis_count(backend, cache_key, timeout)
    if cache.add(cache_key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=timeout)
        return 1


def hit(scope: str, key: str, *, rate: Rate | None = None) -> int | None:
    """Count one request for ``key`` in ``scope``; the seconds to wait when over the rate, else None."""
    rate = rate or rate_for(scope)
    now = _now()
    window = int(now // rate.seconds)
    count = _count(_cache_key(scope, key, window), rate.seconds + 1)
    if count <= rate.count:
        return None
    return max(1, math.ceil((window + 1) * rate.seconds - now))


def _user_or_ip(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def _post_field(name: str) -> Callable[[HttpRequest], str | None]:
    def key(request: HttpRequest) -> str | None:
        value = request.POST.get(name, "").strip().lower()
        return f"{name}:{value}" if value else None
    return key


KEYS: dict[str, Callable[[HttpRequest], str | None]] = {
    "ip": lambda request: f"ip:{client_ip(request)}",
    "user_or_ip": _user_or_ip,
}


def _key_function(name: str) -> Callable[[HttpRequest], str | None]:
    if name.startswith("post:"):
        return _post_field(name.removeprefix("post:"))
    return KEYS[name]


# --- Answers ------------------------------------------------------------------------------------

def wait_text(seconds: int) -> str:
    """"in 3 minutes", "in 45 seconds", in the active language."""
    if seconds >= 90:
        minutes = math.ceil(seconds / 60)
        return ngettext("Try again in %(n)d minute.", "Try again in %(n)d minutes.", minutes) % {"n": minutes}
    return ngettext("Try again in %(n)d second.", "Try again in %(n)d seconds.", seconds) % {"n": seconds}


def too_many_requests(request: HttpRequest, retry_after: int, *, template: str = "429.html",
                      context: dict | None = None) -> HttpResponse:
    """429 with ``Retry-After``: JSON under ``/api/``, else the page that says when to try again."""
    retry_after = max(1, int(retry_after))
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"type": "about:blank", "title": "Too Many Requests", "status": 429,
                                 "detail": _("Too many requests. %(wait)s") % {"wait": wait_text(retry_after)},
                                 "instance": request.path, "errors": {}},
                                status=429, content_type="application/problem+json")
    else:
        response = render(request, template, {"retry_after": retry_after, "wait": wait_text(retry_after),
                                              **(context or {})}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def check(request: HttpRequest, scope: str, keys: Iterable[str]) -> int | None:
    """Count the request under every key; the longest wait among those over the rate, else None."""
    rate = rate_for(scope)
    waits = []
    for name in keys:
        key = _key_function(name)(request)
        if key is None:
            continue
        wait = hit(scope, key, rate=rate)
        if wait is not None:
            waits.append(wait)
    return max(waits) if waits else None


def rate_limit(scope: str, *, keys: Iterable[str] = ("user_or_ip",), methods: Iterable[str] = ("POST",)):
    """Decorate a view: requests of ``methods`` count in ``scope`` under each of ``keys``.

    Keys: ``"ip"`` (the client address), ``"user_or_ip"`` (the signed-in user, else the address),
    ``"post:<field>"`` (a posted value, e.g. the e-mail address a reset is asked for). Every key is
    counted; the request is refused when any of them is over the rate.
    """
    keys = tuple(keys)
    methods = frozenset(m.upper() for m in methods)
    rate_for(scope)  # a scope without a rate fails at import, not at the first request
    for name in keys:
        _key_function(name)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                wait = check(request, scope, keys)
                if wait is not None:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)
        return wrapped
    return decorator


def _api_writer_key(request: HttpRequest) -> str:
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization.lower().startswith("bearer "):
        return "token:" + hashlib.sha256(authorization[7:].strip().encode()).hexdigest()
    return _user_or_ip(request)


class RateLimitMiddleware:
    """Every API write counts in the ``api_write`` scope, per token, signed-in user or address.

    Placed after ``AuthenticationMiddleware`` so that a session's user is known.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in WRITE_METHODS and request.path.startswith(API_PREFIX):
            wait = hit("api_write", _api_writer_key(request))
            if wait is not None:
                return too_many_requests(request, wait)
        return self.get_response(request)


def check_rate_limit_cache(app_configs=None, **kwargs):
    """Deploy check: with a per-process cache each worker counts on its own (limits times workers)."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [checks.Info(
            "Rate limits count in a per-process cache: each worker allows the full rate.",
            hint="Set CACHE_URL to a shared cache (redis://…, with the redis package installed) when more "
                 "than one process serves the site. Sign-in lockouts (django-axes) are in the database.",
            id="core.I010")]
    return []


def axes_username(request, credentials) -> str:
    """The account a sign-in attempt counts against (``AXES_USERNAME_CALLABLE``): the e-mail address as
    typed, lower-cased, so that "A@x.org" and "a@x.org" share one counter."""
    value = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or request.POST.get(
        settings.AXES_USERNAME_FORM_FIELD, "")
    return str(value).strip().lower()


def axes_lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (``AXES_LOCKOUT_CALLABLE``): 429, the sign-in page's
    lockout text and ``Retry-After`` (the cool-off)."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 15 * 60
    return too_many_requests(request, seconds, template="registration/locked_out.html")
