"""Public read API of the analytics: coverage matrix, gaps, trends and country profiles.

Every endpoint takes the same filters as the pages (query parameters of the same names) and answers
422 naming the parameter when one is invalid.
"""

from __future__ import annotations

from functools import wraps

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from wsis.api.parser import parses_own_query
from wsis.stocktaking.api import ErrorOut, InitiativeFiltersIn, LegacyGroupsIn, filter_error, request_filters
from wsis.stocktaking.filters import InitiativeFilters
from wsis.taxonomy.models import ActionLine, Country
from wsis.taxonomy.selectors import COUNTRY_GROUPS

from . import selectors

router = Router(tags=["analytics"])


class FiltersIn(LegacyGroupsIn, InitiativeFiltersIn):
    """The one initiative filter set, plus the deprecated ``ldc``/``lldc``/``sids`` flags."""


class FiltersOut(Schema):
    """The filters applied, in the one spelling (``ldc``, ``lldc``, ``sids``: deprecated, ``group`` says it)."""

    q: str = ""
    action_line: list[str] = []
    goal: list[int] = []
    target: list[str] = []
    region: list[str] = []
    commission: list[str] = []
    country: list[str] = []
    group: list[str] = []
    ldc: bool = Field(False, json_schema_extra={"deprecated": True})
    lldc: bool = Field(False, json_schema_extra={"deprecated": True})
    sids: bool = Field(False, json_schema_extra={"deprecated": True})
    stakeholder_type: list[str] = []
    kind: list[str] = []
    status: list[str] = []
    year: list[int] = []
    year_from: int | None = None
    year_to: int | None = None
    target_group: list[str] = []
    gender_marker: list[int] = []
    organisation: str = ""
    activity: str = ""


class FilterError(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _filters(request, query: FiltersIn | None = None) -> InitiativeFilters:
    """The request's filters, read by the one parser (``query`` only documents them); FilterError if invalid."""
    parsed = request_filters(request)
    if parsed.errors:
        raise FilterError(parsed.errors)
    return parsed.filters


def _filters_out(f: InitiativeFilters) -> dict:
    out = {name: value for name, value in f.__dict__.items() if name != "sort"}
    out.update({flag: flag in f.group for flag in COUNTRY_GROUPS})
    return out


def _answer(view):
    """400 naming the parameters when the filters are invalid."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except FilterError as exc:
            return 400, filter_error(exc.errors)
    return parses_own_query(wrapper)


class NamedCount(Schema):
    code: str
    name: str
    count: int


class CellOut(Schema):
    action_line: str
    goal: int
    count: int
    linked: bool
    state: str = Field(..., description="covered, gap (linked, no initiative), unlinked (initiatives, no link), empty")
    targets_linked: list[str]


class CoverageMatrixOut(Schema):
    matrix_version: str
    filters: FiltersOut
    total: int
    gaps: int
    unlinked: int
    action_lines: list[NamedCount]
    goals: list[NamedCount]
    cells: list[CellOut]


@router.get("/analytics/matrix", response={200: CoverageMatrixOut, 400: ErrorOut}, summary="Coverage matrix: initiatives by action line and SDG")
@_answer
def matrix(request, query: Query[FiltersIn]):
    f = _filters(request, query)
    m = selectors.coverage_matrix(f, with_urls=False)
    return {
        "matrix_version": m.version.code if m.version else "", "filters": _filters_out(f), "total": m.total,
        "gaps": m.gaps, "unlinked": m.unlinked,
        "action_lines": [{"code": al.code, "name": al.name, "count": total} for al, _c, total in m.rows],
        "goals": [{"code": g.code, "name": g.short_name, "count": n} for g, n in zip(m.goals, m.goal_totals,
                                                                                      strict=True)],
        "cells": [{"action_line": c.action_line.code, "goal": c.goal.number, "count": c.count, "linked": c.linked,
                   "state": c.state, "targets_linked": c.targets} for c in m.cells],
    }


class AreaRate(Schema):
    area: str
    name: str
    countries: int
    per_country: float


class GapRowOut(Schema):
    target: str
    goal: int
    action_lines: list[str]
    count: int
    countries_reached: int
    per_country: float
    by_area: list[AreaRate]


class GapsIn(FiltersIn):
    action_line: str = Field("", description="An action-line code: only the SDG targets the Matrix links to it.")


class GapsOut(Schema):
    filters: FiltersOut
    countries: int
    targets: list[GapRowOut]


@router.get("/analytics/gaps", response={200: GapsOut, 400: ErrorOut},
            summary="Gap finder: Matrix-linked SDG targets by initiatives per country, fewest first")
@_answer
def gaps(request, query: Query[GapsIn]):
    code = request.GET.get("action_line", "")
    al = None
    if code:
        al = ActionLine.objects.filter(code=code.upper(), is_leaf=True).first()
        if al is None:
            raise FilterError({"action_line": ["Unknown action line code."]})
    # Here the action line picks the Matrix links, not the initiatives (as on the page).
    f = _filters(request, query).replace(action_line=[])
    report = selectors.gap_finder(f, action_line=al)
    return {
        "filters": _filters_out(f), "countries": report.countries,
        "targets": [{
            "target": r.target.code, "goal": r.target.goal.number, "action_lines": r.action_lines, "count": r.count,
            "countries_reached": r.countries_reached, "per_country": r.per_country,
            "by_area": [{"area": a.key, "name": a.label, "countries": a.countries, "per_country": v}
                        for a, v in zip(report.areas, r.by_area, strict=True)],
        } for r in report.rows],
    }


class SeriesOut(Schema):
    code: str
    name: str
    values: list[int]


class TrendsOut(Schema):
    filters: FiltersOut
    years: list[int]
    totals: list[int]
    by_action_line: list[SeriesOut]
    by_stakeholder_type: list[SeriesOut]
    by_region: list[SeriesOut]


@router.get("/analytics/trends", response={200: TrendsOut, 400: ErrorOut}, summary="Initiatives per start year by action line, "
            "stakeholder type and region")
@_answer
def trends(request, query: Query[FiltersIn]):
    f = _filters(request, query)
    report = selectors.trends(f)
    return {
        "filters": _filters_out(f), "years": report.years, "totals": report.totals,
        "by_action_line": [{"code": al.code, "name": al.name, "values": v} for al, v in report.by_action_line],
        "by_stakeholder_type": [{"code": st.code, "name": st.name, "values": v} for st, v in report.by_stakeholder],
        "by_region": [{"code": r.m49, "name": r.name, "values": v} for r, v in report.by_region],
    }


class YearCount(Schema):
    year: int
    count: int


class OrgCount(Schema):
    name: str
    count: int


class ProfileOut(Schema):
    country: str
    name: str
    filters: FiltersOut
    total: int
    by_action_line: list[NamedCount]
    by_goal: list[NamedCount]
    by_stakeholder_type: list[NamedCount]
    by_year: list[YearCount]
    organisations: list[OrgCount]
    partners: list[OrgCount]


@router.get("/analytics/countries/{iso3}/profile", response={200: ProfileOut, 400: ErrorOut},
            summary="A country's initiatives by action line, SDG, stakeholder type and year, with partners")
@_answer
def country_profile(request, iso3: str, query: Query[FiltersIn]):
    country = get_object_or_404(Country, iso3=iso3.upper())
    f = _filters(request, query)
    _country, p = selectors.country_profile(country.iso3, f)
    return {
        "country": country.iso3, "name": country.name, "filters": _filters_out(p.filters), "total": p.total,
        "by_action_line": [{"code": al.code, "name": al.name, "count": n} for al, n in p.by_action_line],
        "by_goal": [{"code": g.code, "name": g.short_name, "count": n} for g, n in p.by_goal],
        "by_stakeholder_type": [{"code": st.code, "name": st.name, "count": n} for st, n in p.by_stakeholder],
        "by_year": [{"year": y, "count": n} for y, n in p.by_year],
        "organisations": [{"name": name, "count": n} for name, _slug, n in p.organisations],
        "partners": [{"name": name, "count": n} for name, n in p.partners],
    }
