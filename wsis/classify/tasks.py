"""Background jobs of the classify app: the bulk suggestion run (a thin adapter over the service)."""

from __future__ import annotations

from django_tasks import task

from .services import suggestion_run_execute

__all__ = ["suggestion_run_task"]


@task(queue_name="default")
def suggestion_run_task(run_id: int) -> int:
    """Compute suggestions for every initiative of run ``run_id``; returns how many have news."""
    return suggestion_run_execute(run_id=run_id).with_suggestions
