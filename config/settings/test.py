"""Settings for the test suite (STYLE.md §3): fast hasher, immediate tasks, local-memory cache."""

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests change data inside a transaction that never commits, so the generation (bumped on commit)
# would not move: the data cache and the page cache are off, and their own tests turn them on.
DATA_CACHE_SECONDS = 0
PUBLIC_PAGE_CACHE_SECONDS = 0
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES = {
    "default": env.db_url("DATABASE_URL", default="sqlite:///:memory:"),
}
DATABASES["default"].setdefault("TEST", {})
# A second alias on the same test database (TEST MIRROR) for the read-replica router's tests
# (wsis/core/tests/test_dbrouter.py); the router leaves it unused unless DATABASE_REPLICA_ALIAS is set.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_REPLICA_ALIAS = None
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"},
           "filters": {"request_id": {"()": "wsis.core.observability.RequestIdFilter"}}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
