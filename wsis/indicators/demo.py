"""Demo data for the indicators: the real reference series shipped with the platform (no invented values)."""

from __future__ import annotations

from wsis.core.demo import DemoContext

from .services import indicators_load_reference


def seed(ctx: DemoContext) -> None:
    """Load the shipped catalogue and series; idempotent (a second run changes nothing)."""
    result = indicators_load_reference()
    if result.changed:
        ctx.log(f"Indicators: {result.indicators_created} created, "
                f"{sum(r.changed for _, r in result.imports)} observations written.")
    else:
        ctx.log("Indicators: already loaded.")
