"""Settings for the server ``bench/load.py`` starts: the local settings, not debug, the bench URLs.

Adds one URL beside the application's (``bench/urls_load.py``): a minimal Django JSON view of the
API's first page, to compare the API list endpoint against in the same run. Rate limits are raised
(every simulated visitor comes from 127.0.0.1) and the cache is the ``CACHE_URL`` the bench passes
(Redis by default, as in production).
"""

import os

from config.settings.local import *  # noqa: F401,F403
from config.settings.local import CACHES, RATE_LIMITS

DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.urls_load"
RATE_LIMITS = dict.fromkeys(RATE_LIMITS, "100000/m")
AXES_ENABLED = False
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "bench")
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
