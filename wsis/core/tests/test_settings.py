"""Production settings refuse to start without secrets and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}}
    env.update(env_extra)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_production_requires_secret_key():
    result = run_manage("check", env_extra={"DJANGO_SETTINGS_MODULE": "config.settings.production",
                                            "ALLOWED_HOSTS": "wsis.example.org",
                                            "SITE_URL": "https://wsis.example.org",
                                            "CACHE_URL": "redis://127.0.0.1:6379/0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_required_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra={
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 20 + "-production-like-secret-key-of-sufficient-length-0123456789",
        "ALLOWED_HOSTS": "wsis.example.org",
        "SITE_URL": "https://wsis.example.org", "CACHE_URL": "redis://127.0.0.1:6379/0",  # both required in production (issues 15, 19)
    })
    assert result.returncode == 0, result.stdout + result.stderr
