"""Public read API of the analytics: coverage matrix, gaps, trends and country profiles.

Every endpoint takes the same filters as the pages (query parameters of the same names) and answers
422 naming the parameter when one is invalid.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError

from wsis.taxonomy.models import ActionLine, Country

from . import selectors
from .forms import CoverageFilterForm

router = Router(tags=["analytics"])


class FiltersIn(Schema):
    region: str = Field("", description="UN M49 code of a region or sub-region, e.g. 002 (Africa)")
    commission: str = Field("", description="Regional commission code: ECA, ECE, ECLAC, ESCAP, ESCWA")
    country: str = Field("", description="ISO 3166 alpha-3 code")
    ldc: bool = Field(False, description="Only least developed countries")
    lldc: bool = Field(False, description="Only landlocked developing countries")
    sids: bool = Field(False, description="Only small island developing states")
    stakeholder_type: str = Field("", description="government, private_sector, civil_society, …")
    kind: str = Field("", description="project, programme, policy, capacity_building, event, platform, …")
    status: str = Field("", description="planned, ongoing or completed")
    year_from: int | None = Field(None, description="First start year")
    year_to: int | None = Field(None, description="Last start year")
    target_group: str = Field("", description="women_girls, youth, older_persons, disabilities, …")
    gender_marker: int | None = Field(None, description="0, 1 or 2")


class FiltersOut(Schema):
    region: str = ""
    commission: str = ""
    country: str = ""
    ldc: bool = False
    lldc: bool = False
    sids: bool = False
    stakeholder_type: str = ""
    kind: str = ""
    status: str = ""
    year_from: int | None = None
    year_to: int | None = None
    target_group: str = ""
    gender_marker: int | None = None


def _filters(request, query: FiltersIn) -> selectors.CoverageFilters:
    """Validate with the page's form so that the API and the pages accept exactly the same input."""
    data = {k: ("on" if v is True else "" if v in (None, False) else str(v)) for k, v in query.dict().items()}
    form = CoverageFilterForm({k: v for k, v in data.items() if v != ""})
    f = form.filters()
    if form.errors:
        raise NinjaValidationError([
            {"loc": ["query", name], "msg": " ".join(str(m) for m in messages), "type": "value_error"}
            for name, messages in form.errors.items()
        ])
    return f


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


class MatrixOut(Schema):
    matrix_version: str
    filters: FiltersOut
    total: int
    gaps: int
    unlinked: int
    action_lines: list[NamedCount]
    goals: list[NamedCount]
    cells: list[CellOut]


@router.get("/analytics/matrix", response=MatrixOut, summary="Coverage matrix: initiatives by action line and SDG")
def matrix(request, query: Query[FiltersIn]):
    f = _filters(request, query)
    m = selectors.coverage_matrix(f, with_urls=False)
    return {
        "matrix_version": m.version.code if m.version else "", "filters": f.__dict__, "total": m.total,
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


class GapsOut(Schema):
    filters: FiltersOut
    countries: int
    targets: list[GapRowOut]


@router.get("/analytics/gaps", response=GapsOut,
            summary="Gap finder: Matrix-linked SDG targets by initiatives per country, fewest first")
def gaps(request, query: Query[FiltersIn], action_line: str = ""):
    f = _filters(request, query)
    al = None
    if action_line:
        al = ActionLine.objects.filter(code=action_line, is_leaf=True).first()
        if al is None:
            raise NinjaValidationError([{"loc": ["query", "action_line"], "msg": "Unknown action line code.",
                                         "type": "value_error"}])
    report = selectors.gap_finder(f, action_line=al)
    return {
        "filters": f.__dict__, "countries": report.countries,
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


@router.get("/analytics/trends", response=TrendsOut, summary="Initiatives per start year by action line, "
            "stakeholder type and region")
def trends(request, query: Query[FiltersIn]):
    f = _filters(request, query)
    report = selectors.trends(f)
    return {
        "filters": f.__dict__, "years": report.years, "totals": report.totals,
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


@router.get("/analytics/countries/{iso3}/profile", response=ProfileOut,
            summary="A country's initiatives by action line, SDG, stakeholder type and year, with partners")
def country_profile(request, iso3: str, query: Query[FiltersIn]):
    country = get_object_or_404(Country, iso3=iso3.upper())
    f = _filters(request, query)
    _country, p = selectors.country_profile(country.iso3, f)
    return {
        "country": country.iso3, "name": country.name, "filters": p.filters.__dict__, "total": p.total,
        "by_action_line": [{"code": al.code, "name": al.name, "count": n} for al, n in p.by_action_line],
        "by_goal": [{"code": g.code, "name": g.short_name, "count": n} for g, n in p.by_goal],
        "by_stakeholder_type": [{"code": st.code, "name": st.name, "count": n} for st, n in p.by_stakeholder],
        "by_year": [{"year": y, "count": n} for y, n in p.by_year],
        "organisations": [{"name": name, "count": n} for name, _slug, n in p.organisations],
        "partners": [{"name": name, "count": n} for name, n in p.partners],
    }
