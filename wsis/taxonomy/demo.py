"""Demo data of the taxonomy: the shipped reference data, loaded first when the database has none."""

from __future__ import annotations

from django.core.management import call_command

from wsis.core.demo import DemoContext

from .models import ActionLine


def seed(ctx: DemoContext) -> None:
    if not ActionLine.objects.exists():
        ctx.log("Reference data missing: running load_reference first.")
        call_command("load_reference", verbosity=0)
