"""Stocktaking keeps the initiatives' search vector and facet tokens (PostgreSQL) fresh.

The facet tokens are built by ``fields.FACET_TOKEN_SQL`` and the vector from
``services.SEARCH_VECTOR_FIELDS``; both read initiatives and their tags, the organisation's
stakeholder type and the countries' region, commission and group flags. ``SEARCH`` below lists
each of those fields with the events that refresh it; ``register()`` (called from
``StocktakingConfig.ready()``) declares it and subscribes the handlers. On SQLite search reads
the live tables, so the handlers only move the facet-cache generation on.
"""

from __future__ import annotations

from django.db import transaction

from wsis.core.events import (
    COUNTRY_GROUPS_CHANGED,
    INITIATIVE_CHANGED,
    ORGANISATION_CHANGED,
    REFERENCE_DATA_RELOADED,
    TAGS_CHANGED,
    DerivedDatum,
    derived_register,
    sql_reads,
)

from .fields import FACET_TOKEN_SQL
from .models import Initiative
from .services import (
    SEARCH_VECTOR_CONFIG_FIELD,
    SEARCH_VECTOR_FIELDS,
    TRANSLATION_VECTOR_SQL,
    _bump_search_generation,
    initiative_search_refresh,
    organisation_names_bump,
)

__all__ = ["SEARCH", "register"]

def _on_initiatives(*, initiative_ids) -> None:
    # Publishing and archiving move the facet-cache generation themselves (only those change the
    # public set); this refreshes the initiatives' own vector and tokens.
    initiative_search_refresh(ids=initiative_ids)


def _on_tags(*, initiative_ids, source) -> None:
    initiative_search_refresh(ids=initiative_ids, vector=False)
    transaction.on_commit(_bump_search_generation)


def _on_organisations(*, organisation_ids, fields) -> None:
    if "name" in fields:  # search matches organisation names (cached under their own generation)
        transaction.on_commit(organisation_names_bump)
        transaction.on_commit(_bump_search_generation)
    if "stakeholder_type" not in fields:
        return
    ids = list(Initiative.objects.filter(organisation_id__in=organisation_ids).values_list("pk", flat=True))
    initiative_search_refresh(ids=ids, vector=False)
    transaction.on_commit(_bump_search_generation)


def _on_countries(*, country_ids) -> None:
    ids = list(Initiative.objects.filter(countries__in=country_ids).values_list("pk", flat=True).distinct())
    initiative_search_refresh(ids=ids, vector=False)
    transaction.on_commit(_bump_search_generation)


def _on_reference(*, fields) -> None:
    # Reloads match rows on their codes, so codes hardly ever change (and country-group changes come
    # as COUNTRY_GROUPS_CHANGED); when a code written into the tokens did change, rebuild every
    # initiative's tokens in one statement.
    if set(fields) & {ref for ref, events in SEARCH.inputs.items() if REFERENCE_DATA_RELOADED in events}:
        initiative_search_refresh(ids=None, vector=False)
        transaction.on_commit(_bump_search_generation)


def _reads() -> set[str]:
    vector = {f"stocktaking.Initiative.{name}" for names in SEARCH_VECTOR_FIELDS.values() for name in names}
    return sql_reads(FACET_TOKEN_SQL) | sql_reads(TRANSLATION_VECTOR_SQL) | vector | {f"stocktaking.Initiative.{SEARCH_VECTOR_CONFIG_FIELD}"}


_EDIT = (INITIATIVE_CHANGED,)
_TAGS = (INITIATIVE_CHANGED, TAGS_CHANGED)
_COUNTRY = (COUNTRY_GROUPS_CHANGED,)
_CODES = (REFERENCE_DATA_RELOADED,)

SEARCH = DerivedDatum(
    name="search",
    description="Initiative search vector and facet tokens (PostgreSQL)",
    inputs={
        **{f"stocktaking.Initiative.{name}": _EDIT for name in (
            "title", "summary", "description", "partners", "language", "kind", "status", "year",
            "gender_marker", "organisation")},
        # Translations (issue 21): their text is in the vector, their language in the tokens; the
        # translation services emit INITIATIVE_CHANGED for their initiative.
        **{f"stocktaking.InitiativeTranslation.{name}": _EDIT for name in (
            "initiative", "language", "title", "summary")},
        "stocktaking.Initiative_countries.initiative": _EDIT,
        "stocktaking.Initiative_countries.country": _EDIT,
        "stocktaking.InitiativeTargetGroup.initiative": _EDIT,
        "stocktaking.InitiativeTargetGroup.group": _EDIT,
        "stocktaking.InitiativeActionLine.initiative": _TAGS,
        "stocktaking.InitiativeActionLine.action_line": _TAGS,
        "stocktaking.InitiativeGoal.initiative": _TAGS,
        "stocktaking.InitiativeGoal.goal": _TAGS,
        "stocktaking.InitiativeTarget.initiative": _TAGS,
        "stocktaking.InitiativeTarget.target": _TAGS,
        "accounts.Organisation.stakeholder_type": (ORGANISATION_CHANGED,),
        "accounts.Organisation.name": (ORGANISATION_CHANGED,),  # the organisation-name matches (search.py)
        "taxonomy.Country.region": _COUNTRY,
        "taxonomy.Country.sub_region": _COUNTRY,
        "taxonomy.Country.intermediate_region": _COUNTRY,
        "taxonomy.Country.ldc": _COUNTRY,
        "taxonomy.Country.lldc": _COUNTRY,
        "taxonomy.Country.sids": _COUNTRY,
        "taxonomy.CommissionMembership.country": _COUNTRY,
        "taxonomy.CommissionMembership.commission": _COUNTRY,
        "taxonomy.Country.iso3": _CODES,
        "taxonomy.ActionLine.code": _CODES,
        "taxonomy.Goal.number": _CODES,
        "taxonomy.Target.code": _CODES,
        "taxonomy.Region.m49": _CODES,
        "taxonomy.RegionalCommission.code": _CODES,
        "taxonomy.StakeholderType.code": _CODES,
    },
    handlers={
        INITIATIVE_CHANGED: _on_initiatives,
        TAGS_CHANGED: _on_tags,
        ORGANISATION_CHANGED: _on_organisations,
        COUNTRY_GROUPS_CHANGED: _on_countries,
        REFERENCE_DATA_RELOADED: _on_reference,
    },
    reads=_reads,
)


def register() -> None:
    derived_register(SEARCH)
