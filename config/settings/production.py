"""Production settings: every secret comes from the environment, and nothing insecure defaults on.

Required: SECRET_KEY, ALLOWED_HOSTS. Usually also DATABASE_URL (PostgreSQL) and EMAIL_URL.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import LOGGING, env

DEBUG = False

try:
    SECRET_KEY = env.str("SECRET_KEY")
except ImproperlyConfigured as exc:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.") from exc
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

# A shared cache is required (issue 15): every worker and host must see the same data generation,
# rate-limit counters and cached figures; a per-process cache rescans millions of rows per worker.
CACHE_URL = env.str("CACHE_URL", default="")
if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("CACHE_URL must point at Redis in production (redis://host:6379/0).")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="wsis"),
        "TIMEOUT": 3600,
    }
}

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names this site answers to.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{host}" for host in ALLOWED_HOSTS])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Every absolute link (e-mails sent by background jobs included) starts with SITE_URL, never with the
# Host header a request happened to carry.
SITE_URL = env.str("SITE_URL", default="").rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "SITE_URL must be set in the environment for production: the public base URL, e.g. "
        "https://wsis.example.org (links in e-mails and feeds start with it).")

# Sessions in the shared cache, written through to the database so a Redis restart signs no one out.
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.cached_db")

# JSON log lines (one object per line, with the request id) unless JSON_LOGS=0.
if env.bool("JSON_LOGS", default=True):
    LOGGING["handlers"]["console"]["formatter"] = "json"
