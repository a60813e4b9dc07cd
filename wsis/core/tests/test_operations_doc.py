"""docs/operations.md documents every environment variable the settings read, in its one table."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_setting_read_from_the_environment_is_in_the_table():
    read = set()
    for module in (ROOT / "config" / "settings").glob("*.py"):
        read |= set(re.findall(r'env(?:\.[a-z_]+)?\(\s*"([A-Z][A-Z0-9_]+)"', module.read_text()))
    read |= set(re.findall(r"(?:os\.environ\.get|_env_int)\(\s*[\"']([A-Z_]+)[\"']", (ROOT / "gunicorn.conf.py").read_text()))
    assert {"SITE_URL", "CACHE_URL", "DATABASE_REPLICA_URL", "METRICS_TOKEN", "SENTRY_DSN"} <= read
    doc = (ROOT / "docs" / "operations.md").read_text()
    table = "\n".join(line for line in doc.splitlines() if line.startswith("| `"))
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    assert read - documented == set(), f"not in docs/operations.md's table: {sorted(read - documented)}"
