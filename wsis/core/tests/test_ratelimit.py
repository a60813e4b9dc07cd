"""The cache-based rate limiter (wsis.core.ratelimit): the client's address behind proxies, the
fixed-window count, and the 429 answers of API writes, classification and exports."""

import os
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from django.urls import reverse

from wsis.core import ratelimit
from wsis.core.ratelimit import Rate, client_ip, hit

# Every scope the code uses needs a rate, even those these tests do not exercise: a view decorated with
# @rate_limit asks for its scope's rate when the URLconf is first imported, which may happen inside a test.
RATES = {"password_reset": "5/h", "sign_up": "10/h", "api_write": "2/m", "classify": "1/m", "export": "1/h",
         "indicator_download": "1/h", "prize_vote": "30/m", "prize_vote_ip": "120/m"}


@pytest.fixture(autouse=True)
def _mid_window(monkeypatch):
    """Every request of a test falls in one counting window (a real clock may cross a boundary)."""
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_800_000_000.0 + 1.5)


def request_from(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_configured_header_the_forwarded_address_is_ignored():
    assert client_ip(request_from("10.0.0.1", "203.0.113.5")) == "10.0.0.1"


@override_settings(CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR", CLIENT_IP_PROXY_COUNT=1)
def test_behind_one_proxy_the_client_is_the_last_address_it_appended():
    # A client may send its own X-Forwarded-For; only the entry the proxy appended counts.
    assert client_ip(request_from("10.0.0.1", "1.2.3.4, 203.0.113.5")) == "203.0.113.5"
    assert client_ip(request_from("10.0.0.1", "203.0.113.5")) == "203.0.113.5"
    assert client_ip(request_from("10.0.0.1", "2001:db8::1")) == "2001:db8::1"


@override_settings(CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR", CLIENT_IP_PROXY_COUNT=2)
def test_behind_two_proxies_the_client_is_the_second_from_the_right():
    assert client_ip(request_from("10.0.0.1", "9.9.9.9, 203.0.113.5, 10.0.0.2")) == "203.0.113.5"
    # Too short or malformed: the direct peer, never something the client wrote.
    assert client_ip(request_from("10.0.0.1", "10.0.0.2")) == "10.0.0.1"
    assert client_ip(request_from("10.0.0.1", "not-an-ip, 10.0.0.2")) == "10.0.0.1"
    assert client_ip(request_from("10.0.0.1")) == "10.0.0.1"


def test_rates_parse_and_a_bad_one_is_refused():
    assert Rate.parse("5/h") == Rate(5, 3600)
    assert Rate.parse("30/10m") == Rate(30, 600)
    with pytest.raises(ImproperlyConfigured):
        Rate.parse("5 per hour")
    with pytest.raises(ImproperlyConfigured):
        ratelimit.rate_for("no-such-scope")


def test_hit_counts_per_key_and_says_how_long_to_wait(monkeypatch):
    monkeypatch.setattr(ratelimit, "_now", lambda: 7200 + 600.5)  # ten minutes into an hour
    rate = Rate(2, 3600)
    assert hit("t", "a", rate=rate) is None
    assert hit("t", "a", rate=rate) is None
    assert hit("t", "a", rate=rate) == 3000  # the rest of the hour, rounded up
    assert hit("t", "b", rate=rate) is None  # another key has its own count
    monkeypatch.setattr(ratelimit, "_now", lambda: 3 * 3600 + 1)  # the next window
    assert hit("t", "a", rate=rate) is None


@pytest.mark.django_db
@override_settings(RATE_LIMITS=RATES)
def test_api_writes_are_limited_per_client_with_a_problem_json_429(client):
    for _ in range(2):
        response = client.post("/api/v1/initiatives", {}, content_type="application/json", REMOTE_ADDR="203.0.113.3")
        assert response.status_code != 429
    response = client.post("/api/v1/initiatives", {}, content_type="application/json", REMOTE_ADDR="203.0.113.3")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"  # RFC 9457, like every API error
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Too many requests.")
    # Reads are not counted; another client is not affected.
    assert client.get("/api/v1/initiatives", REMOTE_ADDR="203.0.113.3").status_code == 200
    response = client.post("/api/v1/initiatives", {}, content_type="application/json", REMOTE_ADDR="203.0.113.4")
    assert response.status_code != 429


@pytest.mark.django_db
@override_settings(RATE_LIMITS=RATES)
def test_api_writes_with_a_token_count_per_token_not_per_address(client):
    for n in range(2):
        client.post("/api/v1/initiatives", {}, content_type="application/json", REMOTE_ADDR=f"203.0.113.{n}",
                    HTTP_AUTHORIZATION="Bearer wsis_one")
    response = client.post("/api/v1/initiatives", {}, content_type="application/json", REMOTE_ADDR="203.0.113.99",
                           HTTP_AUTHORIZATION="Bearer wsis_one")
    assert response.status_code == 429
    response = client.post("/api/v1/initiatives", {}, content_type="application/json", REMOTE_ADDR="203.0.113.99",
                           HTTP_AUTHORIZATION="Bearer wsis_two")
    assert response.status_code != 429


@pytest.mark.django_db
@override_settings(RATE_LIMITS=RATES)
def test_classification_is_limited_on_the_page_and_in_the_api(client):
    text = {"title": "Broadband for rural schools", "summary": "Connecting schools", "description": ""}
    assert client.post(reverse("classify:suggest"), text).status_code == 200
    response = client.post(reverse("classify:suggest"), text)
    assert response.status_code == 429
    assert re.search(r"Try again in \d+ seconds?\.", response.content.decode())
    assert client.get(reverse("classify:suggest")).status_code == 200  # the empty form is not counted

    payload = {"text": "Broadband for rural schools"}
    assert client.post("/api/v1/classify", payload, content_type="application/json",
                       REMOTE_ADDR="198.51.100.1").status_code == 200
    response = client.post("/api/v1/classify", payload, content_type="application/json", REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429
    assert "Retry-After" in response


@pytest.mark.django_db
@override_settings(RATE_LIMITS=RATES)
def test_full_exports_are_limited(client):
    assert client.get(reverse("stocktaking:export", args=["csv"])).status_code == 200
    response = client.get(reverse("stocktaking:export", args=["json"]))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many requests" in response.content.decode()


@pytest.mark.django_db
@override_settings(RATE_LIMITS=RATES)
def test_indicator_csv_downloads_are_limited_and_pages_are_not(client):
    url = reverse("indicators:list")
    assert client.get(url, {"format": "csv"}).status_code == 200
    assert client.get(url).status_code == 200  # the page itself is not counted
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
@override_settings(RATE_LIMITS=RATES)
def test_the_429_page_is_translated(client):
    client.get(reverse("stocktaking:export", args=["csv"]))
    from django.utils import translation

    with translation.override("fr"):
        url = reverse("stocktaking:export", args=["csv"])
        expected = translation.gettext("Too many requests")
    response = client.get(url)
    assert response.status_code == 429
    assert expected in response.content.decode()


REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


def _redis_cache(url: str):
    from django.core.cache.backends.redis import RedisCache

    backend = RedisCache(url, {"KEY_PREFIX": f"test-ratelimit-{os.getpid()}"})
    try:
        backend._cache.get_client(write=True).ping()
    except Exception as exc:  # noqa: BLE001 - no server: the test cannot run here
        pytest.skip(f"no Redis at TEST_REDIS_URL ({exc})")
    return backend


@pytest.mark.skipif(not REDIS_URL, reason="set TEST_REDIS_URL=redis://host:6379/N to run against Redis")
def test_on_redis_a_hit_is_one_round_trip_and_the_counter_expires(monkeypatch):
    backend = _redis_cache(REDIS_URL)
    monkeypatch.setattr(ratelimit, "caches", {"default": backend})
    monkeypatch.setattr(ratelimit, "_now", lambda: 7200 + 600.5)
    client = backend._cache.get_client(write=True)
    sent = []
    original = type(client).execute_command
    pipelines = []
    original_pipeline = type(client).pipeline

    def counting_pipeline(self, *args, **kwargs):
        pipelines.append(kwargs.get("transaction", True))
        return original_pipeline(self, *args, **kwargs)

    monkeypatch.setattr(type(client), "execute_command", lambda self, *a, **k: sent.append(a[0]) or original(self, *a, **k))
    monkeypatch.setattr(type(client), "pipeline", counting_pipeline)
    rate = Rate(2, 3600)
    try:
        assert [hit("t", "a", rate=rate) for _ in range(3)] == [None, None, 3000]
        assert hit("t", "b", rate=rate) is None
        assert sent == [] and pipelines == [True] * 4  # one MULTI/EXEC pipeline per hit, nothing else
        key = backend.make_and_validate_key(ratelimit._cache_key("t", "a", int((7200 + 600.5) // 3600)))
        assert int(client.get(key)) == 3 and 0 < client.ttl(key) <= 3601
        # A counter Django's own cache.add() wrote (an older release during a deploy) goes on counting.
        monkeypatch.setattr(ratelimit, "_now", lambda: 3 * 3600 + 1)
        backend.add(ratelimit._cache_key("t", "a", 3), 2, timeout=3601)
        assert hit("t", "a", rate=rate) == 3600 - 1
    finally:
        backend.clear()
