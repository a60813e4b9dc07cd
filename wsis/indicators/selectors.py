"""Reads of the indicators app: the catalogue, series, comparisons, group aggregates and divide measures.

Every function here is what a view, the API, a page section or a chart calls; none writes. Queries
are bounded: one query fetches the observations a computation needs, and Python does the rest
(a series has at most a few tens of thousands of rows).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from wsis.stocktaking.models import Initiative
from wsis.taxonomy.models import (
    CommissionMembership,
    Country,
    CountryGroup,
    Goal,
    Region,
    RegionalCommission,
    WSISTarget,
)

from .aggregates import POPULATION_CODE, Aggregate, aggregate
from .breaks import SeriesBreak, detect_breaks
from .models import TOTAL, Area, Indicator, Observation, Sex, WSISTargetIndicator

__all__ = [
    "world_series",
    "AFFORDABILITY_CODE",
    "AFFORDABILITY_TARGET",
    "GENDER_CODE",
    "HEADLINE_CODE",
    "GroupDef",
    "indicator_list",
    "indicator_find",
    "indicator_get",
    "observation_list",
    "country_series",
    "latest_by_country",
    "default_year",
    "group_definitions",
    "group_get",
    "group_comparison",
    "group_series",
    "published_aggregates",
    "population_for",
    "gender_gap",
    "area_gap",
    "affordability",
    "initiative_counts",
    "need_vs_activity",
    "wsis_target_status",
    "country_profile",
    "commission_profile",
    "goal_indicators",
    "Comparison",
    "sort_country_values",
    "recent_since",
    "RECENT_YEARS",
    "has_population_series",
    "series_breaks",
    "breaks_by_country",
    "country_values",
    "internet_gender_divide",
    "GenderDivide",
]

HEADLINE_CODE = "IT.NET.USER.ZS"
INTERNET_GENDER_CODE = HEADLINE_CODE  # Internet use by sex: the female and male rows of the headline series
GENDER_CODE = "ITU.MOBILE.OWN"
AFFORDABILITY_CODE = "A4AI.COST.1GB"
AFFORDABILITY_TARGET = 2.0  # Broadband Commission: 1 GB for at most 2 % of monthly GNI per capita
COMPARISON_GROUPS = ["WLD", "LDC", "LLDC", "SIDS"]
RECENT_YEARS = 5  # rankings leave out values older than this before the indicator's well-covered year

_TOTALS = Q(sex=Sex.TOTAL, area=Area.TOTAL, age=TOTAL)


# --------------------------------------------------------------------------------------------- catalogue

def indicator_list() -> QuerySet[Indicator]:
    """The catalogue with, per indicator, how many countries report and the years covered.

    Correlated subqueries (one index scan per indicator) rather than a join grouped by every column
    of the indicator: the join over all observations was most of the catalogue page's time.
    """
    rows = Observation.objects.filter(indicator=OuterRef("pk"), country__isnull=False).order_by().values("indicator")
    return Indicator.objects.select_related("sdg_indicator").annotate(
        country_count=Coalesce(Subquery(rows.annotate(n=Count("country", distinct=True)).values("n")), 0),
        first_year=Subquery(rows.annotate(y=Min("year")).values("y")),
        last_year=Subquery(rows.annotate(y=Max("year")).values("y")),
    ).order_by("order", "code")


def indicator_get(*, code: str) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("sdg_indicator__target__goal"), code=code)


def indicator_find(code: str | None) -> Indicator | None:
    """The indicator of that code, or None (pages that work without one, e.g. before any data is loaded)."""
    return Indicator.objects.filter(code=code).first() if code else None


def observation_list(*, indicator: Indicator, country: str = "", group: str = "", aggregate_code: str = "",
                     year_from: int | None = None, year_to: int | None = None) -> QuerySet[Observation]:
    """Observations of one indicator, filtered by country (ISO3), group (the member countries of a platform
    group: WLD, LDC, LLDC, SIDS, a commission, ``M49-002``), published aggregate (its code) and year range;
    every disaggregation included. An unknown group matches nothing."""
    qs = Observation.objects.filter(indicator=indicator).select_related("country")
    if country:
        qs = qs.filter(country__iso3=country.upper())
    if group:
        definition = group_get(group)
        qs = qs.filter(country_id__in=definition.members if definition else [])
    if aggregate_code:
        qs = qs.filter(country__isnull=True, group_code=aggregate_code)
    if year_from:
        qs = qs.filter(year__gte=year_from)
    if year_to:
        qs = qs.filter(year__lte=year_to)
    return qs.order_by("country__iso3", "group_code", "year", "sex", "area", "age")


# ------------------------------------------------------------------------------------------------ series

@dataclass
class CountryValue:
    """A country's value of an indicator in a year."""

    country: Country
    year: int
    value: float


def _country_values(indicator: Indicator, *, extra: Q | None = None) -> list[tuple[int, int, float]]:
    """(country id, year, value) of every undisaggregated country observation."""
    qs = Observation.objects.filter(_TOTALS, indicator=indicator, country__isnull=False)
    if extra is not None:
        qs = qs.filter(extra)
    return list(qs.values_list("country_id", "year", "value"))


def country_series(*, indicator: Indicator, country: Country) -> list[tuple[int, float]]:
    """(year, value) of one country, oldest first."""
    return list(Observation.objects.filter(_TOTALS, indicator=indicator, country=country)
                .order_by("year").values_list("year", "value"))


def world_series(*, indicator: Indicator) -> list[tuple[int, float]]:
    """(year, value) of the world aggregate the source published (group code WLD), oldest first."""
    return list(Observation.objects.filter(_TOTALS, indicator=indicator, country__isnull=True, group_code="WLD")
                .order_by("year").values_list("year", "value"))


def _break_options(indicator: Indicator) -> dict:
    # Counts (people, subscriptions) have no meaningful absolute step: the share of the top value decides.
    return {"min_step": 0.0} if indicator.unit == Indicator.Unit.COUNT else {}


def series_breaks(*, indicator: Indicator, country: Country,
                  series: list[tuple[int, float]] | None = None) -> list[SeriesBreak]:
    """Sudden breaks in one country's series (``breaks.detect_breaks``), oldest first."""
    series = series if series is not None else country_series(indicator=indicator, country=country)
    return detect_breaks(series, **_break_options(indicator))


def country_values(*, indicator: Indicator) -> list[tuple[int, int, float]]:
    """(country id, year, value) of every undisaggregated country value: read once, passed to the others."""
    return _country_values(indicator)


def breaks_by_country(*, indicator: Indicator, since: int | None = None,
                      values: list[tuple[int, int, float]] | None = None) -> dict[int, list[SeriesBreak]]:
    """Country id → the breaks of its series (only those ending in ``since`` or later, if given)."""
    per: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for cid, year, value in (values if values is not None else _country_values(indicator)):
        per[cid].append((year, value))
    out = {}
    for cid, points in per.items():
        found = [b for b in detect_breaks(points, **_break_options(indicator)) if since is None or b.year >= since]
        if found:
            out[cid] = found
    return out


def _countries(ids) -> dict[int, Country]:
    return {c.pk: c for c in Country.objects.filter(pk__in=set(ids)).only(
        "id", "iso3", "iso2", "m49", "ldc", "lldc", "sids", *[f"name_{s}" for s in ("en", "fr", "es", "ru", "ar",
                                                                                      "zh_hans")])}


def latest_by_country(*, indicator: Indicator, members: set[int] | None = None,
                      since: int | None = None, values: list[tuple[int, int, float]] | None = None) -> list[CountryValue]:
    """Each country's most recent value (optionally only from ``since`` on), by country name."""
    latest: dict[int, tuple[int, float]] = {}
    if values is None:
        values = _country_values(indicator, extra=Q(year__gte=since) if since else None)
    elif since:
        values = [v for v in values if v[1] >= since]
    for cid, year, value in values:
        if members is not None and cid not in members:
            continue
        if cid not in latest or year > latest[cid][0]:
            latest[cid] = (year, value)
    countries = _countries(latest)
    rows = [CountryValue(countries[cid], year, value) for cid, (year, value) in latest.items()]
    return sorted(rows, key=lambda r: r.country.name)


def default_year(*, indicator: Indicator, values: list[tuple[int, int, float]] | None = None) -> int | None:
    """The latest year in which at least 80 % of the best-covered year's countries report.

    The newest year is often thin (59 countries for Internet use in 2023 against 192 in 2020), and a
    group value over a handful of early reporters would mislead.
    """
    values = values if values is not None else _country_values(indicator)
    per_year: dict[int, int] = defaultdict(int)
    for _cid, year, _v in values:
        per_year[year] += 1
    if not per_year:
        return None
    best = max(per_year.values())
    return max(y for y, n in per_year.items() if n >= 0.8 * best)


def recent_since(*, indicator: Indicator) -> int | None:
    """The oldest year a ranking still uses: a 1995 zero for a territory must not pass for today's need."""
    year = default_year(indicator=indicator)
    return year - RECENT_YEARS if year else None


# ------------------------------------------------------------------------------------------------ groups

@dataclass
class GroupDef:
    """A set of countries a value can be aggregated over: the world, LDC/LLDC/SIDS, a region, a commission."""

    code: str
    name: str
    kind: str  # world | status | region | commission
    members: set[int] = field(default_factory=set)

    @property
    def kind_label(self) -> str:
        return str({"world": _("World"), "status": _("Country group"), "region": _("UN M49 region"),
                    "commission": _("Regional commission")}[self.kind])


def group_definitions(*, kinds: tuple[str, ...] = ("world", "status", "region", "commission")) -> list[GroupDef]:
    """Every group, with member country ids (four queries)."""
    groups: list[GroupDef] = []
    country_rows = list(Country.objects.values_list("id", "region_id", "sub_region_id"))
    if "world" in kinds:
        groups.append(GroupDef("WLD", str(_("World")), "world", {cid for cid, *_r in country_rows}))
    if "status" in kinds:
        for group in CountryGroup.objects.filter(code__in=["LDC", "LLDC", "SIDS"]).prefetch_related("members"):
            groups.append(GroupDef(group.code, group.name, "status", {c.pk for c in group.members.all()}))
        groups.sort(key=lambda g: COMPARISON_GROUPS.index(g.code) if g.code in COMPARISON_GROUPS else 99)
    if "region" in kinds:
        by_region: dict[int, set[int]] = defaultdict(set)
        for cid, region_id, sub_region_id in country_rows:
            if region_id:
                by_region[region_id].add(cid)
            if sub_region_id:
                by_region[sub_region_id].add(cid)
        for region in Region.objects.filter(pk__in=by_region).order_by("level", "m49"):
            groups.append(GroupDef(f"M49-{region.m49}", region.name, "region", by_region[region.pk]))
    if "commission" in kinds:
        by_commission: dict[int, set[int]] = defaultdict(set)
        for commission_id, country_id in CommissionMembership.objects.values_list("commission_id", "country_id"):
            by_commission[commission_id].add(country_id)
        for commission in RegionalCommission.objects.order_by("code"):
            groups.append(GroupDef(commission.code, f"{commission.code} – {commission.name}", "commission",
                                   by_commission[commission.pk]))
    return groups


def group_get(code: str) -> GroupDef | None:
    code = (code or "").strip()
    if not code:
        return None
    if code.upper() == "WLD":
        return group_definitions(kinds=("world",))[0]
    if code.upper() in {"LDC", "LLDC", "SIDS"}:
        return next((g for g in group_definitions(kinds=("status",)) if g.code == code.upper()), None)
    if code.upper().startswith("M49-"):
        return next((g for g in group_definitions(kinds=("region",)) if g.code == code.upper()), None)
    return next((g for g in group_definitions(kinds=("commission",)) if g.code == code.upper()), None)


def population_for(*, year: int, country_ids: set[int] | None = None, window: int = 5) -> dict[int, float]:
    """People per country in ``year`` (or the nearest earlier year within ``window``) from the population
    series, if one is loaded; empty otherwise."""
    population = Indicator.objects.filter(code=POPULATION_CODE).values_list("pk", flat=True).first()
    if population is None:
        return {}
    qs = Observation.objects.filter(_TOTALS, indicator_id=population, country__isnull=False,
                                    year__lte=year, year__gte=year - window)
    if country_ids is not None:
        qs = qs.filter(country_id__in=country_ids)
    best: dict[int, tuple[int, float]] = {}
    for cid, y, v in qs.values_list("country_id", "year", "value"):
        if cid not in best or y > best[cid][0]:
            best[cid] = (y, v)
    return {cid: v for cid, (_y, v) in best.items()}


def has_population_series() -> bool:
    # Two indexed lookups: a join on the code made the planner scan every observation. Not ``exists()``:
    # for ``LIMIT 1`` without an order PostgreSQL expects an early hit and scans the table, and the
    # population rows, loaded last, are at its end (bench/plans.py flagged it). Ordered by the
    # (indicator, year) index, the first row is one index probe.
    population = Indicator.objects.filter(code=POPULATION_CODE).values_list("pk", flat=True).first()
    return population is not None and (Observation.objects.filter(indicator_id=population)
                                       .order_by("indicator_id", "year").values_list("pk", flat=True).first()) is not None


@dataclass
class GroupRow:
    """A group's aggregate in a year, and the source's own published value for the same group if any."""

    group: GroupDef
    aggregate: Aggregate
    published: float | None = None
    published_name: str = ""


# Aggregates the sources publish that correspond to our groups.
PUBLISHED_EQUIVALENTS = {"WLD": "WLD", "LDC": "SRC-LDC"}


def published_aggregates(*, indicator: Indicator, year: int | None = None) -> dict[str, tuple[str, float]]:
    """Published aggregate values of one year: group code → (name as published, value)."""
    qs = Observation.objects.filter(_TOTALS, indicator=indicator, country__isnull=True)
    if year is not None:
        qs = qs.filter(year=year)
    return {code: (name, value) for code, name, value in qs.values_list("group_code", "group_name", "value")}


def group_comparison(*, indicator: Indicator, year: int | None = None,
                     kinds: tuple[str, ...] = ("world", "status", "region", "commission")) -> tuple[int | None, list[GroupRow]]:
    """Each group's aggregate for ``year`` (default: :func:`default_year`), with the method stated."""
    values = _country_values(indicator)
    year = year or default_year(indicator=indicator, values=values)
    if year is None:
        return None, []
    in_year = {cid: v for cid, y, v in values if y == year}
    population = population_for(year=year, country_ids=set(in_year)) if indicator.aggregation == "share" else {}
    published = published_aggregates(indicator=indicator, year=year)
    rows = []
    for group in group_definitions(kinds=kinds):
        agg = aggregate(in_year, members=group.members, aggregation=indicator.aggregation, population=population,
                        year=year)
        pub = published.get(PUBLISHED_EQUIVALENTS.get(group.code, "\x00"))
        rows.append(GroupRow(group, agg, pub[1] if pub else None, pub[0] if pub else ""))
    return year, rows


def group_series(*, indicator: Indicator, codes: list[str] = COMPARISON_GROUPS,
                 min_year: int | None = None) -> tuple[list[GroupDef], dict[int, dict[str, Aggregate]]]:
    """Year → group code → aggregate, for the time series of a few groups."""
    groups = [g for g in group_definitions(kinds=("world", "status")) if g.code in codes]
    by_year: dict[int, dict[int, float]] = defaultdict(dict)
    for cid, year, value in _country_values(indicator, extra=Q(year__gte=min_year) if min_year else None):
        by_year[year][cid] = value
    population = {}
    if indicator.aggregation == "share" and has_population_series():
        population = {y: population_for(year=y) for y in by_year}
    series = {
        year: {g.code: aggregate(vals, members=g.members, aggregation=indicator.aggregation,
                                 population=population.get(year), year=year) for g in groups}
        for year, vals in sorted(by_year.items())
    }
    return groups, series


# ----------------------------------------------------------------------------------------- divide measures

@dataclass
class GapRow:
    """A country's gap between two disaggregated values in its latest year with both."""

    country: Country
    year: int
    first: float
    second: float

    @property
    def gap(self) -> float:
        return self.first - self.second


def _gap(indicator: Indicator | None, field_name: str, first: str, second: str) -> list[GapRow]:
    if indicator is None:
        return []
    filters = {"sex": Sex.TOTAL, "area": Area.TOTAL, "age": TOTAL}
    filters.pop(field_name)
    qs = Observation.objects.filter(indicator=indicator, country__isnull=False, **filters,
                                    **{f"{field_name}__in": [first, second]})
    per: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for cid, year, dim, value in qs.values_list("country_id", "year", field_name, "value"):
        per[(cid, year)][dim] = value
    latest: dict[int, tuple[int, float, float]] = {}
    for (cid, year), vals in per.items():
        if first in vals and second in vals and (cid not in latest or year > latest[cid][0]):
            latest[cid] = (year, vals[first], vals[second])
    countries = _countries(latest)
    rows = [GapRow(countries[cid], y, a, b) for cid, (y, a, b) in latest.items()]
    return sorted(rows, key=lambda r: (-r.gap, r.country.name))


@dataclass
class GenderGroupRow:
    """A group's share of women and of men using the Internet, from the same reporting countries."""

    group: GroupDef
    women: Aggregate
    men: Aggregate

    @property
    def gap(self) -> float | None:
        if self.women.value is None or self.men.value is None:
            return None
        return self.men.value - self.women.value

    @property
    def parity(self) -> float | None:
        """Women's share over men's (the ITU gender parity score; 1 is parity)."""
        if not self.men.value or self.women.value is None:
            return None
        return self.women.value / self.men.value


@dataclass
class GenderDivide:
    indicator: Indicator | None
    countries: list[GapRow]  # first = men, second = women (gap = men minus women), latest year with both
    groups: list[GenderGroupRow]
    since: int | None = None
    latest: int | None = None


def internet_gender_divide(*, kinds: tuple[str, ...] = ("world", "status", "commission")) -> GenderDivide:
    """Women and men using the Internet: each country's latest year with both, and group values.

    Group values combine each member's latest pair from the last ``RECENT_YEARS`` years before the
    newest year, weighted by the country's total population in its year (no population series by sex
    is shipped, so this is stated as the method); women's and men's values come from the same
    countries, so the two are comparable.
    """
    indicator = Indicator.objects.filter(code=INTERNET_GENDER_CODE).first()
    rows = _gap(indicator, "sex", Sex.MALE, Sex.FEMALE) if indicator else []
    if not rows:
        return GenderDivide(indicator, [], [])
    latest = max(r.year for r in rows)
    since = latest - RECENT_YEARS
    recent = [r for r in rows if r.year >= since]
    population = {}
    if has_population_series():
        for year in {r.year for r in recent}:
            ids = {r.country.pk for r in recent if r.year == year}
            population.update(population_for(year=year, country_ids=ids))
    women = {r.country.pk: r.second for r in recent}
    men = {r.country.pk: r.first for r in recent}
    groups = []
    for group in group_definitions(kinds=kinds):
        w = aggregate(women, members=group.members, aggregation="share", population=population)
        m = aggregate(men, members=group.members, aggregation="share", population=population)
        groups.append(GenderGroupRow(group, w, m))
    return GenderDivide(indicator, rows, groups, since, latest)  # widest gap against women first


def gender_gap(*, indicator: Indicator | None = None) -> list[GapRow]:
    """Men minus women, in percentage points (mobile-phone ownership by default), largest gap first."""
    indicator = indicator or Indicator.objects.filter(code=GENDER_CODE).first()
    return _gap(indicator, "sex", Sex.MALE, Sex.FEMALE)


def area_gap(*, indicator: Indicator | None = None) -> tuple[Indicator | None, list[GapRow]]:
    """Urban minus rural, in percentage points, for the first indicator that has urban and rural data."""
    if indicator is None:
        code = (Observation.objects.filter(area=Area.RURAL).order_by("indicator__order")
                .values_list("indicator__code", flat=True).first())
        indicator = Indicator.objects.filter(code=code).first() if code else None
    return indicator, _gap(indicator, "area", Area.URBAN, Area.RURAL)


@dataclass
class AffordabilityRow:
    country: Country
    year: int
    value: float
    target: float

    @property
    def meets_target(self) -> bool:
        return self.value <= self.target

    @property
    def times_target(self) -> float:
        return self.value / self.target


def affordability(*, target: float = AFFORDABILITY_TARGET) -> tuple[Indicator | None, list[AffordabilityRow]]:
    """Cost of 1 GB of mobile data against the 2 % target, most expensive first."""
    indicator = Indicator.objects.filter(code=AFFORDABILITY_CODE).first()
    if indicator is None:
        return None, []
    rows = [AffordabilityRow(r.country, r.year, r.value, target) for r in latest_by_country(indicator=indicator)]
    return indicator, sorted(rows, key=lambda r: (-r.value, r.country.name))


# ------------------------------------------------------------------------------------ need versus activity

def initiative_counts(*, action_line: str = "") -> dict[int, int]:
    """Published initiatives per country (country id → count), optionally for one action line (code)."""
    qs = Initiative.objects.filter(state=Initiative.State.PUBLISHED)
    if action_line:
        qs = qs.filter(action_line_tags__action_line__code=action_line)
    rows = (qs.filter(countries__isnull=False).values("countries")
            .annotate(n=Count("id", distinct=True)).values_list("countries", "n"))
    return dict(rows)


@dataclass
class NeedRow:
    """A country's need (its indicator value) beside its activity (published initiatives)."""

    rank: int
    country: Country
    year: int
    value: float
    initiatives: int
    population: float | None = None
    under_served: bool = False

    @property
    def per_million(self) -> float | None:
        if not self.population:
            return None
        return self.initiatives / (self.population / 1_000_000)

    @property
    def activity(self) -> float:
        return self.per_million if self.per_million is not None else float(self.initiatives)


@dataclass
class NeedTable:
    indicator: Indicator
    rows: list[NeedRow]
    per_million: bool
    median_value: float | None
    median_activity: float | None
    since: int | None = None


def need_vs_activity(*, indicator: Indicator, group: str = "", action_line: str = "",
                     since: int | None = None) -> NeedTable:
    """Countries ranked from most to least need by ``indicator`` (latest value each), beside their published
    initiatives — per million people when a population series covers them all, else per country.

    A country is *under-served* when its need is above the median of the listed countries and its activity
    is at or below the median activity. Values older than ``since`` (default: :func:`recent_since`) are
    left out.
    """
    since = since if since is not None else recent_since(indicator=indicator)
    definition = group_get(group) if group else None
    members = definition.members if definition else None
    latest = latest_by_country(indicator=indicator, members=members, since=since)
    counts = initiative_counts(action_line=action_line)
    population = {}
    if latest and has_population_series():
        population = population_for(year=max(r.year for r in latest), country_ids={r.country.pk for r in latest},
                                    window=10)
    per_million = bool(latest) and all(population.get(r.country.pk) for r in latest)
    # Most need first: the lowest value where higher is better, the highest where it is worse.
    ordered = sorted(latest, key=lambda r: (r.value if indicator.higher_is_better else -r.value, r.country.name))
    rows = [NeedRow(i, r.country, r.year, r.value, counts.get(r.country.pk, 0),
                    population.get(r.country.pk) if per_million else None)
            for i, r in enumerate(ordered, start=1)]
    median_value = statistics.median(r.value for r in rows) if rows else None
    median_activity = statistics.median(r.activity for r in rows) if rows else None
    for row in rows:
        needier = row.value < median_value if indicator.higher_is_better else row.value > median_value
        row.under_served = needier and row.activity <= median_activity
    return NeedTable(indicator, rows, per_million, median_value, median_activity, since)


# --------------------------------------------------------------------------------------------- WSIS targets

@dataclass
class TargetLinkStatus:
    link: WSISTargetIndicator
    status: str  # met | not_met | monitored | no_data
    value: float | None = None
    year: int | None = None
    basis: str = ""

    @property
    def status_label(self) -> str:
        return str({"met": _("Met"), "not_met": _("Not met"), "monitored": _("Monitored (no threshold)"),
                    "no_data": _("No data")}[self.status])


@dataclass
class TargetStatus:
    target: WSISTarget
    links: list[TargetLinkStatus]


def _world_value(indicator: Indicator) -> tuple[float | None, int | None, str]:
    published = (Observation.objects.filter(_TOTALS, indicator=indicator, group_code="WLD")
                 .order_by("-year").values_list("year", "value").first())
    if published:
        return published[1], published[0], str(_("world value published by the source"))
    year, rows = group_comparison(indicator=indicator, kinds=("world",))
    if not rows or rows[0].aggregate.value is None:
        return None, None, ""
    return rows[0].aggregate.value, year, rows[0].aggregate.description


def wsis_target_status() -> list[TargetStatus]:
    """The ten WSIS targets, each with its indicators and, where data and a threshold exist, met or not."""
    links = defaultdict(list)
    for link in WSISTargetIndicator.objects.select_related("indicator"):
        links[link.wsis_target_id].append(link)
    out = []
    for target in WSISTarget.objects.order_by("number"):
        statuses = []
        for link in links.get(target.pk, []):
            if link.scope == WSISTargetIndicator.Scope.ALL_COUNTRIES:
                latest = latest_by_country(indicator=link.indicator)
                if not latest:
                    statuses.append(TargetLinkStatus(link, "no_data"))
                    continue
                lowest = min(latest, key=lambda r: r.value)
                status = "monitored" if link.threshold is None else (
                    "met" if lowest.value >= link.threshold else "not_met")
                statuses.append(TargetLinkStatus(link, status, lowest.value, lowest.year,
                                                 str(_("lowest latest value of any reporting country"))))
                continue
            value, year, basis = _world_value(link.indicator)
            if value is None:
                statuses.append(TargetLinkStatus(link, "no_data"))
                continue
            status = "monitored" if link.threshold is None else ("met" if value >= link.threshold else "not_met")
            statuses.append(TargetLinkStatus(link, status, value, year, basis))
        out.append(TargetStatus(target, statuses))
    return out


# ------------------------------------------------------------------------------------------ page sections

@dataclass
class Comparison:
    """A value to compare a country with: a group's aggregate, or the world value the source publishes."""

    name: str
    value: float | None
    description: str


@dataclass
class ProfileRow:
    """A country's latest value of an indicator beside its groups' values for the same year."""

    indicator: Indicator
    year: int
    value: float
    comparisons: list[Comparison]
    breaks: list[SeriesBreak] = field(default_factory=list)  # sudden breaks in the last RECENT_YEARS years
    women: tuple[int, float, float] | None = None  # (year, women %, men %) where the series has them


def country_profile(*, country: Country) -> list[ProfileRow]:
    """Latest value of every indicator for a country, compared with the world and its LDC/LLDC/SIDS groups
    in the same year. The world is the value the source publishes where there is one (weighted by
    population), else computed with its method stated (three queries plus the group definitions)."""
    latest: dict[int, tuple[int, float]] = {}
    points: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for ind_id, year, value in Observation.objects.filter(_TOTALS, country=country).values_list(
            "indicator_id", "year", "value"):
        points[ind_id].append((year, value))
        if ind_id not in latest or year > latest[ind_id][0]:
            latest[ind_id] = (year, value)
    if not latest:
        return []
    by_sex: dict[int, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for ind_id, year, sex, value in Observation.objects.filter(
            country=country, area=Area.TOTAL, age=TOTAL, sex__in=[Sex.FEMALE, Sex.MALE]).values_list(
            "indicator_id", "year", "sex", "value"):
        by_sex[ind_id][year][sex] = value
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in=latest)}
    pairs = Q()
    for ind_id, (year, _v) in latest.items():
        pairs |= Q(indicator_id=ind_id, year=year)
    peers: dict[int, dict[int, float]] = defaultdict(dict)
    published_world: dict[int, float] = {}
    for ind_id, cid, value in Observation.objects.filter(_TOTALS).filter(pairs).filter(
            Q(country__isnull=False) | Q(group_code="WLD")).values_list("indicator_id", "country_id", "value"):
        if cid is None:
            published_world[ind_id] = value
        else:
            peers[ind_id][cid] = value
    groups = [g for g in group_definitions(kinds=("world", "status")) if g.code == "WLD" or country.pk in g.members]
    weighted = has_population_series()
    rows = []
    for ind_id, (year, value) in latest.items():
        indicator = indicators[ind_id]
        population = (population_for(year=year, country_ids=set(peers[ind_id]))
                      if indicator.aggregation == "share" and weighted else {})
        comparisons = []
        for group in groups:
            if group.code == "WLD" and ind_id in published_world:
                comparisons.append(Comparison(group.name, published_world[ind_id],
                                              str(_("World value published by the source"))))
                continue
            agg = aggregate(peers[ind_id], members=group.members, aggregation=indicator.aggregation,
                            population=population, year=year)
            comparisons.append(Comparison(group.name, agg.value, agg.description))
        breaks = [b for b in detect_breaks(points[ind_id], **_break_options(indicator))
                  if b.year >= year - RECENT_YEARS]
        pairs = [(y, v[Sex.FEMALE], v[Sex.MALE]) for y, v in by_sex.get(ind_id, {}).items()
                 if Sex.FEMALE in v and Sex.MALE in v]
        rows.append(ProfileRow(indicator, year, value, comparisons, breaks, max(pairs) if pairs else None))
    return sorted(rows, key=lambda r: (r.indicator.order, r.indicator.code))


def commission_profile(*, commission: RegionalCommission, code: str = HEADLINE_CODE) -> tuple[
        Indicator | None, int | None, GroupRow | None, list[CountryValue]]:
    """The headline indicator for a commission's members: their aggregate and each member's latest value."""
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        return None, None, None, []
    year, rows = group_comparison(indicator=indicator, kinds=("commission",))
    row = next((r for r in rows if r.group.code == commission.code), None)
    members = row.group.members if row else set()
    latest = latest_by_country(indicator=indicator, members=members, since=year - RECENT_YEARS if year else None)
    return indicator, year, row, sorted(latest, key=lambda r: r.value)


def goal_indicators(*, goal: Goal) -> list[Indicator]:
    """Catalogue indicators measuring an SDG indicator of this goal."""
    return list(indicator_list().filter(sdg_indicator__target__goal=goal))


def sort_country_values(rows: list[CountryValue], sort: str) -> list[CountryValue]:
    """Sort a comparison table by ``name``, ``value``, ``year`` (prefix ``-`` for descending)."""
    key = sort.lstrip("-")
    reverse = sort.startswith("-")
    if key == "value":
        return sorted(rows, key=lambda r: r.value, reverse=reverse)
    if key == "year":
        return sorted(rows, key=lambda r: (r.year, r.country.name), reverse=reverse)
    return sorted(rows, key=lambda r: r.country.name, reverse=reverse)

