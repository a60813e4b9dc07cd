"""Reads of the stocktaking registry: search with facets, details, queues and page sections.

Public reads see published initiatives only. Search works on both databases: on PostgreSQL a
stored, GIN-indexed ``tsvector`` ranked with ``ts_rank``; on SQLite a LIKE over title, summary and
description. Facet counts are computed on the filtered set with one grouped query per facet and
cached per filter combination until the public set changes (``services.search_generation``).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _

from wsis.core.i18n import current_language
from wsis.taxonomy.models import (
    ActionLine,
    CommissionMembership,
    Country,
    Goal,
    MatrixLink,
    Region,
    RegionalCommission,
    StakeholderType,
    Target,
)
from wsis.taxonomy.selectors import matrix_links

from .models import (
    Initiative,
    InitiativeActionLine,
    InitiativeGoal,
    InitiativeRevision,
    InitiativeTarget,
    InitiativeTargetGroup,
    TargetGroup,
)
from .permissions import can_edit, can_moderate, can_view
from .services import SEARCH_CONFIGS, search_generation

__all__ = [
    "SearchFilters",
    "Facet",
    "FacetOption",
    "initiative_search",
    "initiative_facets",
    "initiative_get",
    "with_detail_relations",
    "initiative_get_for_edit",
    "initiative_list_for_user",
    "initiative_latest",
    "initiative_matrix_rationale",
    "matrix_suggestions",
    "MatrixSuggestion",
    "moderation_queue",
    "ModerationFilters",
    "pending_revision_get",
    "revision_list",
    "SORTS",
]

State = Initiative.State
CountryLink = Initiative.countries.through
SORTS = {
    "relevance": _("Relevance"),
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
    "title": _("Title (A–Z)"),
}
GROUP_FLAGS = {"ldc": _("Least developed countries (LDC)"), "lldc": _("Landlocked developing countries (LLDC)"),
               "sids": _("Small island developing states (SIDS)")}
FACET_CACHE_SECONDS = 600


def _list(query: QueryDict | dict, name: str) -> list[str]:
    if hasattr(query, "getlist"):
        values = query.getlist(name)
    else:
        value = query.get(name, [])
        values = value if isinstance(value, list | tuple) else [value]
    out = []
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if part and len(part) <= 40 and part not in out:
                out.append(part)
    return out[:30]


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 6]


@dataclass
class SearchFilters:
    """The public search's filters; one list per facet (OR within a facet, AND across facets)."""

    q: str = ""
    action_line: list[str] = field(default_factory=list)
    goal: list[int] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    commission: list[str] = field(default_factory=list)
    group: list[str] = field(default_factory=list)
    stakeholder_type: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    year: list[int] = field(default_factory=list)
    target_group: list[str] = field(default_factory=list)
    gender_marker: list[int] = field(default_factory=list)
    organisation: str = ""
    sort: str = ""

    @classmethod
    def from_query(cls, query: QueryDict | dict) -> SearchFilters:
        """Parse request parameters; unknown or malformed values are dropped, never an error."""
        f = cls(q=str(query.get("q", "") or "").strip()[:200])
        f.action_line = [v.upper() for v in _list(query, "action_line")]
        f.goal = [g for g in _ints(_list(query, "goal")) if 1 <= g <= 17]
        f.target = _list(query, "target")
        f.country = [v.upper() for v in _list(query, "country") if len(v) == 3]
        f.region = [v for v in _list(query, "region") if v.isdigit()]
        f.commission = [v.upper() for v in _list(query, "commission")]
        f.group = [v for v in _list(query, "group") if v in GROUP_FLAGS]
        f.stakeholder_type = _list(query, "stakeholder_type")
        f.kind = [v for v in _list(query, "kind") if v in Initiative.Kind.values]
        f.status = [v for v in _list(query, "status") if v in Initiative.Status.values]
        f.year = [y for y in _ints(_list(query, "year")) if 1990 <= y <= 2100]
        f.target_group = [v for v in _list(query, "target_group") if v in TargetGroup.values]
        f.gender_marker = [g for g in _ints(_list(query, "gender_marker")) if g in (0, 1, 2)]
        f.organisation = str(query.get("organisation", "") or "")[:120]
        sort = str(query.get("sort", "") or "")
        f.sort = sort if sort in SORTS else ""
        return f

    @property
    def effective_sort(self) -> str:
        if self.sort == "relevance" and not self.q:
            return "newest"
        return self.sort or ("relevance" if self.q else "newest")

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self) if f.name != "sort")

    def cache_key(self) -> str:
        payload = {k: v for k, v in asdict(self).items() if k != "sort" and v}
        digest = hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        return f"stocktaking:facets:{search_generation()}:{digest}"

    def as_query(self) -> list[tuple[str, str]]:
        """The filters back as (name, value) pairs for links (feeds, exports, pagination)."""
        pairs = []
        for f in fields(self):
            value = getattr(self, f.name)
            for v in value if isinstance(value, list) else [value]:
                if v not in ("", None):
                    pairs.append((f.name, str(v)))
        return pairs


def _text_filter(qs: QuerySet, text: str) -> QuerySet:
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


def _country_ids(f: SearchFilters) -> QuerySet | None:
    """Countries matching the geographic facets (country, region, commission, LDC/LLDC/SIDS), or None."""
    if not (f.country or f.region or f.commission or f.group):
        return None
    qs = Country.objects.all()
    if f.country:
        qs = qs.filter(iso3__in=f.country)
    if f.region:
        qs = qs.filter(Q(region__m49__in=f.region) | Q(sub_region__m49__in=f.region)
                       | Q(intermediate_region__m49__in=f.region))
    if f.commission:
        qs = qs.filter(commission_memberships__commission__code__in=f.commission)
    if f.group:
        group_q = Q()
        for flag in f.group:
            group_q |= Q(**{flag: True})
        qs = qs.filter(group_q)
    return qs.values("pk")


TOKEN_PREFIXES = {
    "action_line": "al", "goal": "g", "target": "t", "country": "c", "region": "r", "commission": "cm",
    "group": "grp", "stakeholder_type": "st", "kind": "k", "status": "s", "year": "y", "target_group": "tg",
    "gender_marker": "gm",
}
FACET_OF_PREFIX = {prefix: name for name, prefix in TOKEN_PREFIXES.items()}


def _uses_tokens() -> bool:
    """PostgreSQL keeps denormalised facet tokens (GIN-indexed); SQLite joins the tag tables."""
    return connection.vendor == "postgresql"


def _filtered_by_tokens(f: SearchFilters, qs: QuerySet) -> QuerySet:
    for name, prefix in TOKEN_PREFIXES.items():
        values = getattr(f, name)
        if values:
            qs = qs.filter(facet_tokens__overlap=[f"{prefix}:{v}" for v in values])
    return qs


def _filtered(f: SearchFilters, base: QuerySet | None = None) -> QuerySet:
    qs = base if base is not None else Initiative.objects.filter(state=State.PUBLISHED)
    if f.organisation:
        qs = qs.filter(organisation__slug=f.organisation)
    if _uses_tokens():
        return _text_filter(_filtered_by_tokens(f, qs), f.q)
    if f.action_line:
        qs = qs.filter(Exists(InitiativeActionLine.objects.filter(
            initiative=OuterRef("pk"), action_line__code__in=f.action_line)))
    if f.goal:
        qs = qs.filter(Exists(InitiativeGoal.objects.filter(initiative=OuterRef("pk"), goal__number__in=f.goal)))
    if f.target:
        qs = qs.filter(Exists(InitiativeTarget.objects.filter(initiative=OuterRef("pk"), target__code__in=f.target)))
    countries = _country_ids(f)
    if countries is not None:
        qs = qs.filter(Exists(CountryLink.objects.filter(initiative_id=OuterRef("pk"), country_id__in=countries)))
    if f.stakeholder_type:
        qs = qs.filter(organisation__stakeholder_type__code__in=f.stakeholder_type)
    if f.kind:
        qs = qs.filter(kind__in=f.kind)
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.year:
        qs = qs.filter(year__in=f.year)
    if f.target_group:
        qs = qs.filter(Exists(InitiativeTargetGroup.objects.filter(initiative=OuterRef("pk"),
                                                                   group__in=f.target_group)))
    if f.gender_marker:
        qs = qs.filter(gender_marker__in=f.gender_marker)
    return _text_filter(qs, f.q)


def _with_list_relations(qs: QuerySet) -> QuerySet:
    return qs.defer("search_vector", "facet_tokens", "description", "partners").select_related("organisation__stakeholder_type").prefetch_related(
        Prefetch("action_line_tags", queryset=InitiativeActionLine.objects.select_related("action_line")
                 .order_by("-is_primary", "action_line__order")),
        Prefetch("goal_tags", queryset=InitiativeGoal.objects.select_related("goal").order_by("goal__number")),
        Prefetch("countries", queryset=Country.objects.only("id", "iso3", *[f"name_{s}" for s in (
            "en", "fr", "es", "ru", "ar", "zh_hans")])),
    )


def initiative_search(f: SearchFilters, *, base: QuerySet | None = None, relations: bool = True) -> QuerySet:
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


def _token_counts(f: SearchFilters) -> dict[str, Any]:
    """PostgreSQL: every facet counted in one pass over the filtered rows' tokens."""
    inner = _filtered(f).order_by().values("facet_tokens")
    sql, params = inner.query.sql_with_params()
    counts: dict[str, Any] = {"total": 0}
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


def _joined_counts(f: SearchFilters) -> dict[str, Any]:
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


def _facet_counts(f: SearchFilters) -> dict[str, Any]:
    """Counts of every facet over the filtered set, {facet: {value: count}} plus the total (cached)."""
    key = f.cache_key()
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


def initiative_facets(f: SearchFilters) -> tuple[int, list[Facet]]:
    """The total and the facets of the current search, each option with its count (cached per language)."""
    lang = current_language()
    key = f"{f.cache_key()}:{lang}"
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


def _build_facets(f: SearchFilters, lang: str) -> tuple[int, list[Facet]]:
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


# --- single initiatives ---------------------------------------------------------------------------

def _detail_queryset() -> QuerySet:
    return with_detail_relations(Initiative.objects.all())


def with_detail_relations(qs: QuerySet) -> QuerySet:
    """Everything a detail page or API item shows, in a fixed number of queries."""
    return qs.defer("search_vector", "facet_tokens").select_related("organisation__country", "organisation__stakeholder_type").prefetch_related(
        "countries",
        Prefetch("action_line_tags", queryset=InitiativeActionLine.objects.select_related("action_line")
                 .order_by("-is_primary", "action_line__order")),
        Prefetch("goal_tags", queryset=InitiativeGoal.objects.select_related("goal").order_by("goal__number")),
        Prefetch("target_tags", queryset=InitiativeTarget.objects.select_related("target__goal")
                 .order_by("target__goal__number", "target__order")),
        "target_group_tags",
    )


def initiative_get(*, pk: int, user) -> Initiative:
    """One initiative as ``user`` may see it: 404 when it does not exist or is not theirs to see."""
    initiative = _detail_queryset().filter(pk=pk).first()
    if initiative is None or not can_view(user, initiative):
        raise Http404
    return initiative


def initiative_get_for_edit(*, pk: int, user) -> Initiative:
    """An initiative ``user`` may edit; 404 if they may not even see it, PermissionDenied if read-only."""
    from django.core.exceptions import PermissionDenied

    initiative = initiative_get(pk=pk, user=user)
    if not can_edit(user, initiative.organisation):
        raise PermissionDenied
    return initiative


def initiative_list_for_user(*, user) -> QuerySet:
    """All initiatives of the organisations ``user`` belongs to, every state, newest changes first."""
    if not getattr(user, "is_authenticated", False):
        return Initiative.objects.none()
    return (Initiative.objects.filter(organisation__memberships__user=user)
            .select_related("organisation")
            .annotate(has_pending=Exists(InitiativeRevision.objects.filter(initiative=OuterRef("pk"), pending=True)))
            .order_by("-updated_at"))


def initiative_latest(*, limit: int = 5, **filters) -> tuple[list[Initiative], int]:
    """The newest published initiatives matching simple filters, and how many match (two queries)."""
    qs = Initiative.objects.filter(state=State.PUBLISHED, **filters)
    items = list(qs.select_related("organisation").order_by("-published_at", "-id")[:limit])
    return items, qs.count()


def initiative_matrix_rationale(initiative: Initiative) -> list[MatrixLink]:
    """The current Matrix links between the initiative's action lines and its SDG targets (or goals)."""
    al_ids = [t.action_line_id for t in initiative.action_line_tags.all()]
    target_ids = [t.target_id for t in initiative.target_tags.all()]
    goal_ids = [t.goal_id for t in initiative.goal_tags.all()]
    if not al_ids:
        return []
    return list(matrix_links().filter(action_line_id__in=al_ids).filter(
        Q(target_id__in=target_ids) | Q(target__isnull=True, goal_id__in=goal_ids)))


def revision_list(initiative: Initiative) -> QuerySet:
    return initiative.revisions.select_related("author").order_by("-number")


def pending_revision_get(initiative: Initiative) -> InitiativeRevision | None:
    return initiative.revisions.filter(pending=True).select_related("author").first()


# --- matrix suggestions ----------------------------------------------------------------------------

@dataclass
class MatrixSuggestion:
    """An SDG target the current Matrix links to one or more chosen action lines, with the reasons."""

    target: Target
    reasons: list[tuple[ActionLine, str]]


def matrix_suggestions(action_lines: list[ActionLine]) -> list[MatrixSuggestion]:
    """Targets linked by the current Matrix to any of ``action_lines`` (one query)."""
    if not action_lines:
        return []
    by_target: dict[int, MatrixSuggestion] = {}
    for link in matrix_links().filter(action_line__in=action_lines, target__isnull=False).order_by(
            "goal__number", "target__order", "action_line__order"):
        suggestion = by_target.setdefault(link.target_id, MatrixSuggestion(link.target, []))
        suggestion.reasons.append((link.action_line, link.rationale))
    return list(by_target.values())


# --- moderation ------------------------------------------------------------------------------------

@dataclass
class ModerationFilters:
    state: str = ""
    organisation: str = ""
    country: str = ""
    action_line: str = ""
    submitted_from: Any = None
    submitted_to: Any = None


def moderation_queue(*, user, filters: ModerationFilters | None = None) -> QuerySet:
    """Entries and updates waiting for moderators, oldest submission first. Empty for non-moderators."""
    if not can_moderate(user):
        return Initiative.objects.none()
    f = filters or ModerationFilters()
    queued = {State.SUBMITTED, State.IN_REVIEW}
    states = [f.state] if f.state in queued else list(queued)
    pending = InitiativeRevision.objects.filter(initiative=OuterRef("pk"), pending=True, state__in=states)
    qs = Initiative.objects.annotate(update_pending=Exists(pending)).filter(
        Q(state__in=states) | Q(state=State.PUBLISHED, update_pending=True))
    if f.organisation:
        qs = qs.filter(organisation__slug=f.organisation)
    if f.country:
        qs = qs.filter(Exists(CountryLink.objects.filter(initiative_id=OuterRef("pk"), country__iso3=f.country.upper())))
    if f.action_line:
        qs = qs.filter(Exists(InitiativeActionLine.objects.filter(initiative=OuterRef("pk"),
                                                                  action_line__code=f.action_line.upper())))
    if f.submitted_from:
        qs = qs.filter(submitted_at__date__gte=f.submitted_from)
    if f.submitted_to:
        qs = qs.filter(submitted_at__date__lte=f.submitted_to)
    return qs.select_related("organisation__country", "created_by").prefetch_related(
        Prefetch("action_line_tags", queryset=InitiativeActionLine.objects.filter(is_primary=True)
                 .select_related("action_line")),
    ).order_by(F("submitted_at").asc(nulls_last=True), "pk")


def moderation_counts(*, user) -> dict[str, int]:
    qs = moderation_queue(user=user).order_by()
    counts: dict[str, int] = defaultdict(int)
    for state, n in qs.values_list("state").annotate(n=Count("pk")):
        counts[state] += n
    return dict(counts)


def commission_choices() -> list[tuple[str, str]]:
    return [(c.code, c.code) for c in RegionalCommission.objects.all()]


def commission_membership_countries(code: str) -> QuerySet:
    return CommissionMembership.objects.filter(commission__code=code).values("country_id")
