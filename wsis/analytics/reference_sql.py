"""The same numbers as the analytics selectors, computed with plain SQL ``GROUP BY`` over the live
stocktaking tables — no pre-aggregation. Used as the yardstick in ``bench/analytics.py`` and by the
tests that prove ``CoverageFact`` agrees with the registry after every kind of change.
"""

from __future__ import annotations

from django.db import connection

from wsis.accounts.models import Organisation
from wsis.stocktaking.filters import InitiativeFilters
from wsis.stocktaking.models import (
    Initiative,
    InitiativeActionLine,
    InitiativeGoal,
    InitiativeTarget,
    InitiativeTargetGroup,
)
from wsis.taxonomy.models import CommissionMembership, Country, Region, RegionalCommission, StakeholderType

__all__ = ["matrix_sql", "trends_sql", "target_counts_sql", "target_reach_sql"]

T_INIT = Initiative._meta.db_table
T_IAL = InitiativeActionLine._meta.db_table
T_IG = InitiativeGoal._meta.db_table
T_IT = InitiativeTarget._meta.db_table
T_ITG = InitiativeTargetGroup._meta.db_table
T_IC = Initiative.countries.through._meta.db_table
T_ORG = Organisation._meta.db_table
T_ST = StakeholderType._meta.db_table
T_COUNTRY = Country._meta.db_table
T_REGION = Region._meta.db_table
T_CM = CommissionMembership._meta.db_table
T_RC = RegionalCommission._meta.db_table


def _in(column: str, values: list) -> tuple[str, list]:
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _where(f: InitiativeFilters) -> tuple[str, list]:
    """WHERE conditions on ``i`` (the initiative table) for the filters (the text query, tags and
    organisation are not covered: the analytics pages do not offer them)."""
    conds, params = ["i.state = %s"], [Initiative.State.PUBLISHED.value]
    for name in ("kind", "status", "gender_marker", "year"):
        if getattr(f, name):
            cond, p = _in(f"i.{name}", getattr(f, name))
            conds.append(cond)
            params += p
    if f.year_from is not None:
        conds.append("i.year >= %s")
        params.append(f.year_from)
    if f.year_to is not None:
        conds.append("i.year <= %s")
        params.append(f.year_to)
    if f.stakeholder_type:
        cond, p = _in("st.code", f.stakeholder_type)
        conds.append(f"i.organisation_id IN (SELECT o.id FROM {T_ORG} o JOIN {T_ST} st ON st.id = o.stakeholder_type_id "
                     f"WHERE {cond})")
        params += p
    if f.target_group:
        cond, p = _in('tg."group"', f.target_group)
        conds.append(f"i.id IN (SELECT tg.initiative_id FROM {T_ITG} tg WHERE {cond})")
        params += p
    if f.country_filtered:
        cc, cp = _country_conds(f)
        conds.append(f"i.id IN (SELECT ic.initiative_id FROM {T_IC} ic JOIN {T_COUNTRY} c ON c.id = ic.country_id "
                     f"WHERE {' AND '.join(cc)})")
        params += cp
    return " AND ".join(conds), params


def _country_conds(f: InitiativeFilters) -> tuple[list[str], list]:
    """Conditions on ``c`` (the country table) for the country filters, all on the same country."""
    cc, cp = [], []
    if f.region:
        regions, rp = _in("m49", f.region)
        cc.append(f"(c.region_id IN (SELECT id FROM {T_REGION} WHERE {regions}) OR c.sub_region_id IN "
                  f"(SELECT id FROM {T_REGION} WHERE {regions}) OR c.intermediate_region_id IN "
                  f"(SELECT id FROM {T_REGION} WHERE {regions}))")
        cp += rp * 3
    if f.commission:
        cond, p = _in("UPPER(rc.code)", [c.upper() for c in f.commission])
        cc.append(f"c.id IN (SELECT cm.country_id FROM {T_CM} cm JOIN {T_RC} rc ON rc.id = cm.commission_id "
                  f"WHERE {cond})")
        cp += p
    if f.country:
        cond, p = _in("c.iso3", [c.upper() for c in f.country])
        cc.append(cond)
        cp += p
    flags = [flag for flag in ("ldc", "lldc", "sids") if flag in f.group]
    if flags:  # any of the groups
        cc.append("(" + " OR ".join(f"c.{flag} = %s" for flag in flags) + ")")
        cp += [True] * len(flags)
    return cc, cp


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def matrix_sql(f: InitiativeFilters) -> dict[tuple[int | None, int | None], int]:
    """{(action line id, goal id): n} for cells, {(al, None)}, {(None, goal)} and {(None, None)} totals."""
    where, params = _where(f)
    out: dict[tuple[int | None, int | None], int] = {}
    for al, goal, n in _rows(
        f"SELECT a.action_line_id, g.goal_id, COUNT(*) FROM {T_INIT} i JOIN {T_IAL} a ON a.initiative_id = i.id "
        f"JOIN {T_IG} g ON g.initiative_id = i.id WHERE {where} GROUP BY a.action_line_id, g.goal_id", params
    ):
        out[(al, goal)] = n
    for al, n in _rows(f"SELECT a.action_line_id, COUNT(*) FROM {T_INIT} i JOIN {T_IAL} a ON a.initiative_id = i.id "
                       f"WHERE {where} GROUP BY a.action_line_id", params):
        out[(al, None)] = n
    for goal, n in _rows(f"SELECT g.goal_id, COUNT(*) FROM {T_INIT} i JOIN {T_IG} g ON g.initiative_id = i.id "
                         f"WHERE {where} GROUP BY g.goal_id", params):
        out[(None, goal)] = n
    out[(None, None)] = _rows(f"SELECT COUNT(*) FROM {T_INIT} i WHERE {where}", params)[0][0]
    return out


def trends_sql(f: InitiativeFilters) -> dict[str, dict]:
    """Per-year counts by action line, stakeholder type, region, and in all."""
    where, params = _where(f)
    where += " AND i.year IS NOT NULL"
    return {
        "action_line": {(y, k): n for y, k, n in _rows(
            f"SELECT i.year, a.action_line_id, COUNT(*) FROM {T_INIT} i JOIN {T_IAL} a ON a.initiative_id = i.id "
            f"WHERE {where} GROUP BY i.year, a.action_line_id", params)},
        "stakeholder": {(y, k): n for y, k, n in _rows(
            f"SELECT i.year, o.stakeholder_type_id, COUNT(*) FROM {T_INIT} i JOIN {T_ORG} o ON o.id = i.organisation_id "
            f"WHERE {where} GROUP BY i.year, o.stakeholder_type_id", params)},
        "region": {(y, k): n for y, k, n in _rows(
            f"SELECT i.year, c.region_id, COUNT(DISTINCT i.id) FROM {T_INIT} i JOIN {T_IC} ic ON ic.initiative_id = i.id "
            f"JOIN {T_COUNTRY} c ON c.id = ic.country_id WHERE {where} AND c.region_id IS NOT NULL "
            f"GROUP BY i.year, c.region_id", params)},
        "total": dict(_rows(f"SELECT i.year, COUNT(*) FROM {T_INIT} i WHERE {where} GROUP BY i.year", params)),
    }


def target_counts_sql(f: InitiativeFilters) -> dict[int, int]:
    """{target id: published initiatives tagged with it} for the slice."""
    where, params = _where(f)
    return dict(_rows(f"SELECT t.target_id, COUNT(*) FROM {T_INIT} i JOIN {T_IT} t ON t.initiative_id = i.id "
                      f"WHERE {where} GROUP BY t.target_id", params))


def target_reach_sql(f: InitiativeFilters) -> dict[int, int]:
    """{target id: UN member states of the slice with at least one published initiative on it}."""
    where, params = _where(f)
    cc, cp = _country_conds(f)
    extra = "".join(f" AND {c}" for c in cc)
    return dict(_rows(
        f"SELECT t.target_id, COUNT(DISTINCT c.id) FROM {T_INIT} i JOIN {T_IT} t ON t.initiative_id = i.id "
        f"JOIN {T_IC} ic ON ic.initiative_id = i.id JOIN {T_COUNTRY} c ON c.id = ic.country_id "
        f"WHERE {where} AND c.is_un_member = %s{extra} GROUP BY t.target_id", [*params, True, *cp]))
