"""Settings shared by every environment.

Values that differ between machines come from the environment (DESIGN.md §5):
``DATABASE_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``EMAIL_URL``, ``MEDIA_ROOT``.
Environment-specific modules (local, test, production) import this one and override.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A developer may keep overrides in a .env file beside manage.py; it is optional.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# With DEBUG on, Django's technical 404/500 pages instead of the project's own (wsis.core.middleware).
DEBUG_ERROR_PAGES = env.bool("DEBUG_ERROR_PAGES", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.syndication",
    "django.forms",  # Django's form templates for wsis.core.forms.FormRenderer (TemplatesSetting)
    "django_htmx",
    # django-ninja's API docs (/api/v1/docs) then load Swagger UI from our static files, not a CDN with an
    # inline script, which the Content-Security-Policy would refuse.
    "ninja",
    "axes",  # sign-in throttling: failures per account and per address, lockouts in the admin
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Prometheus metrics (request latency by view and method) at /metrics (wsis.core.observability).
    "django_prometheus",
    "wsis.core",
    "wsis.accounts",
    "wsis.taxonomy",
    "wsis.stocktaking",
    "wsis.analytics",
    "wsis.indicators",
    "wsis.reports",
    "wsis.reviews",
    "wsis.forum",
    "wsis.prizes",
    "wsis.coordination",
    "wsis.classify",
    "wsis.opendata",
    "wsis.api",
]

MIDDLEWARE = [
    # First and last: django-prometheus times the whole request (latency by view and method).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # X-Request-ID in and out, the request id on every log line, database time, one access log line.
    "wsis.core.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "wsis.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    # API reads: ETag / If-None-Match and Last-Modified answered with 304, CORS for public reads (issue 20).
    "wsis.api.middleware.ApiReadMiddleware",
    # Safe reads to the read replica when one is configured; a writer's session stays on the primary.
    "wsis.core.dbrouter.ReadYourWritesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "wsis.core.middleware.LanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wsis.core.ratelimit.RateLimitMiddleware",
    # Our 404 and 500 pages also while DEBUG is on (DEBUG_ERROR_PAGES=1 shows Django's technical pages).
    "wsis.core.middleware.OwnErrorPagesMiddleware",
    # Public pages for visitors without a session, from the shared cache (wsis/core/cache.py).
    "wsis.core.cache.AnonymousPageCacheMiddleware",
    # Last but for the metrics timer, as django-axes asks: it turns a locked-out sign-in into the lockout answer.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wsis.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while a writer commits; the timeout rides out short write locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

# A streaming read replica (docs/operations.md): safe reads go there, writes and a writer's next reads
# to the primary (wsis.core.dbrouter). Unset: one database.
DATABASE_REPLICA_ALIAS = None
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASE_REPLICA_ALIAS = "replica"
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    DATABASES["replica"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["replica"].setdefault("CONN_HEALTH_CHECKS", True)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["wsis.core.dbrouter.ReplicaRouter"]
# After a write, the writer's browser reads from the primary for this many seconds (replica lag margin).
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=10)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out account or address before a password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation: the six official UN languages (STYLE.md habit 6) ---
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LANGUAGE_CODES = [code for code, _name in LANGUAGES]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_NAME = "wsis_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the language a visitor chose outlives the browser session
# Dates follow each language's formats (django/conf/locale/<lang>/formats.py). Numbers are not grouped
# everywhere (USE_THOUSAND_SEPARATOR stays off: it would also group years and ids, "2,025"); templates
# group counts explicitly with |intcomma, which follows the locale (1 234 in French, 1,234 in Arabic).
FORMAT_MODULE_PATH = ["wsis.core.formats"]
# One field template for every form ({{ field.as_field_group }}): templates/forms/field.html.
FORM_RENDERER = "wsis.core.forms.FormRenderer"

# --- Static and media files ---
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Media on S3-compatible object storage (AWS S3, MinIO, Ceph, ...) through django-storages, so that
# web and worker hosts share uploads and generated reports without a shared disk. Unset: MEDIA_ROOT.
MEDIA_S3_BUCKET = env.str("MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,  # e.g. http://minio:9000
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("MEDIA_S3_PREFIX", default=""),
            "default_acl": None,  # the bucket stays private: files are served through the platform's views
            "querystring_auth": True,
            "signature_version": "s3v4",
            "file_overwrite": False,
            "addressing_style": env.str("MEDIA_S3_ADDRESSING_STYLE", default="path"),
        },
    }
# Fingerprinted files (name.0123456789ab.css) are immutable: WhiteNoise sends them with a far-future
# max-age (ten years) and "immutable" whatever this says; this is for a file served under its own name.
WHITENOISE_MAX_AGE = 3600

# --- E-mail: console by default, anything else by EMAIL_URL (smtp://, smtp+tls://, ...) ---
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="WSIS Platform <noreply@wsis.example.org>")

# --- Background jobs (DESIGN.md §2: database queue by default) ---
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "reports", "email"],
    }
}

CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://wsis"),
}
if CACHES["default"]["BACKEND"].endswith("RedisCache") and CACHES["default"]["BACKEND"].startswith("django_redis"):
    # django-environ names the django-redis package for redis://; Django's own backend needs no extra package.
    CACHES["default"]["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
# Figures cached under the data generation (wsis/core/cache.py): the matrix counts, area profiles,
# "latest initiatives" sections; and whole public pages for visitors without a session.
DATA_CACHE_SECONDS = env.int("DATA_CACHE_SECONDS", default=3600)
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60)

# --- Abuse limits (docs/security.md) ---
# The client's address: REMOTE_ADDR, unless the site sits behind reverse proxies that append the client's
# address to a header. Then name the header as Django sees it (X-Forwarded-For: "HTTP_X_FORWARDED_FOR")
# and how many trusted proxies append to it; never set the header when clients reach the site directly,
# or anyone can pick the address their attempts are counted under.
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="")
CLIENT_IP_PROXY_COUNT = env.int("CLIENT_IP_PROXY_COUNT", default=1)

# Sign-in (django-axes): after AXES_FAILURE_LIMIT failed attempts for one account, or from one address,
# further attempts are refused (429, Retry-After) for AXES_COOLOFF_TIME hours, even with the right password.
# An administrator lifts a lockout by deleting its "Access attempts" row in the admin, or with
# `manage.py axes_reset_username <e-mail>` / `axes_reset_ip <address>`.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the e-mail address on the sign-in form
AXES_USERNAME_CALLABLE = "wsis.core.ratelimit.axes_username"
AXES_CLIENT_IP_CALLABLE = "wsis.core.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "wsis.core.ratelimit.axes_lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = False

# Everything else that costs a mail, a model run or a full export: "N/s|m|h|d" per key, counted in the
# cache (use a shared cache, Redis, when more than one process serves: CACHE_URL=redis://...).
RATE_LIMITS = {
    "password_reset": env.str("RATE_LIMIT_PASSWORD_RESET", default="5/h"),  # per address and per e-mail
    "sign_up": env.str("RATE_LIMIT_SIGN_UP", default="10/h"),  # per address and per e-mail
    "api_write": env.str("RATE_LIMIT_API_WRITE", default="120/m"),  # per token, user or address
    "classify": env.str("RATE_LIMIT_CLASSIFY", default="30/m"),  # per user or address
    "export": env.str("RATE_LIMIT_EXPORT", default="30/h"),  # per user or address
    # WSIS Prizes votes, counted per account and, separately, per address (issue 17). A voter casts at
    # most 18 votes and may change them, so 30 a minute is generous for a person and slows a script.
    "prize_vote": env.str("RATE_LIMIT_PRIZE_VOTE", default="30/m"),
    "prize_vote_ip": env.str("RATE_LIMIT_PRIZE_VOTE_IP", default="120/m"),  # an office or a campus shares one
    "indicator_download": env.str("RATE_LIMIT_INDICATOR_DOWNLOAD", default="120/h"),  # CSV, per user or address
}

# --- Content-Security-Policy (django-csp) and Permissions-Policy ---
# No inline script anywhere: scripts are static files. Inline style *attributes* carry data colours
# (SDG swatches, chart sizes), so style-src-attr allows them; <style> elements are not allowed, except
# the one of templates/500.html (which must not depend on static files), by its hash.
ERROR_PAGE_STYLE_HASH = "'sha256-akjX8bq3MFLCIiTUxMWXMOGsk6N4SKiwwJ6Z+NgybGo='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-elem": [SELF, ERROR_PAGE_STYLE_HASH],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_SAMESITE = "Lax"

NINJA_PAGINATION_PER_PAGE = 50

# Search exports (issue 15): up to this many rows stream inside the request; a larger export becomes a
# background job for a signed-in user (anonymous users are pointed to the bulk downloads), whose file is
# kept this many days and downloaded with its size and SHA-256.
EXPORT_DIRECT_MAX_ROWS = env.int("EXPORT_DIRECT_MAX_ROWS", default=5000)
EXPORT_JOB_KEEP_DAYS = env.int("EXPORT_JOB_KEEP_DAYS", default=7)

# Bulk downloads (issue 20, `manage.py opendata_dump` nightly): how many ready builds to keep, and the
# licence of the platform's own data (ICT indicators keep their producers' terms, given per indicator).
OPEN_DATA_KEEP = env.int("OPEN_DATA_KEEP", default=3)
OPEN_DATA_LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
                     "path": "https://creativecommons.org/licenses/by/4.0/"}
# IATI exports: the reporting organisation's ref when an organisation has no IATI identifier of its own
# (prefix + organisation id), and the URIs of the platform's own vocabularies (tag vocabulary 99).
IATI_ORGANISATION_PREFIX = env.str("IATI_ORGANISATION_PREFIX", default="XI-WSIS-ORG")

# The longest lifetime of a personal API token, in days (the token page offers shorter ones too).
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)

# Logs go to standard output (systemd's journal, docker logs). JSON_LOGS=1 (the production default)
# writes one JSON object per line with the request id (X-Request-ID) of the request that wrote it.
JSON_LOGS = env.bool("JSON_LOGS", default=False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "wsis.core.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json" if JSON_LOGS else "plain",
                             "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per request (wsis.core.observability); ACCESS_LOG=0 leaves it to the proxy.
        "wsis.request": {"level": "INFO" if env.bool("ACCESS_LOG", default=True) else "WARNING"},
        # The request line above replaces Django's own 4xx/5xx warnings for each request.
        "django.request": {"level": "ERROR"},
    },
}

# --- Operations: readiness, metrics, error reports (docs/operations.md) ---
# /readyz is red when no job worker (`manage.py worker`) has written a heartbeat for this long; a job
# such a worker left RUNNING goes back to the queue.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=10)
WORKER_HEARTBEAT_MAX_AGE = env.int("WORKER_HEARTBEAT_MAX_AGE", default=60)
# /metrics answers the addresses in these networks, or a request with "Authorization: Bearer <token>".
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# `manage.py backup` writes wsis-backup-<time>/ here (database dump, media archive, manifest).
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "var" / "backups")))
# Sentry (optional): set SENTRY_DSN and install the "sentry" extra (pip install '.[sentry]').
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(dsn=SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default="production"),
                    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0), send_default_pii=False)

SITE_NAME = _("WSIS Implementation Platform")
# The public base URL (scheme and host, no trailing slash) of every absolute link the platform writes
# where no request is at hand or the Host header must not be trusted: e-mails (also those sent by
# background jobs), calendar feeds, API links. Required in production (config/settings/production.py);
# empty here means "the request's own host" for pages, and http://127.0.0.1:8000 for jobs and commands.
SITE_URL = env.str("SITE_URL", default="").rstrip("/")
