"""The demo-data pipeline behind ``manage.py seed_demo``.

Each app that has demo data provides ``wsis/<app>/demo.py`` with ``seed(ctx: DemoContext)`` and
registers it from its ``AppConfig.ready()`` with ``registry.add_demo_seeder(name, path, order=…,
after=(…))``. The command runs the seeders after the ones they name in ``after``, the lowest ``order``
first, so later apps can use what earlier ones made (reference data before organisations,
organisations before initiatives, initiatives before analytics). Every ``seed`` must be deterministic
for a given ``ctx.seed`` and idempotent: running the command twice leaves the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from .registry import registry

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
    for seeder in registry.demo_seeders():
        seeder.load()(ctx)
