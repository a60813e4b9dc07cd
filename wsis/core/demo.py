"""The demo-data pipeline behind ``manage.py seed_demo``.

Each app that has demo data provides ``wsis/<app>/demo.py`` with ``seed(ctx: DemoContext)``. The
command calls them in the order of ``DEMO_APPS``, so later apps can use what earlier ones made
(organisations before initiatives, initiatives before analytics). Every ``seed`` must be
deterministic for a given ``ctx.seed`` and idempotent: running the command twice leaves the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

DEMO_APPS = ["accounts", "stocktaking", "indicators", "analytics", "reviews", "forum", "prizes", "classify"]
DEMO_PASSWORD = "wsis-demo-2025"  # documented in the README; demo accounts only
DEMO_EMAIL_DOMAIN = "demo.wsis.example.org"


@dataclass
class DemoContext:
    seed: int
    initiatives: int
    stdout: Any = None
    style: Any = None
    shared: dict[str, Any] = field(default_factory=dict)

    def rng(self, salt: str) -> random.Random:
        """A random generator of its own for each app, so one app's draws never shift another's."""
        return random.Random(f"{self.seed}:{salt}")

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)


def seed_all(ctx: DemoContext) -> None:
    for label in DEMO_APPS:
        module_name = f"wsis.{label}.demo"
        if find_spec(module_name) is not None:
            import_module(module_name).seed(ctx)
