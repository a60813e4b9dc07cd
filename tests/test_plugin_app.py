"""Issue 12's acceptance test: an app registered only in a test settings module appears in the
navigation, a page section, the API and ``seed_demo`` without any change to core.

The plug-in app (``tests/plugin_app``) is installed only by ``tests.plugin_app.settings``; its checks
run in a subprocess under those settings, so this run's own settings and registry stay untouched.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from wsis.core.registry import registry

ROOT = Path(__file__).resolve().parent.parent


def test_plugin_app_is_not_installed_in_the_ordinary_settings():
    assert "tests.plugin_app" not in settings.INSTALLED_APPS
    assert all(not entry.url_name.startswith("plugin_app:") for entry in registry.nav_entries())
    assert all(seeder.name != "plugin_app" for seeder in registry.demo_seeders())


def test_plugin_app_plugs_in_through_the_registry_alone():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.plugin_app.settings"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "--create-db",
         "--ds=tests.plugin_app.settings", "tests/plugin_app/checks.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "4 passed" in result.stdout
