"""Public read API of the ICT indicators: the catalogue and the observations of each series."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from wsis.api.pagination import MAX_OFFSET

from . import selectors

router = Router(tags=["indicators"])

MAX_LIMIT = 10000


class SDGIndicatorOut(Schema):
    code: str
    title: str


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    unit_label: str
    aggregation: str
    higher_is_better: bool
    sdg_indicator: SDGIndicatorOut | None
    source: str
    vintage: str
    licence: str
    source_url: str
    country_count: int
    first_year: int | None
    last_year: int | None


class IndicatorDetailOut(IndicatorOut):
    description: str
    wsis_targets: list[int]


class ObservationOut(Schema):
    country: str | None
    aggregate_code: str | None
    aggregate_name: str | None
    year: int
    value: float
    sex: str
    area: str
    age: str
    source: str
    note: str


class ObservationPageOut(Schema):
    indicator: str
    source: str
    licence: str
    count: int
    limit: int
    offset: int
    results: list[ObservationOut]


class ObservationFilters(Schema):
    country: str = ""
    group: str = ""
    aggregate: str = ""
    year_from: int | None = None
    year_to: int | None = None
    limit: int = 1000
    offset: int = Field(0, le=MAX_OFFSET)


def _indicator_out(i) -> dict:
    return {
        "code": i.code, "name": i.name, "unit": i.unit, "unit_label": str(i.get_unit_display()),
        "aggregation": i.aggregation, "higher_is_better": i.higher_is_better,
        "sdg_indicator": {"code": i.sdg_indicator.code, "title": i.sdg_indicator.title} if i.sdg_indicator else None,
        "source": i.source, "vintage": i.vintage, "licence": i.licence, "source_url": i.source_url,
        "country_count": getattr(i, "country_count", 0) or 0, "first_year": getattr(i, "first_year", None),
        "last_year": getattr(i, "last_year", None),
    }


@router.get("/indicators", response=list[IndicatorOut], summary="The ICT indicator catalogue")
def list_indicators(request):
    return [_indicator_out(i) for i in selectors.indicator_list()]


@router.get("/indicators/{code}", response=IndicatorDetailOut, summary="One ICT indicator")
def get_indicator(request, code: str):
    indicator = selectors.indicator_list().filter(code=code).first()
    if indicator is None:
        raise HttpError(404, f"No indicator with code {code}.")
    data = _indicator_out(indicator)
    data["description"] = indicator.description
    data["wsis_targets"] = list(indicator.wsis_target_links.values_list("wsis_target__number", flat=True))
    return data


@router.get("/indicators/{code}/observations", response=ObservationPageOut,
            summary="Observations of one indicator, filtered by country, group and years")
def list_observations(request, code: str, filters: Query[ObservationFilters]):
    """``country``: ISO 3166 alpha-3. ``group``: the member countries of WLD, LDC, LLDC, SIDS, a regional
    commission (ECA…) or an M49 region (``M49-002``). ``aggregate``: an aggregate published by the source
    (``WLD`` for its world value, ``SRC-LDC``, ``high-income-countries``…)."""
    indicator = selectors.indicator_list().filter(code=code).first()
    if indicator is None:
        raise HttpError(404, f"No indicator with code {code}.")
    if not 1 <= filters.limit <= MAX_LIMIT:
        raise HttpError(422, f"limit must be between 1 and {MAX_LIMIT}.")
    if filters.offset < 0:
        raise HttpError(422, "offset must be zero or more.")
    if filters.year_from and filters.year_to and filters.year_from > filters.year_to:
        raise HttpError(422, "year_from must not be after year_to.")
    qs = selectors.observation_list(indicator=indicator, country=filters.country, group=filters.group,
                                    aggregate_code=filters.aggregate, year_from=filters.year_from, year_to=filters.year_to)
    page = qs[filters.offset: filters.offset + filters.limit]
    return {
        "indicator": indicator.code, "source": indicator.source, "licence": indicator.licence,
        "count": qs.count(), "limit": filters.limit, "offset": filters.offset,
        "results": [{
            "country": o.country.iso3 if o.country_id else None, "aggregate_code": o.group_code or None,
            "aggregate_name": o.group_name or None, "year": o.year, "value": o.value, "sex": o.sex, "area": o.area,
            "age": o.age, "source": o.source, "note": o.note,
        } for o in page],
    }


class GroupValueOut(Schema):
    code: str
    name: str
    kind: str
    year: int
    value: float | None
    method: str
    description: str
    reporting: int
    members: int
    published: float | None


@router.get("/indicators/{code}/groups", response=list[GroupValueOut],
            summary="Group values of one indicator (world, LDC, LLDC, SIDS, regions, commissions) with their method")
def list_group_values(request, code: str, year: int | None = None):
    """Each group's value in ``year`` (default: the latest year with good coverage), combined over its
    reporting member countries — population-weighted where a population series covers them, else the
    median — with the method, the number of countries reporting and the source's published value."""
    indicator = selectors.indicator_list().filter(code=code).first()
    if indicator is None:
        raise HttpError(404, f"No indicator with code {code}.")
    if year is not None and not 1900 <= year <= 2100:
        raise HttpError(422, "year must be between 1900 and 2100.")
    found_year, rows = selectors.group_comparison(indicator=indicator, year=year)
    return [{
        "code": r.group.code, "name": r.group.name, "kind": r.group.kind, "year": found_year,
        "value": r.aggregate.value, "method": r.aggregate.method, "description": r.aggregate.description,
        "reporting": r.aggregate.reporting, "members": r.aggregate.members, "published": r.published,
    } for r in rows]
