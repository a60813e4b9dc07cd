"""The test settings plus the plug-in app: the only place that names it."""

from config.settings.test import *  # noqa: F401,F403
from config.settings.test import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.plugin_app"]

# The parent test run may be using the default test database on PostgreSQL at the same time.
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_{DATABASES['default']['NAME']}_plugin_app"
