"""Settings for a developer's machine and for `make run`: DEBUG on, SQLite by default."""

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=True)
# Local-only key: `make run` must work with no set-up. Production refuses to start without SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="local-development-only-not-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# Links in mails written by `make run`, its worker and commands point at the development server.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Serve unhashed files while developing so a missing collectstatic never breaks a page.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# --- E-mail: written to files a developer can open (var/mail/), or anything else by EMAIL_URL ---
# `filemail://` (the default) writes one file per message in var/mail/. django-environ drops the first
# slash of the path, so `filemail:///some/dir` means <project>/some/dir and `filemail:////abs/dir` means
# /abs/dir. `consolemail://` prints to the console; `smtp://…`, `smtp+tls://…` send for real.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend":
    _mail_path = EMAIL_CONFIG.get("EMAIL_FILE_PATH") or ""
    EMAIL_FILE_PATH = str(BASE_DIR / _mail_path) if _mail_path else str(BASE_DIR / "var" / "mail")
