"""Demo data for analytics: nothing of its own, but the coverage table must match the initiatives.

The stocktaking demo emits "initiative changed" batch by batch, so the table is refreshed as it goes; this step
checks the result cheaply (one roll-up row per published initiative) and rebuilds the table if
initiatives were loaded some other way. Deterministic and idempotent.
"""

from wsis.core.demo import DemoContext
from wsis.stocktaking.models import Initiative

from .models import CoverageFact
from .services import coverage_rebuild, coverage_vacuum


def seed(ctx: DemoContext) -> None:
    published = Initiative.objects.filter(state=Initiative.State.PUBLISHED).count()
    rolled = CoverageFact.objects.filter(action_line__isnull=True, goal__isnull=True).count()
    if published != rolled:
        rows = coverage_rebuild()
        coverage_vacuum()
        ctx.log(f"Analytics: coverage table rebuilt ({rows:,} rows for {published:,} published initiatives).")
    else:
        ctx.log(f"Analytics: coverage table up to date ({published:,} published initiatives).")
