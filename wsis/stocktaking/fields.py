"""A list of short strings stored as ``text[]`` on PostgreSQL (GIN-indexable) and as JSON text elsewhere."""

from __future__ import annotations

import json

from django.db import models
from django.db.models import Lookup

__all__ = ["TokenListField", "FACET_TOKEN_SQL"]


class TokenListField(models.Field):
    """Facet tokens of an initiative (``al:C3``, ``c:KEN``…), denormalised for fast faceted search.

    Only PostgreSQL uses them (filters with ``&&`` on a GIN index, counts with ``unnest``); SQLite
    searches the tag tables directly, so the column stays empty there.
    """

    description = "List of tokens"

    def db_type(self, connection):
        return "text[]" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        if connection.vendor == "postgresql":
            return [str(v) for v in value]
        return json.dumps([str(v) for v in value])


@TokenListField.register_lookup
class Overlap(Lookup):
    """``tokens__overlap=[…]``: the row has at least one of the tokens (PostgreSQL ``&&``)."""

    lookup_name = "overlap"

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [list(value)])

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} && {rhs}::text[]", lhs_params + rhs_params


# Recompute the tokens of the initiatives whose ids are in %(ids)s (PostgreSQL). One statement,
# correlated subqueries per tag table; UNION removes repeats (two countries in one region…).
FACET_TOKEN_SQL = """
UPDATE stocktaking_initiative i SET facet_tokens = ARRAY(
    SELECT '*'
    UNION SELECT 'al:' || a.code FROM stocktaking_initiativeactionline x
        JOIN taxonomy_actionline a ON a.id = x.action_line_id WHERE x.initiative_id = i.id
    UNION SELECT 'g:' || g.number FROM stocktaking_initiativegoal x
        JOIN taxonomy_goal g ON g.id = x.goal_id WHERE x.initiative_id = i.id
    UNION SELECT 't:' || t.code FROM stocktaking_initiativetarget x
        JOIN taxonomy_target t ON t.id = x.target_id WHERE x.initiative_id = i.id
    UNION SELECT 'c:' || c.iso3 FROM stocktaking_initiative_countries x
        JOIN taxonomy_country c ON c.id = x.country_id WHERE x.initiative_id = i.id
    UNION SELECT 'r:' || r.m49 FROM stocktaking_initiative_countries x
        JOIN taxonomy_country c ON c.id = x.country_id
        JOIN taxonomy_region r ON r.id IN (c.region_id, c.sub_region_id, c.intermediate_region_id)
        WHERE x.initiative_id = i.id
    UNION SELECT 'cm:' || rc.code FROM stocktaking_initiative_countries x
        JOIN taxonomy_commissionmembership m ON m.country_id = x.country_id
        JOIN taxonomy_regionalcommission rc ON rc.id = m.commission_id WHERE x.initiative_id = i.id
    UNION SELECT 'grp:ldc' FROM stocktaking_initiative_countries x
        JOIN taxonomy_country c ON c.id = x.country_id WHERE x.initiative_id = i.id AND c.ldc
    UNION SELECT 'grp:lldc' FROM stocktaking_initiative_countries x
        JOIN taxonomy_country c ON c.id = x.country_id WHERE x.initiative_id = i.id AND c.lldc
    UNION SELECT 'grp:sids' FROM stocktaking_initiative_countries x
        JOIN taxonomy_country c ON c.id = x.country_id WHERE x.initiative_id = i.id AND c.sids
    UNION SELECT 'st:' || s.code FROM accounts_organisation o
        JOIN taxonomy_stakeholdertype s ON s.id = o.stakeholder_type_id WHERE o.id = i.organisation_id
    UNION SELECT 'k:' || i.kind
    UNION SELECT 's:' || i.status
    UNION SELECT 'y:' || i.year WHERE i.year IS NOT NULL
    UNION SELECT 'tg:' || x."group" FROM stocktaking_initiativetargetgroup x WHERE x.initiative_id = i.id
    UNION SELECT 'gm:' || i.gender_marker
    UNION SELECT 'lang:' || i.language
    UNION SELECT 'lang:' || tr.language FROM stocktaking_initiativetranslation tr WHERE tr.initiative_id = i.id
)
"""
