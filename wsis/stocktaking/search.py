"""The public search of the registry: published initiatives matching an :class:`InitiativeFilters`,
with facet counts.

Search works on both databases: on PostgreSQL a stored, GIN-indexed ``tsvector`` ranked with
``ts_rank``, and the facets read from the denormalised ``facet_tokens``; on SQLite a LIKE over title,
summary and description and the tag tables joined (``filters.initiative_q``). Facet counts are
computed on the filtered set and cached per filter combination until the public set changes
(``services.search_generation``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wsis.core.i18n import current_language
from wsis.taxonomy.models import (
    ActionLine,
    Country,
    Goal,
    Region,
    RegionalCommission,
    StakeholderType,
    Target,
)

from .filters import GROUP_FLAGS, SORTS, InitiativeFilters, initiative_q
from .models import (
    Initiative,
    InitiativeActionLine,
    InitiativeGoal,
    InitiativeTarget,
    InitiativeTargetGroup,
    TargetGroup,
)
from .services import SEARCH_CONFIGS, search_generation

__all__ = [
    "Facet",
    "FacetOption",
    "initiative_search",
    "initiative_facets",
    "matching_ids",
    "text_filter",
    "SORTS",
]

State = Initiative.State
CountryLink = Initiative.countries.through
FACET_CACHE_SECONDS = 600


def _cache_key(f: InitiativeFilters) -> str:
    return f"stocktaking:facets:{search_generation()}:{f.digest()}"


def text_filter(qs: QuerySet, text: str) -> QuerySet:
    if not text:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = None
        # The stored vector uses the initiative's own language; the query is parsed the six ways
        # so that stemming matches whatever language an entry is written in.
        for config in dict.fromkeys(SEARCH_CONFIGS.values()):
            part = SearchQuery(text, config=config, search_type="websearch")
            query = part if query is None else query | part
        return qs.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
    # SQLite: every word must occur in the title, the summary or the description.
    for word in text.split()[:8]:
        word = word.strip("\"'")
        if word and word.lower() not in {"and", "or", "not"}:
            qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(description__icontains=word))
    return qs


TOKEN_PREFIXES = {
    "action_line": "al", "goal": "g", "target": "t", "country": "c", "region": "r", "commission": "cm",
    "group": "grp", "stakeholder_type": "st", "kind": "k", "status": "s", "year": "y", "target_group": "tg",
    "gender_marker": "gm",
}
FACET_OF_PREFIX = {prefix: name for name, prefix in TOKEN_PREFIXES.items()}


def _uses_tokens() -> bool:
    """PostgreSQL keeps denormalised facet tokens (GIN-indexed); SQLite joins the tag tables."""
    return connection.vendor == "postgresql"


GEOGRAPHY = ("country", "region", "commission", "group")


def _filtered_by_tokens(f: InitiativeFilters, qs: QuerySet) -> QuerySet:
    """PostgreSQL: the facets from the tokens, the rest (year range, organisation) from the columns.

    The geographic facets mean "one country meeting all of them"; a token only says that *some*
    country of the initiative has the value, which is the same thing for one geographic facet only.
    With several, the countries are resolved as everywhere else (``initiative_q``).
    """
    geographic = [name for name in GEOGRAPHY if getattr(f, name)]
    token_facets = [n for n in TOKEN_PREFIXES if not (len(geographic) > 1 and n in GEOGRAPHY)]
    for name in token_facets:
        values = getattr(f, name)
        if values:
            qs = qs.filter(facet_tokens__overlap=[f"{TOKEN_PREFIXES[name]}:{v}" for v in values])
    rest = InitiativeFilters(organisation=f.organisation, year_from=f.year_from, year_to=f.year_to)
    if len(geographic) > 1:
        rest = rest.replace(**{name: getattr(f, name) for name in GEOGRAPHY})
    return qs.filter(initiative_q(rest))


def _filtered(f: InitiativeFilters, base: QuerySet | None = None) -> QuerySet:
    qs = base if base is not None else Initiative.objects.filter(state=State.PUBLISHED)
    qs = _filtered_by_tokens(f, qs) if _uses_tokens() else qs.filter(initiative_q(f))
    return text_filter(qs, f.q)


def matching_ids(f: InitiativeFilters) -> QuerySet:
    """Ids of the published initiatives matching ``f`` (text query included), as a subquery."""
    return _filtered(f).order_by().values("pk")


def _with_list_relations(qs: QuerySet) -> QuerySet:
    return qs.defer("search_vector", "facet_tokens", "description", "partners").select_related("organisation__stakeholder_type").prefetch_related(
        Prefetch("action_line_tags", queryset=InitiativeActionLine.objects.select_related("action_line")
                 .order_by("-is_primary", "action_line__order")),
        Prefetch("goal_tags", queryset=InitiativeGoal.objects.select_related("goal").order_by("goal__number")),
        Prefetch("countries", queryset=Country.objects.only("id", "iso3", *[f"name_{s}" for s in (
            "en", "fr", "es", "ru", "ar", "zh_hans")])),
    )


def initiative_search(f: InitiativeFilters, *, base: QuerySet | None = None, relations: bool = True) -> QuerySet:
    """Published initiatives matching ``f``, ordered by its sort (relevance when there is a text query)."""
    qs = _filtered(f, base)
    sort = f.effective_sort
    if sort == "relevance" and f.q and connection.vendor == "postgresql":
        qs = qs.order_by("-rank", "-published_at", "-id")
    elif sort == "oldest":
        qs = qs.order_by("published_at", "id")
    elif sort == "title":
        qs = qs.order_by("title", "id")
    else:
        qs = qs.order_by("-published_at", "-id")
    return _with_list_relations(qs) if relations else qs


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption]
    more: int = 0


def _token_counts(f: InitiativeFilters) -> dict[str, Any]:
    """PostgreSQL: every facet counted in one pass over the filtered rows' tokens."""
    inner = _filtered(f).order_by().values("facet_tokens")
    counts: dict[str, Any] = {"total": 0}
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a condition that matches nothing by construction (no country meets them all)
        return counts
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t, COUNT(*) FROM ({sql}) f, unnest(f.facet_tokens) t GROUP BY t", params)
        for token, n in cursor.fetchall():
            if token == "*":
                counts["total"] = n
                continue
            prefix, _sep, value = token.partition(":")
            name = FACET_OF_PREFIX.get(prefix)
            if name:
                counts.setdefault(name, {})[value] = n
    return counts


def _joined_counts(f: InitiativeFilters) -> dict[str, Any]:
    """SQLite: one grouped query per facet over the tag tables."""
    qs = _filtered(f).order_by()
    ids = qs.values("pk")

    def grouped(model_qs, column, count="initiative_id", distinct=False):
        rows = model_qs.values(column).annotate(n=Count(count, distinct=distinct)).order_by()
        return {str(r[column]): r["n"] for r in rows if r[column] is not None}

    counts: dict[str, Any] = {"total": qs.count()}
    if counts["total"]:
        links = CountryLink.objects.filter(initiative_id__in=ids)
        counts["action_line"] = grouped(InitiativeActionLine.objects.filter(initiative_id__in=ids),
                                        "action_line__code")
        counts["goal"] = grouped(InitiativeGoal.objects.filter(initiative_id__in=ids), "goal__number")
        counts["target"] = grouped(InitiativeTarget.objects.filter(initiative_id__in=ids), "target__code")
        counts["country"] = grouped(links, "country__iso3")
        counts["region"] = grouped(links, "country__region__m49", distinct=True)
        counts["commission"] = grouped(links, "country__commission_memberships__commission__code", distinct=True)
        counts["group"] = {k: v for k, v in links.aggregate(**{
            flag: Count("initiative_id", distinct=True, filter=Q(**{f"country__{flag}": True}))
            for flag in GROUP_FLAGS
        }).items() if v}
        counts["stakeholder_type"] = grouped(qs, "organisation__stakeholder_type__code", count="pk")
        counts["kind"] = grouped(qs, "kind", count="pk")
        counts["status"] = grouped(qs, "status", count="pk")
        counts["year"] = grouped(qs, "year", count="pk")
        counts["target_group"] = grouped(InitiativeTargetGroup.objects.filter(initiative_id__in=ids), "group")
        counts["gender_marker"] = grouped(qs, "gender_marker", count="pk")
    return counts


def _facet_counts(f: InitiativeFilters) -> dict[str, Any]:
    """Counts of every facet over the filtered set, {facet: {value: count}} plus the total (cached)."""
    key = _cache_key(f)
    cached = cache.get(key)
    if cached is not None:
        return cached
    counts = _token_counts(f) if _uses_tokens() else _joined_counts(f)
    cache.set(key, counts, FACET_CACHE_SECONDS)
    return counts


def _options(rows, counts: dict, selected: list, *, limit: int | None = None,
             keep_order: bool = True) -> tuple[list[FacetOption], int]:
    """Options with a count (or selected), in reference order or by count, the first ``limit`` of them."""
    selected_set = {str(s) for s in selected}
    options = [FacetOption(str(value), str(label), counts.get(key, 0), str(value) in selected_set)
               for key, value, label in rows]
    options = [o for o in options if o.count or o.selected]
    if not keep_order:
        options.sort(key=lambda o: (-o.count, o.label))
    more = 0
    if limit and len(options) > limit:
        shown = options[:limit] + [o for o in options[limit:] if o.selected]
        more = len(options) - len(shown)
        options = shown
    return options, more


def initiative_facets(f: InitiativeFilters) -> tuple[int, list[Facet]]:
    """The total and the facets of the current search, each option with its count (cached per language)."""
    lang = current_language()
    key = f"{_cache_key(f)}:{lang}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = _build_facets(f, lang)
    cache.set(key, result, FACET_CACHE_SECONDS)
    return result


def _reference_labels(lang: str) -> dict[str, list]:
    """Codes and names of the reference rows facets show, in ``lang`` (cached: reference data rarely change)."""
    key = f"stocktaking:facet-labels:{lang}"
    labels = cache.get(key)
    if labels is None:
        labels = {
            "action_line": [(a.code, a.label) for a in ActionLine.objects.filter(is_leaf=True).order_by("order")],
            "goal": [(str(g.number), f"{g.number}. {g.short_name or g.title}") for g in Goal.objects.all()],
            "target": list(Target.objects.order_by("goal__number", "order").values_list("code", flat=True)),
            "region": [(r.m49, r.name, r.level == Region.Level.REGION) for r in Region.objects.all()],
            "commission": list(RegionalCommission.objects.values_list("code", flat=True)),
            "country": [(c.iso3, c.name) for c in Country.objects.all()],
            "stakeholder_type": [(s.code, s.name) for s in StakeholderType.objects.all()],
        }
        cache.set(key, labels, 3600)
    return labels


def _build_facets(f: InitiativeFilters, lang: str) -> tuple[int, list[Facet]]:
    counts = _facet_counts(f)
    total = counts["total"]
    if not total:
        return 0, []
    facets = []

    def add(name, label, rows, selected, **kw):
        options, more = _options(rows, counts.get(name, {}), selected, **kw)
        if options:
            facets.append(Facet(name, str(label), options, more))

    def top(name, n):
        values = counts.get(name, {})
        return sorted(values, key=lambda k: -values[k])[:n]

    ref = _reference_labels(lang)
    add("action_line", _("Action line"), [(c, c, label) for c, label in ref["action_line"]], f.action_line)
    add("goal", _("SDG"), [(c, c, label) for c, label in ref["goal"]], f.goal)
    wanted = {*top("target", 40), *f.target}
    add("target", _("SDG target"), [(c, c, c) for c in ref["target"] if c in wanted], f.target, limit=15,
        keep_order=False)
    add("region", _("Region"), [(m49, m49, label) for m49, label, top_level in ref["region"]
                                if top_level or m49 in f.region], f.region, keep_order=False)
    add("commission", _("Regional commission"), [(c, c, c) for c in ref["commission"]], f.commission)
    add("group", _("Country group"), [(k, k, v) for k, v in GROUP_FLAGS.items()], f.group)
    wanted = {*top("country", 30), *f.country}
    add("country", _("Country"), [(c, c, label) for c, label in ref["country"] if c in wanted], f.country,
        limit=20, keep_order=False)
    add("stakeholder_type", _("Stakeholder type"), [(c, c, label) for c, label in ref["stakeholder_type"]],
        f.stakeholder_type)
    add("kind", _("Kind"), [(v, v, label) for v, label in Initiative.Kind.choices], f.kind)
    add("status", _("Status"), [(v, v, label) for v, label in Initiative.Status.choices], f.status)
    years = sorted(counts.get("year", {}), key=int, reverse=True)
    add("year", _("Year"), [(y, y, y) for y in years], f.year, limit=12)
    add("target_group", _("Target group"), [(v, v, label) for v, label in TargetGroup.choices], f.target_group)
    add("gender_marker", _("Gender marker"), [(str(v), v, label) for v, label in Initiative.GenderMarker.choices],
        f.gender_marker)
    return total, facets


