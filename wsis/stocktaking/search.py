"""The public search of the registry: published initiatives matching an :class:`InitiativeFilters`,
with facet counts.

**Words** (``q``) are read by :func:`query_plan` into parts. The longest phrases that name a reference
row come first: a country by any of its names in the six languages or an alias ("Viet Nam",
"Vietnam", "Türkiye", "Turkey", "Cote d'Ivoire", "UK", "DRC"), an action line by code or name
("C7.4", "e-health", "eHealth", "Cybersanté"), an SDG by number or name ("SDG 3", "ODD 4", "Climate
action"); case, accents, hyphens and apostrophes do not matter (``taxonomy.names``). Every other
word is a part of its own; quoted phrases stay together, ``-word`` leaves out, and small words
("and", "the", "de"…) are dropped when there are others. An initiative matches a part when its
title, summary, description or partners contain its words, when its organisation's name does, or
when it is tagged with the row the part names; it must match every part.

- PostgreSQL: the words against the stored, GIN-indexed ``tsvector`` (each parsed the six
  languages' ways), the tags against the GIN-indexed ``facet_tokens``; ranked by ``ts_rank`` plus a
  bonus for each named row the initiative is tagged with and for an organisation-name match.
- SQLite: LIKE over the text fields and the tag tables; ranked by the same bonuses and by where the
  words occur (title, then summary).

**Typos**: when the words as typed find nothing, a word within a small edit distance of a name of
the vocabulary (``taxonomy.names.nearest``: "Nepl" → Nepal, "Tanzanai" → Tanzania) is searched as
that name instead, and the page says so; with nothing found either way, :func:`search_hints` offers
the nearest spelling and the filters whose removal would find something. The vocabulary is matched
in Python, identically on both databases.

Facet counts are computed on the filtered set and cached per filter combination until the public
set changes (``services.search_generation``); the facets that show only their first values
(``EXPANDABLE``) list all of them on request (``?all=country``).
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from wsis.accounts.models import Organisation
from wsis.core.i18n import current_language, lang_suffix
from wsis.taxonomy import names
from wsis.taxonomy.models import (
    ActionLine,
    Country,
    Goal,
    Region,
    RegionalCommission,
    StakeholderType,
    Target,
)

from .filters import FILTER_LABELS, GROUP_FLAGS, LANGUAGE_CODES, SORTS, InitiativeFilters, initiative_q
from .languages import language_label, with_page_text
from .models import (
    Initiative,
    InitiativeActionLine,
    InitiativeGoal,
    InitiativeTarget,
    InitiativeTargetGroup,
    InitiativeTranslation,
    TargetGroup,
)
from .services import SEARCH_CONFIGS, organisation_names_generation, search_generation

__all__ = [
    "Facet",
    "FacetOption",
    "initiative_search",
    "initiative_facets",
    "list_tags",
    "ListTags",
    "matching_ids",
    "text_filter",
    "query_plan",
    "search_hints",
    "SORTS",
]

State = Initiative.State
CountryLink = Initiative.countries.through
FACET_CACHE_SECONDS = 600
LIST_COUNTRIES = 6  # countries a result row names


def _cache_key(f: InitiativeFilters) -> str:
    return f"stocktaking:facets:{search_generation()}:{f.digest()}"


# Words that say nothing on their own; dropped when the query has other words.
STOP_WORDS = frozenset({
    "a", "an", "and", "or", "not", "the", "of", "in", "for", "on", "to", "with", "de", "del", "des", "du",
    "la", "le", "les", "el", "en", "et", "y", "e", "и", "в", "на", "для", "في", "و",
})
MAX_PARTS = 8
MAX_PHRASE_WORDS = 6  # the longest name looked up ("Democratic Republic of the Congo")
ORGANISATION_MATCH_LIMIT = 200  # a word naming more organisations than this is searched as text only
_QUOTED = re.compile(r'"([^"]*)"')


@dataclass
class QueryPart:
    """One thing the query asks for: words that must all occur, or a reference row they name.

    An initiative matches a part when its title, summary, description or partners contain every
    word, when its organisation's name does, or when it is tagged with one of ``terms`` (a country,
    an action line, a goal the words name). ``negate``: an initiative containing the words is left out.
    """

    words: list[str]
    terms: frozenset = frozenset()
    negate: bool = False
    typed: str = ""  # the words as typed, when ``terms`` come from a corrected spelling

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass
class QueryPlan:
    parts: list[QueryPart]
    corrected: list[QueryPart] | None = None  # the parts with typos corrected, when a word looks like one

    @property
    def corrected_text(self) -> str:
        return " ".join(("-" if p.negate else "") + p.text for p in self.corrected or [])


def _resolve(tokens: list[str]) -> list[QueryPart]:
    """Longest phrases first: "Viet Nam", "Cote d'Ivoire", "Good health and well-being" are one part."""
    parts, i = [], 0
    while i < len(tokens):
        for n in range(min(MAX_PHRASE_WORDS, len(tokens) - i), 0, -1):
            phrase = tokens[i:i + n]
            terms = names.lookup(" ".join(phrase))
            if terms or n == 1:
                parts.append(QueryPart(phrase, frozenset(terms)))
                i += n
                break
    return parts


_PLANS: dict[str, Any] = {"vocabulary": None, "plans": {}}
PLAN_CACHE_SIZE = 2048


def query_plan(text: str) -> QueryPlan:
    """What a search query asks for (see :class:`QueryPart`), with its typo-corrected reading if any.

    Remembered per process while the vocabulary of names is the same object (it is rebuilt when the
    reference data change): a request reads the plan twice (results and hints), and the typo search
    over every name is the costly part. Callers must not change the plan they receive.
    """
    vocabulary = names.vocabulary()
    if _PLANS["vocabulary"] is not vocabulary:
        _PLANS["vocabulary"], _PLANS["plans"] = vocabulary, {}
    plans = _PLANS["plans"]
    plan = plans.get(text)
    if plan is None:
        plan = _query_plan(text)
        if len(plans) >= PLAN_CACHE_SIZE:
            plans.clear()
        plans[text] = plan
    return plan


def _query_plan(text: str) -> QueryPlan:
    parts: list[QueryPart] = []
    for phrase in _QUOTED.findall(text):
        if tokens := names.words(phrase):
            parts.append(QueryPart(tokens, frozenset(names.lookup(" ".join(tokens)))))
    loose, negated = [], []
    for raw in _QUOTED.sub(" ", text).split():
        if raw.startswith("-") and len(raw) > 1:
            negated.extend(names.words(raw[1:]))
        else:
            loose.extend(names.words(raw))
    parts += _resolve(loose)
    parts += [QueryPart([w], negate=True) for w in negated]
    if len(parts) > 1:
        kept = [p for p in parts if p.terms or p.negate or len(p.words) > 1 or p.text.casefold() not in STOP_WORDS]
        parts = kept or parts
    parts = parts[:MAX_PARTS]
    corrected, changed = [], False
    for part in parts:
        near = None if part.terms or part.negate or len(part.words) > 1 else names.nearest(part.text)
        if near:
            changed = True
            spelling = names.label(min(near[1], key=lambda t: (t.kind, t.value)))
            corrected.append(QueryPart(spelling.split(), frozenset(near[1]), typed=part.text))
        else:
            corrected.append(part)
    return QueryPlan(parts, corrected if changed else None)


def _word_variants(word: str) -> list[str]:
    """A word and, when it has hyphens or apostrophes, the word without them ("e-health" → "ehealth")."""
    bare = re.sub(r"[-'’]", "", word)
    return [word] if bare == word or not bare else [word, bare]


def _tagged_q(terms) -> Q:
    """Initiatives tagged with any of ``terms`` (facet tokens on PostgreSQL, the tag tables on SQLite)."""
    by_kind: dict[str, list[str]] = {}
    for term in terms:
        by_kind.setdefault(term.kind, []).append(term.value)
    if not by_kind:
        return Q(pk__in=[])
    if _uses_tokens():
        return Q(facet_tokens__overlap=[f"{TOKEN_PREFIXES[kind]}:{v}" for kind, values in by_kind.items()
                                        for v in values])
    q = Q(pk__in=[])
    if by_kind.get("country"):
        q |= Q(pk__in=CountryLink.objects.filter(country__iso3__in=by_kind["country"]).values("initiative_id"))
    if by_kind.get("action_line"):
        q |= Q(pk__in=InitiativeActionLine.objects.filter(action_line__code__in=by_kind["action_line"])
               .values("initiative_id"))
    if by_kind.get("goal"):
        q |= Q(pk__in=InitiativeGoal.objects.filter(goal__number__in=[int(v) for v in by_kind["goal"]])
               .values("initiative_id"))
    return q


TEXT_FIELDS = ("title", "summary", "description", "partners")
TRANSLATED_FIELDS = ("title", "summary")  # of InitiativeTranslation


def _text_q(words: list[str]):
    """Every word in the text: the stored vector on PostgreSQL (each word parsed the six languages'
    ways), LIKE over the text fields on SQLite. Returns (condition, tsquery or None)."""
    if connection.vendor == "postgresql":
        query = None
        for config in dict.fromkeys(SEARCH_CONFIGS.values()):
            for variant in dict.fromkeys([" ".join(words), " ".join(v for w in words for v in _word_variants(w)[-1:])]):
                part = SearchQuery(variant, config=config, search_type="plain")
                query = part if query is None else query | part
        return Q(search_vector=query), query
    condition = Q()
    for word in words:
        any_field = Q()
        translated = Q()
        for variant in _word_variants(word):
            for name in TEXT_FIELDS:
                any_field |= Q(**{f"{name}__icontains": variant})
            for name in TRANSLATED_FIELDS:
                translated |= Q(**{f"{name}__icontains": variant})
        # A word of a translation's title or summary finds the initiative too (issue 21).
        any_field |= Q(pk__in=InitiativeTranslation.objects.filter(translated).values("initiative_id"))
        condition &= any_field
    return condition, None


def _organisations(parts: list[QueryPart]) -> dict[str, list[int]]:
    """Ids of the organisations whose name contains each part's words (one query for all parts).

    Cached under the organisation-names generation, which creating or renaming an organisation
    advances (``ORGANISATION_CHANGED`` with ``name``): publications, which empty the other search
    caches, leave these answers in place.
    """
    wanted = {p.text: p.words for p in parts if not p.negate}
    if not wanted:
        return {}
    digest = hashlib.sha256(repr(sorted(wanted.items())).encode()).hexdigest()[:32]
    key = f"stocktaking:orgs:{organisation_names_generation()}:{digest}"
    found = cache.get(key)
    if found is None:
        found = _organisations_uncached(wanted)
        cache.set(key, found, 600)
    return found


def _organisations_uncached(wanted: dict[str, list[str]]) -> dict[str, list[int]]:
    any_q = Q()
    for words in wanted.values():
        all_q = Q()
        for word in words:
            all_q &= Q(name__icontains=word)
        any_q |= all_q
    rows = [(pk, names.key(name)) for pk, name in
            Organisation.objects.filter(any_q).values_list("pk", "name")[:ORGANISATION_MATCH_LIMIT * 4]]
    found: dict[str, list[int]] = {}
    for text, words in wanted.items():
        keys = [names.key(w) for w in words]
        ids = [pk for pk, name_key in rows if all(k in name_key for k in keys)]
        if 0 < len(ids) <= ORGANISATION_MATCH_LIMIT:
            found[text] = ids
    return found


def _apply_plan(qs: QuerySet, parts: list[QueryPart], *, rank: bool) -> QuerySet:
    if not parts:  # words that name nothing (only punctuation, an empty quote): no condition, equal rank
        return qs.annotate(rank=Value(0.0, output_field=FloatField())) if rank else qs
    organisations = _organisations(parts)
    queries, bonuses = [], []
    for part in parts:
        text_cond, tsquery = _text_q(part.words)
        if part.negate:
            qs = qs.exclude(text_cond)
            continue
        condition = text_cond
        if tsquery is not None:
            queries.append(tsquery)
        if part.terms:
            condition |= _tagged_q(part.terms)
            bonuses.append(Case(When(_tagged_q(part.terms), then=Value(0.5)), default=Value(0.0)))
        if part.text in organisations:
            org_q = Q(organisation_id__in=organisations[part.text])
            condition |= org_q
            bonuses.append(Case(When(org_q, then=Value(0.4)), default=Value(0.0)))
        if tsquery is None:  # SQLite: a title match counts most, then the summary
            for word in part.words:
                bonuses.append(Case(When(Q(title__icontains=word), then=Value(1.0)),
                                    When(Q(summary__icontains=word), then=Value(0.3)), default=Value(0.0)))
        qs = qs.filter(condition)
    if not rank:
        return qs
    score = Value(0.0)
    if queries:
        combined = queries[0]
        for query in queries[1:]:
            combined = combined | query
        score = SearchRank(F("search_vector"), combined)
    for bonus in bonuses:
        score = score + bonus
    return qs.annotate(rank=ExpressionWrapper(score, output_field=FloatField()))


def text_filter(qs: QuerySet, text: str, *, rank: bool = True) -> QuerySet:
    """Initiatives of ``qs`` matching the search words ``text`` as read by :func:`query_plan`."""
    if not text:
        return qs
    return _apply_plan(qs, query_plan(text).parts, rank=rank)


TOKEN_PREFIXES = {
    "action_line": "al", "goal": "g", "target": "t", "country": "c", "region": "r", "commission": "cm",
    "group": "grp", "stakeholder_type": "st", "kind": "k", "status": "s", "year": "y", "target_group": "tg",
    "gender_marker": "gm", "language": "lang",
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
    rest = InitiativeFilters(organisation=f.organisation, year_from=f.year_from, year_to=f.year_to, tags=f.tags,
                             activity=f.activity)
    if len(geographic) > 1:
        rest = rest.replace(**{name: getattr(f, name) for name in GEOGRAPHY})
    return qs.filter(initiative_q(rest))


def _by_filters(f: InitiativeFilters, base: QuerySet | None = None) -> QuerySet:
    qs = base if base is not None else Initiative.objects.filter(state=State.PUBLISHED)
    return _filtered_by_tokens(f, qs) if _uses_tokens() else qs.filter(initiative_q(f))


def _use_correction(f: InitiativeFilters, plan: QueryPlan) -> bool:
    """Whether the words as typed find nothing with these filters and the corrected spelling is to be used.

    Decided by counting the facets of the words as typed, remembered per filter combination until the
    public set changes. When they find something, those counts *are* the page's facet counts and are
    cached as such, so the decision costs no query of its own; when they find nothing, the count was
    an index lookup. (An ``EXISTS … LIMIT 1`` was tried: for a word that is in no text PostgreSQL
    expects some matches and scans every row looking for the first, 0.6 s at 200,000 initiatives.)
    """
    if plan.corrected is None:
        return False
    key = f"stocktaking:spelling:{search_generation()}:{f.digest()}"
    decided = cache.get(key)
    if decided is None:
        counts = _count(_apply_plan(_by_filters(f), plan.parts, rank=False))
        decided = not counts["total"]
        if not decided:
            cache.set(_cache_key(f), counts, FACET_CACHE_SECONDS)
        cache.set(key, decided, FACET_CACHE_SECONDS)
    return decided


def _filtered(f: InitiativeFilters, base: QuerySet | None = None, *, rank: bool = False) -> QuerySet:
    qs = _by_filters(f, base)
    if not f.q:
        return qs
    plan = query_plan(f.q)
    parts = plan.corrected if _use_correction(f, plan) else plan.parts
    return _apply_plan(qs, parts, rank=rank)


def matching_ids(f: InitiativeFilters) -> QuerySet:
    """Ids of the published initiatives matching ``f`` (text query included), as a subquery."""
    return _filtered(f).order_by().values("pk")


@dataclass(frozen=True)
class ListTags:
    """What a result row shows of its tags: action-line codes (primary first), SDG numbers, country names."""

    action_lines: list[str]
    goals: list[int]
    countries: list[str]


def _with_list_relations(qs: QuerySet) -> QuerySet:
    """The result rows with what the list shows of them (:func:`list_tags`), in a fixed number of queries.

    PostgreSQL: the tags come as arrays in the page's own query (``ArraySubquery``, evaluated for the
    20 rows shown only, after the sort): one query for the page, where three prefetches cost about 3 ms
    each in query building and model instances (issue 12's search benchmark). SQLite prefetches them.
    """
    qs = with_page_text(qs)  # the title and summary in the visitor's language (languages.initiative_text)
    qs = qs.defer("search_vector", "facet_tokens", "description", "partners").select_related(
        "organisation__stakeholder_type")
    if connection.vendor == "postgresql":
        suffix = lang_suffix()
        country_name = Coalesce(NullIf(F(f"country__name_{suffix}"), Value("")), F("country__name_en"))
        return qs.annotate(
            list_action_lines=ArraySubquery(
                InitiativeActionLine.objects.filter(initiative=OuterRef("pk"))
                .order_by("-is_primary", "action_line__order").values("action_line__code")),
            list_goals=ArraySubquery(
                InitiativeGoal.objects.filter(initiative=OuterRef("pk")).order_by("goal__number")
                .values("goal__number")),
            list_countries=ArraySubquery(
                CountryLink.objects.filter(initiative=OuterRef("pk")).order_by("country__name_en")
                .annotate(shown=country_name).values("shown")[:LIST_COUNTRIES]),
        )
    return qs.prefetch_related(
        Prefetch("action_line_tags", queryset=InitiativeActionLine.objects.select_related("action_line")
                 .order_by("-is_primary", "action_line__order")),
        Prefetch("goal_tags", queryset=InitiativeGoal.objects.select_related("goal").order_by("goal__number")),
        Prefetch("countries", queryset=Country.objects.only("id", "iso3", *[f"name_{s}" for s in (
            "en", "fr", "es", "ru", "ar", "zh_hans")])),
    )


def list_tags(initiative: Initiative) -> ListTags:
    """The tags a result row shows, from the arrays of :func:`_with_list_relations` or its prefetches."""
    if hasattr(initiative, "list_action_lines"):
        return ListTags(initiative.list_action_lines, initiative.list_goals, initiative.list_countries)
    return ListTags([t.action_line.code for t in initiative.action_line_tags.all()],
                    [t.goal.number for t in initiative.goal_tags.all()],
                    [c.name for c in initiative.countries.all()][:LIST_COUNTRIES])


def initiative_search(f: InitiativeFilters, *, base: QuerySet | None = None, relations: bool = True) -> QuerySet:
    """Published initiatives matching ``f``, ordered by its sort (relevance when there is a text query)."""
    sort = f.effective_sort
    qs = _filtered(f, base, rank=sort == "relevance" and bool(f.q))
    if sort == "relevance" and f.q:
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
    more: int = 0  # options not shown; the page links to the full list (``initiative_facets(expand=name)``)


def _token_counts(filtered: QuerySet) -> dict[str, Any]:
    """PostgreSQL: every facet counted in one pass over the filtered rows' tokens."""
    inner = filtered.order_by().values("facet_tokens")
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


def _joined_counts(filtered: QuerySet) -> dict[str, Any]:
    """SQLite: one grouped query per facet over the tag tables."""
    qs = filtered.order_by()
    ids = qs.values("pk")

    def grouped(model_qs, column, count="initiative_id", distinct=False):
        rows = model_qs.values(column).annotate(n=Count(count, distinct=distinct)).order_by()
        return {str(r[column]): r["n"] for r in rows if r[column] is not None}

    # The total and "available in" each language (written in it or translated into it, each initiative
    # once) in one query.
    totals = qs.aggregate(total=Count("pk"), **{f"lang_{i}": Count("pk", filter=Q(language=code) | Q(
        pk__in=InitiativeTranslation.objects.filter(language=code).values("initiative_id")))
        for i, code in enumerate(LANGUAGE_CODES)})
    counts: dict[str, Any] = {"total": totals["total"]}
    if counts["total"]:
        counts["language"] = {code: totals[f"lang_{i}"] for i, code in enumerate(LANGUAGE_CODES)
                              if totals[f"lang_{i}"]}
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
    filtered = _filtered(f)  # reading the query may count the facets (see _use_correction)
    counts = cache.get(key)
    if counts is not None:
        return counts
    counts = _count(filtered)
    cache.set(key, counts, FACET_CACHE_SECONDS)
    return counts


def _count(filtered: QuerySet) -> dict[str, Any]:
    return _token_counts(filtered) if _uses_tokens() else _joined_counts(filtered)


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


EXPANDABLE = ("country", "target", "year")  # facets that show their first values and "and n more"


def initiative_facets(f: InitiativeFilters, *, expand: str = "") -> tuple[int, list[Facet]]:
    """The total and the facets of the current search, each option with its count (cached per language).

    ``expand`` names a facet (one of ``EXPANDABLE``) to list in full instead of its first values.
    """
    lang = current_language()
    expand = expand if expand in EXPANDABLE else ""
    key = f"{_cache_key(f)}:{lang}:{expand}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = _build_facets(f, lang, expand)
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


def _build_facets(f: InitiativeFilters, lang: str, expand: str = "") -> tuple[int, list[Facet]]:
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
        return sorted(values, key=lambda k: -values[k])[:None if expand == name else n]

    def limit(name, n):
        return None if expand == name else n

    ref = _reference_labels(lang)
    add("action_line", _("Action line"), [(c, c, label) for c, label in ref["action_line"]], f.action_line)
    add("goal", _("SDG"), [(c, c, label) for c, label in ref["goal"]], f.goal)
    wanted = {*top("target", 40), *f.target}
    add("target", _("SDG target"), [(c, c, c) for c in ref["target"] if c in wanted], f.target,
        limit=limit("target", 15),
        keep_order=False)
    add("region", _("Region"), [(m49, m49, label) for m49, label, top_level in ref["region"]
                                if top_level or m49 in f.region], f.region, keep_order=False)
    add("commission", _("Regional commission"), [(c, c, c) for c in ref["commission"]], f.commission)
    add("group", _("Country group"), [(k, k, v) for k, v in GROUP_FLAGS.items()], f.group)
    wanted = {*top("country", 30), *f.country}
    add("country", _("Country"), [(c, c, label) for c, label in ref["country"] if c in wanted], f.country,
        limit=limit("country", 20), keep_order=False)
    add("stakeholder_type", _("Stakeholder type"), [(c, c, label) for c, label in ref["stakeholder_type"]],
        f.stakeholder_type)
    add("kind", _("Kind"), [(v, v, label) for v, label in Initiative.Kind.choices], f.kind)
    add("status", _("Status"), [(v, v, label) for v, label in Initiative.Status.choices], f.status)
    years = sorted(counts.get("year", {}), key=int, reverse=True)
    add("year", _("Year"), [(y, y, y) for y in years], f.year, limit=limit("year", 12))
    add("target_group", _("Target group"), [(v, v, label) for v, label in TargetGroup.choices], f.target_group)
    add("gender_marker", _("Gender marker"), [(str(v), v, label) for v, label in Initiative.GenderMarker.choices],
        f.gender_marker)
    add("language", _("Available in"), [(code, code, language_label(code)) for code in LANGUAGE_CODES], f.language)
    return total, facets




@dataclass
class DropFilter:
    label: str
    query: str  # the URL query without that filter
    count: int


@dataclass
class SearchHints:
    """What the results page says about the words: the spelling used, and for an empty result the
    nearest spelling and which filters to drop."""

    typed: str = ""  # the words as typed, when a corrected spelling was searched instead
    corrected: str = ""  # that corrected spelling
    suggestion: str = ""  # empty result: the nearest spelling to try
    suggestion_query: str = ""
    drop: list[DropFilter] = field(default_factory=list)


SUGGESTION_NAMES = 5000  # SQLite: organisation names compared in Python for a suggestion


def _nearest_organisation_word(word: str) -> str:
    """The word of an organisation's name nearest to ``word`` (pg_trgm on PostgreSQL, difflib on SQLite)."""
    if connection.vendor == "postgresql":
        names_found = list(Organisation.objects.annotate(similarity=TrigramWordSimilarity(word, "name"))
                           .filter(similarity__gte=0.4).order_by("-similarity").values_list("name", flat=True)[:3])
    else:
        names_found = list(Organisation.objects.values_list("name", flat=True)[:SUGGESTION_NAMES])
    candidates = {w for name in names_found for w in names.words(name) if len(w) > 2}
    close = difflib.get_close_matches(word.casefold(), {w.casefold(): w for w in candidates}, n=1, cutoff=0.75)
    if not close:
        return ""
    return next(w for w in candidates if w.casefold() == close[0])


def _nearest_spelling(plan: QueryPlan) -> str:
    """The query with each misspelt word replaced by the nearest name (reference rows, then organisations);
    empty when nothing is near."""
    spelt, changed = [], False
    for part, corrected in zip(plan.parts, plan.corrected or plan.parts, strict=True):
        text = corrected.text
        if corrected is part and not part.terms and not part.negate and len(part.words) == 1 and len(part.text) > 3:
            near = _nearest_organisation_word(part.text)
            if near and near.casefold() != part.text.casefold():
                text = near
        changed |= text != part.text
        spelt.append(("-" if part.negate else "") + text)
    return " ".join(spelt) if changed else ""


def search_hints(f: InitiativeFilters, total: int) -> SearchHints:
    """Hints for the results of ``f`` (``total`` of them): one query per active filter, only when empty."""
    hints = SearchHints()
    plan = query_plan(f.q) if f.q else None
    if plan and plan.corrected is not None and _use_correction(f, plan):
        hints.typed, hints.corrected = f.q, plan.corrected_text
    elif plan and not total:
        hints.suggestion = _nearest_spelling(plan)
        if hints.suggestion:
            hints.suggestion_query = f.replace(q=hints.suggestion).query()
    if total or not f.active:
        return hints
    for name, value in dataclasses.asdict(f).items():
        if name == "sort" or value in (None, "", []) or (name == "q" and not any(
                getattr(f, other) not in (None, "", []) for other in FILTER_LABELS if other not in {"q", "sort"})):
            continue
        empty = "" if isinstance(value, str) else [] if isinstance(value, list) else None
        without = f.replace(**{name: empty})
        count = _filtered(without).count()
        if count:
            hints.drop.append(DropFilter(str(FILTER_LABELS.get(name, name)), without.query(), count))
    return hints
