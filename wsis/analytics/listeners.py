"""Analytics keeps the ``CoverageFact`` table in step with the registry by listening to domain events.

The table copies each published initiative's action-line and SDG tags and its filterable
attributes (see ``models.CoverageFact``); country, stakeholder-type and target-group filters
read the live tables, so organisation, country-group and reference changes need no refresh here.
``COVERAGE`` lists the fields the table's SQL reads and the events that refresh them;
``register()`` (called from ``AnalyticsConfig.ready()``) declares it and subscribes the handlers.
"""

from __future__ import annotations

from wsis.core.events import INITIATIVE_CHANGED, TAGS_CHANGED, DerivedDatum, derived_register, sql_reads

from .services import _insert_sql, coverage_rebuild, coverage_refresh

__all__ = ["COVERAGE", "register"]


def _on_initiatives(*, initiative_ids) -> None:
    if initiative_ids is None:
        coverage_rebuild()
    else:
        coverage_refresh(initiative_ids=initiative_ids)


def _on_tags(*, initiative_ids, source) -> None:
    coverage_refresh(initiative_ids=initiative_ids)


_EDIT = (INITIATIVE_CHANGED,)
_TAGS = (INITIATIVE_CHANGED, TAGS_CHANGED)

COVERAGE = DerivedDatum(
    name="coverage",
    description="Analytics coverage table (CoverageFact) of published initiatives",
    inputs={
        **{f"stocktaking.Initiative.{name}": _EDIT for name in (
            "state", "organisation", "year", "kind", "status", "gender_marker")},
        "stocktaking.InitiativeActionLine.initiative": _TAGS,
        "stocktaking.InitiativeActionLine.action_line": _TAGS,
        "stocktaking.InitiativeGoal.initiative": _TAGS,
        "stocktaking.InitiativeGoal.goal": _TAGS,
    },
    handlers={INITIATIVE_CHANGED: _on_initiatives, TAGS_CHANGED: _on_tags},
    reads=lambda: sql_reads(_insert_sql("")),
)


def register() -> None:
    derived_register(COVERAGE)
