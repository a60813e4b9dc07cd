"""Reads behind every analytics page and API: the coverage matrix, gaps, trends and profiles.

All counts are of **published** initiatives and are counts of distinct initiatives. They come from
``CoverageFact`` (see its docstring): one ``GROUP BY`` gives cells and totals at once. The filters
are the one initiative filter set (``wsis.stocktaking.filters.InitiativeFilters``), read by the same
parser as the stocktaking search and meaning the same everywhere: region / commission / country /
country group select countries (all conditions on the *same* country; several groups mean a country
in any of them, ``taxonomy.selectors.countries_in_groups``); an initiative matches when at least one
of its countries is selected, and global initiatives (no country) only when no country condition is
set. Stakeholder type is the registering organisation's; target group one of the initiative's groups;
kind, status and gender marker its own; the year range bounds the initiative's start year.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from wsis.core.cache import cached
from wsis.stocktaking.filters import InitiativeFilters, initiative_q
from wsis.stocktaking.models import Initiative, InitiativeTarget
from wsis.stocktaking.search import matching_ids
from wsis.taxonomy.models import (
    ActionLine,
    Country,
    CountryGroup,
    Goal,
    MatrixLink,
    MatrixVersion,
    Region,
    RegionalCommission,
    StakeholderType,
    Target,
)
from wsis.taxonomy.selectors import countries_matching, matrix_version_current

from .models import CoverageFact

__all__ = [
    "coverage_matrix",
    "coverage_cell",
    "action_line_coverage",
    "gap_finder",
    "trends",
    "area_profile",
    "area_summary",
    "country_profile",
    "facilitator_dashboard",
    "facts_for",
    "initiatives_for",
    "search_url",
    "commission_get",
    "region_get",
    "FIRST_YEAR",
]

FIRST_YEAR = 2003  # the Geneva phase of WSIS; nothing in the registry is older
PUBLISHED = Initiative.State.PUBLISHED


# ---------------------------------------------------------------------------------------------
# Filters


def _country_queryset(f: InitiativeFilters) -> QuerySet[Country]:
    """The countries the geographic filters select (all countries when there is none)."""
    countries = countries_matching(iso3=f.country, region=f.region, commission=f.commission, group=f.group)
    return Country.objects.all() if countries is None else countries


def _filter_q(f: InitiativeFilters, *, id_field: str = "id") -> Q:
    """The filters as a ``Q`` on Initiative (``id_field`` "id") or CoverageFact ("initiative_id"), which
    carries the initiative's kind, status, year, gender marker and organisation."""
    q = initiative_q(f, id_field=id_field)
    if f.q:  # the text query means what it means in the search (ranked full text on PostgreSQL)
        q &= Q(**{f"{id_field}__in": matching_ids(InitiativeFilters(q=f.q))})
    return q


def facts_for(f: InitiativeFilters) -> QuerySet[CoverageFact]:
    """Coverage rows of the initiatives matching ``f`` (published ones only, by construction)."""
    return CoverageFact.objects.filter(_filter_q(f, id_field="initiative_id"))


def _rollup_ids(f: InitiativeFilters) -> QuerySet:
    """Ids of the published initiatives matching ``f``, from the one roll-up row each has."""
    return facts_for(f).filter(action_line__isnull=True, goal__isnull=True).values("initiative_id")


def initiatives_for(f: InitiativeFilters) -> QuerySet[Initiative]:
    """Published initiatives matching ``f`` (the live registry table)."""
    return Initiative.objects.filter(Q(state=PUBLISHED) & _filter_q(f))


def search_url(f: InitiativeFilters, **extra) -> str:
    """The stocktaking search listing the initiatives behind a number: the same filters, the same spelling."""
    query = f.query(**extra)
    base = reverse("stocktaking:search")
    return f"{base}?{query}" if query else base


def _names(queryset, key="pk") -> dict:
    return {getattr(obj, key): obj for obj in queryset}


# ---------------------------------------------------------------------------------------------
# The coverage matrix


@dataclass
class CoverageCell:
    action_line: ActionLine
    goal: Goal
    count: int
    linked: bool
    targets: list[str]
    url: str = ""
    level: int = 0

    @property
    def state(self) -> str:
        """``gap`` (Matrix link, no initiative), ``unlinked`` (initiatives, no Matrix link), ``covered`` or ``empty``."""
        if self.linked:
            return "covered" if self.count else "gap"
        return "unlinked" if self.count else "empty"


@dataclass
class CoverageMatrix:
    filters: InitiativeFilters
    version: MatrixVersion | None
    goals: list[Goal]
    rows: list[tuple[ActionLine, list[CoverageCell], int]]
    goal_totals: list[int]
    total: int
    max_count: int
    gaps: int
    unlinked: int

    @property
    def cells(self):
        for _al, cells, _total in self.rows:
            yield from cells


def _cell_counts(f: InitiativeFilters) -> dict[tuple[int | None, int | None], int]:
    """{(action line id or None, goal id or None): initiatives} — cells, row and column totals, grand total.

    Cached in the shared cache under the data generation (``wsis.core.cache``): the matrix, area
    summaries and sections of one slice share one aggregate, computed once per publication.
    """
    def build():
        rows = facts_for(f).values_list("action_line_id", "goal_id").annotate(n=Count("*")).order_by()
        return {(al, goal): n for al, goal, n in rows}

    return cached("analytics:cells", build, f.digest())


def _links(version: MatrixVersion | None) -> dict[tuple[int, int], list[str]]:
    out: dict[tuple[int, int], list[str]] = defaultdict(list)
    if version is None:
        return out
    for al_id, goal_id, code in MatrixLink.objects.filter(version=version).order_by("target__order").values_list(
        "action_line_id", "goal_id", "target__code"
    ):
        targets = out[(al_id, goal_id)]
        if code:
            targets.append(code)
    return out


def coverage_matrix(f: InitiativeFilters, *, with_urls: bool = True) -> CoverageMatrix:
    """The 18 × 17 grid of initiatives per (action line, SDG) for the slice ``f``, with gaps marked."""
    version = matrix_version_current()
    counts = _cell_counts(f)
    links = _links(version)
    action_lines = list(ActionLine.objects.filter(is_leaf=True))
    goals = list(Goal.objects.all())
    rows = []
    gaps = unlinked = max_count = 0
    # One reverse() and one urlencode for all 306 cell links, not one per cell.
    pattern = reverse("analytics:cell", args=["AL-SLUG", 99]).replace("AL-SLUG", "{slug}").replace("/99/", "/{n}/")
    suffix = "?" + f.query() if f.active else ""
    for al in action_lines:
        cells = []
        for goal in goals:
            n = counts.get((al.pk, goal.pk), 0)
            key = (al.pk, goal.pk)
            cell = CoverageCell(al, goal, n, key in links, links.get(key, []))
            if with_urls:
                cell.url = pattern.format(slug=al.slug, n=goal.number) + suffix
            gaps += cell.state == "gap"
            unlinked += cell.state == "unlinked"
            max_count = max(max_count, n)
            cells.append(cell)
        rows.append((al, cells, counts.get((al.pk, None), 0)))
    for _al, cells, _total in rows:  # shade 1–6 by share of the largest cell; 0 stays white
        for cell in cells:
            cell.level = 0 if not cell.count else 1 + min(5, int(cell.count * 5 / max_count + 0.5))
    return CoverageMatrix(
        filters=f, version=version, goals=goals, rows=rows,
        goal_totals=[counts.get((None, g.pk), 0) for g in goals], total=counts.get((None, None), 0),
        max_count=max_count, gaps=gaps, unlinked=unlinked,
    )


def action_line_coverage(action_line: ActionLine, f: InitiativeFilters | None = None) -> list[CoverageCell]:
    """One row of the matrix: the action line's initiatives per SDG, with Matrix links and gaps."""
    f = f or InitiativeFilters()
    counts = dict(facts_for(f).filter(action_line=action_line, goal__isnull=False).values_list("goal_id")
                  .annotate(n=Count("*")).order_by())
    links = _links(matrix_version_current())
    return [CoverageCell(action_line, g, counts.get(g.pk, 0), (action_line.pk, g.pk) in links,
                         links.get((action_line.pk, g.pk), [])) for g in Goal.objects.all()]


@dataclass
class TargetCount:
    target: Target
    count: int
    linked: bool
    url: str


@dataclass
class CellDetail:
    action_line: ActionLine
    goal: Goal
    count: int
    linked: bool
    targets: list[TargetCount]
    untargeted: int
    url: str


def coverage_cell(f: InitiativeFilters, *, action_line: ActionLine, goal: Goal) -> CellDetail:
    """One cell drilled down to the SDG targets: initiatives per target of ``goal`` on ``action_line``."""
    version = matrix_version_current()
    count = facts_for(f).filter(action_line=action_line, goal=goal).count()
    linked_targets = set(MatrixLink.objects.filter(version=version, action_line=action_line, goal=goal)
                         .values_list("target_id", flat=True))
    in_cell = facts_for(f).filter(action_line=action_line, goal=goal).values("initiative_id")
    per_target = dict(
        InitiativeTarget.objects.filter(initiative_id__in=in_cell, target__goal=goal)
        .values_list("target_id").annotate(n=Count("*")).order_by()
    )
    targets = [
        TargetCount(t, per_target.get(t.pk, 0), t.pk in linked_targets,
                    search_url(f, action_line=action_line.code, target=t.code))
        for t in Target.objects.filter(goal=goal)
    ]
    with_target = InitiativeTarget.objects.filter(initiative_id__in=in_cell, target__goal=goal) \
        .values("initiative_id").distinct().count()
    return CellDetail(
        action_line=action_line, goal=goal, count=count, linked=bool(linked_targets), targets=targets,
        untargeted=count - with_target, url=search_url(f, action_line=action_line.code, goal=goal.number),
    )


# ---------------------------------------------------------------------------------------------
# Gap finder


@dataclass
class Area:
    """A set of countries to compare: a UN region or a country group."""

    key: str
    label: str
    countries: int
    filters: InitiativeFilters
    short: str = ""


@dataclass
class GapRow:
    target: Target
    action_lines: list[str]
    count: int
    countries_reached: int
    per_country: float
    by_area: list[float]
    url: str


@dataclass
class GapReport:
    filters: InitiativeFilters
    countries: int
    rows: list[GapRow]
    areas: list[Area]


def _areas() -> list[Area]:
    areas = []
    regions = list(Region.objects.filter(level=Region.Level.REGION).order_by("m49"))
    per_region = Counter(Country.objects.filter(is_un_member=True).values_list("region_id", flat=True))
    for region in regions:
        areas.append(Area(f"region:{region.m49}", region.name, per_region.get(region.pk, 0),
                          InitiativeFilters(region=[region.m49]), short=region.name))
    groups = {g.code: g for g in CountryGroup.objects.filter(code__in=["LDC", "LLDC", "SIDS"])}
    flags = Country.objects.filter(is_un_member=True)
    for code in ("LDC", "LLDC", "SIDS"):
        label = groups[code].name if code in groups else code
        n = flags.filter(**{code.lower(): True}).count()
        areas.append(Area(f"group:{code}", label, n, InitiativeFilters(group=[code.lower()]), short=code))
    return areas


def gap_finder(f: InitiativeFilters, *, action_line: ActionLine | None = None, compare: bool = True) -> GapReport:
    """Targets of the current Matrix ranked by initiatives per country (fewest first) in the slice ``f``.

    "Per country" divides by the number of UN member states the country filters select (all of them
    when there is no country filter), so regions and groups of different sizes compare fairly.
    ``compare`` adds the same rate for each UN region and for the LDC, LLDC and SIDS groups.
    """
    version = matrix_version_current()
    links = MatrixLink.objects.filter(version=version, target__isnull=False)
    if action_line is not None:
        links = links.filter(action_line=action_line)
    target_lines: dict[int, list[str]] = defaultdict(list)
    for target_id, code in links.order_by("action_line__order").values_list("target_id", "action_line__code"):
        target_lines[target_id].append(code)
    targets = list(Target.objects.filter(pk__in=target_lines).select_related("goal"))

    def counts(filters: InitiativeFilters, *, reach: bool = False) -> tuple[dict[int, int], dict[int, int]]:
        # The slice's initiatives come from the coverage roll-up rows (one per published initiative,
        # attributes at hand); driving the tag query from them is 5–10 times faster than filtering
        # the tag table through the initiative table, on SQLite above all. Targets outside the
        # Matrix are dropped in Python: a target list in SQL steered SQLite onto a slow index.
        tags = InitiativeTarget.objects.filter(initiative_id__in=_rollup_ids(filters))
        per_target = {t: n for t, n in tags.values_list("target_id").annotate(n=Count("*")).order_by()
                      if t in target_lines}
        reached = {}
        if reach:
            members = list(_country_queryset(filters).filter(is_un_member=True).values_list("id", flat=True)
                           .distinct())
            reached = {t: n for t, n in tags.filter(initiative__countries__in=members).values_list("target_id")
                       .annotate(n=Count("initiative__countries", distinct=True)).order_by() if t in target_lines}
        return per_target, reached

    members = Country.objects.filter(is_un_member=True)
    n_countries = (_country_queryset(f).filter(is_un_member=True).distinct().count() if f.country_filtered
                   else members.count())
    per_target, reached = counts(f, reach=True)
    areas = _areas() if compare else []
    area_counts = [
        counts(f.replace(country=[], commission=[], region=a.filters.region, group=a.filters.group))[0]
        for a in areas
    ]
    rows = []
    for t in targets:
        n = per_target.get(t.pk, 0)
        rows.append(GapRow(
            target=t, action_lines=target_lines[t.pk], count=n, countries_reached=reached.get(t.pk, 0),
            per_country=round(n / n_countries, 2) if n_countries else 0.0,
            by_area=[round(c.get(t.pk, 0) / a.countries, 2) if a.countries else 0.0
                     for a, c in zip(areas, area_counts, strict=True)],
            url=search_url(f, target=t.code),
        ))
    rows.sort(key=lambda r: (r.per_country, r.countries_reached, r.target.goal.number, r.target.order))
    return GapReport(filters=f, countries=n_countries, rows=rows, areas=areas)


# ---------------------------------------------------------------------------------------------
# Trends


@dataclass
class TrendReport:
    filters: InitiativeFilters
    years: list[int]
    by_action_line: list[tuple[ActionLine, list[int]]]
    by_stakeholder: list[tuple[StakeholderType, list[int]]]
    by_region: list[tuple[Region, list[int]]]
    totals: list[int]


def _year_span(f: InitiativeFilters, found: set[int]) -> list[int]:
    last = dt.date.today().year
    first = f.year_from or (min(found) if found else last - 10)
    first = max(first, FIRST_YEAR)
    last = f.year_to or max(max(found) if found else last, first)
    return list(range(first, last + 1))


def trends(f: InitiativeFilters) -> TrendReport:
    """Initiatives per start year by action line, by stakeholder type and by UN region."""
    facts = facts_for(f).filter(year__isnull=False)
    al_rows = facts.filter(goal__isnull=True, action_line__isnull=False).values_list("year", "action_line_id") \
        .annotate(n=Count("*")).order_by()
    totals_rows = facts.filter(goal__isnull=True, action_line__isnull=True)
    st_rows = totals_rows.values_list("year", "organisation__stakeholder_type_id").annotate(n=Count("*")).order_by()
    region_rows = totals_rows.filter(initiative__countries__region__isnull=False).values_list(
        "year", "initiative__countries__region_id").annotate(n=Count("initiative_id", distinct=True)).order_by()
    year_totals = dict(totals_rows.values_list("year").annotate(n=Count("*")).order_by())
    years = _year_span(f, set(year_totals))

    def table(rows, objects):
        grid: dict[int, dict[int, int]] = defaultdict(dict)
        for year, key, n in rows:
            grid[key][year] = n
        return [(obj, [grid.get(obj.pk, {}).get(y, 0) for y in years]) for obj in objects]

    return TrendReport(
        filters=f, years=years,
        by_action_line=table(al_rows, ActionLine.objects.filter(is_leaf=True)),
        by_stakeholder=table(st_rows, StakeholderType.objects.all()),
        by_region=table(region_rows, Region.objects.filter(level=Region.Level.REGION).order_by("m49")),
        totals=[year_totals.get(y, 0) for y in years],
    )


# ---------------------------------------------------------------------------------------------
# Country, region and commission profiles


@dataclass
class AreaProfile:
    filters: InitiativeFilters
    total: int
    by_action_line: list[tuple[ActionLine, int]]
    by_goal: list[tuple[Goal, int]]
    by_stakeholder: list[tuple[StakeholderType, int]]
    by_year: list[tuple[int, int]]
    organisations: list[tuple[str, str, int]]
    partners: list[tuple[str, int]]
    by_country: list[tuple[Country, int]] = field(default_factory=list)


def area_summary(f: InitiativeFilters) -> AreaProfile:
    """The light part of a profile (one aggregate query): totals by action line and by SDG."""
    counts = _cell_counts(f)
    return AreaProfile(
        filters=f, total=counts.get((None, None), 0),
        by_action_line=[(al, counts.get((al.pk, None), 0)) for al in ActionLine.objects.filter(is_leaf=True)],
        by_goal=[(g, counts.get((None, g.pk), 0)) for g in Goal.objects.all()],
        by_stakeholder=[], by_year=[], organisations=[], partners=[],
    )


def area_profile(f: InitiativeFilters, *, per_country: bool = False, top: int = 10) -> AreaProfile:
    """Initiatives of a country, region or commission (given by ``f``) by action line, SDG, stakeholder
    type and year, with the organisations that registered them and the partners they name."""
    counts = _cell_counts(f)
    facts = facts_for(f)
    roll = facts.filter(action_line__isnull=True, goal__isnull=True)
    by_st = dict(roll.values_list("organisation__stakeholder_type_id").annotate(n=Count("*")).order_by())
    by_year = sorted(roll.filter(year__isnull=False).values_list("year").annotate(n=Count("*")).order_by())
    orgs = list(
        initiatives_for(f).values_list("organisation__name", "organisation__slug").annotate(n=Count("id"))
        .order_by("-n", "organisation__name")[:top]
    )
    partners: Counter = Counter()
    for text in initiatives_for(f).exclude(partners="").values_list("partners", flat=True)[:20000]:
        for line in {p.strip() for p in text.splitlines() if p.strip()}:
            partners[line] += 1
    by_country = []
    if per_country:
        through = Initiative.countries.through
        rows = dict(through.objects.filter(initiative_id__in=initiatives_for(f).values("id"),
                                           country_id__in=_country_queryset(f).values("id"))
                    .values_list("country_id").annotate(n=Count("*")).order_by())
        by_country = sorted(((c, rows.get(c.pk, 0)) for c in _country_queryset(f).distinct()),
                            key=lambda p: (-p[1], p[0].name))
    return AreaProfile(
        filters=f, total=counts.get((None, None), 0),
        by_action_line=[(al, counts.get((al.pk, None), 0)) for al in ActionLine.objects.filter(is_leaf=True)],
        by_goal=[(g, counts.get((None, g.pk), 0)) for g in Goal.objects.all()],
        by_stakeholder=[(st, by_st.get(st.pk, 0)) for st in StakeholderType.objects.all()],
        by_year=by_year, organisations=orgs,
        partners=sorted(partners.items(), key=lambda p: (-p[1], p[0]))[:top], by_country=by_country,
    )


def country_profile(iso3: str, f: InitiativeFilters | None = None) -> tuple[Country, AreaProfile]:
    country = get_object_or_404(Country, iso3=iso3.upper())
    f = (f or InitiativeFilters()).replace(country=[country.iso3], region=[], commission=[], group=[])
    return country, cached("analytics:area-profile", lambda: area_profile(f), f.digest())


# ---------------------------------------------------------------------------------------------
# Facilitator dashboard


@dataclass
class FacilitatorDashboard:
    action_line: ActionLine
    total: int
    by_goal: list[tuple[Goal, int, bool]]
    by_region: list[tuple[Region, int]]
    by_year: list[tuple[int, int]]
    recent: list[Initiative]
    links: list[MatrixLink]
    versions: list[MatrixVersion]
    search: str


def facilitator_dashboard(action_line: ActionLine, f: InitiativeFilters | None = None) -> FacilitatorDashboard:
    """What a facilitator needs about their action line: reach by SDG and region, trend, latest entries,
    and the Matrix links they maintain (with the version history)."""
    f = f or InitiativeFilters()
    version = matrix_version_current()
    facts = facts_for(f).filter(action_line=action_line)
    by_goal = dict(facts.filter(goal__isnull=False).values_list("goal_id").annotate(n=Count("*")).order_by())
    linked = set(MatrixLink.objects.filter(version=version, action_line=action_line).values_list("goal_id", flat=True))
    rows = facts.filter(goal__isnull=True)
    by_region = dict(rows.filter(initiative__countries__region__isnull=False)
                     .values_list("initiative__countries__region_id")
                     .annotate(n=Count("initiative_id", distinct=True)).order_by())
    by_year = sorted(rows.filter(year__isnull=False).values_list("year").annotate(n=Count("*")).order_by())
    recent = list(
        initiatives_for(f).filter(action_line_tags__action_line=action_line).select_related("organisation")
        .order_by("-published_at", "-id")[:10]
    )
    for initiative in recent:
        initiative.url = initiative.get_absolute_url()
    return FacilitatorDashboard(
        action_line=action_line, total=rows.count(),
        by_goal=[(g, by_goal.get(g.pk, 0), g.pk in linked) for g in Goal.objects.all()],
        by_region=[(r, by_region.get(r.pk, 0)) for r in Region.objects.filter(level=Region.Level.REGION).order_by("m49")],
        by_year=by_year, recent=recent,
        links=list(MatrixLink.objects.filter(version=version, action_line=action_line)
                   .select_related("goal", "target").order_by("goal__number", "target__order")),
        versions=list(MatrixVersion.objects.order_by("-created_at", "-id")[:8]),
        search=search_url(f, action_line=action_line.code),
    )


def commission_get(code: str) -> RegionalCommission:
    return get_object_or_404(RegionalCommission, code__iexact=code)


def region_get(m49: str) -> Region:
    return get_object_or_404(Region, m49=m49)
