"""Reads of the reference taxonomy. Views, APIs and other apps' selectors call these."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet, Value
from django.shortcuts import get_object_or_404

from wsis.core.i18n import Translated, current_language

from .models import (
    ActionLine,
    ActionLineFacilitator,
    CommissionMembership,
    Country,
    CountryGroup,
    Goal,
    MatrixLink,
    MatrixVersion,
    Provenance,
    Region,
    RegionalCommission,
    StakeholderType,
    Target,
)
from .names import country_ids_matching

__all__ = [
    "provenance_by_record",
    "action_line_list",
    "action_line_get",
    "goal_list",
    "goal_get",
    "target_get",
    "matrix_version_current",
    "matrix_links",
    "matrix_grid",
    "matrix_cell",
    "reference_summary",
    "country_list",
    "country_get",
    "commission_list",
    "commission_get",
    "commission_memberships",
    "region_list",
    "CountryFilters",
    "COUNTRY_GROUPS",
    "countries_in_groups",
    "countries_matching",
    "reference_codes",
    "reference_codes_forget",
    "REFERENCE_CODES_KEY",
]

# The country groups a filter may name, as the ``Country`` flag of the same name (mirroring
# membership of the ``CountryGroup`` of that code).
COUNTRY_GROUPS = ("ldc", "lldc", "sids")


def action_line_list(*, leaves_only: bool = True) -> QuerySet[ActionLine]:
    qs = ActionLine.objects.prefetch_related(
        Prefetch("facilitator_roles", queryset=ActionLineFacilitator.objects.select_related("agency"))
    )
    return qs.filter(is_leaf=True) if leaves_only else qs


def action_line_get(*, slug: str) -> ActionLine:
    return get_object_or_404(action_line_list(leaves_only=False).select_related("parent"), slug=slug)


def goal_list() -> QuerySet[Goal]:
    return Goal.objects.all()


def goal_get(*, number: int) -> Goal:
    return get_object_or_404(Goal.objects.prefetch_related("targets__indicators"), number=number)


def target_get(*, code: str) -> Target:
    return get_object_or_404(Target.objects.select_related("goal").prefetch_related("indicators"), code=code)


def matrix_version_current() -> MatrixVersion | None:
    return MatrixVersion.objects.filter(is_current=True).first() or MatrixVersion.objects.first()


def matrix_links(*, version: MatrixVersion | None = None, action_line: ActionLine | None = None,
                 goal: Goal | None = None, target: Target | None = None) -> QuerySet[MatrixLink]:
    version = version or matrix_version_current()
    qs = MatrixLink.objects.filter(version=version).select_related("action_line", "goal", "target")
    if action_line is not None:
        qs = qs.filter(action_line=action_line)
    if goal is not None:
        qs = qs.filter(goal=goal)
    if target is not None:
        qs = qs.filter(target=target)
    return qs


@dataclass
class MatrixCell:
    action_line: ActionLine
    goal: Goal
    targets: list[str]
    goal_level: bool

    @property
    def linked(self) -> bool:
        return self.goal_level or bool(self.targets)


@dataclass
class MatrixGrid:
    version: MatrixVersion | None
    action_lines: list[ActionLine]
    goals: list[Goal]
    rows: list[tuple[ActionLine, list[MatrixCell]]]
    link_count: int
    goal_totals: list[int]


def matrix_grid(*, version: MatrixVersion | None = None) -> MatrixGrid:
    """The 18 × 17 grid of the Matrix: for each (action line, SDG) the targets linked, if any."""
    version = version or matrix_version_current()
    action_lines = list(ActionLine.objects.filter(is_leaf=True))
    goals = list(Goal.objects.all())
    cells: dict[tuple[int, int], dict] = defaultdict(lambda: {"targets": [], "goal_level": False})
    count = 0
    for al_id, goal_id, target_code in MatrixLink.objects.filter(version=version).order_by(
        "target__order"
    ).values_list("action_line_id", "goal_id", "target__code"):
        cell = cells[(al_id, goal_id)]
        count += 1
        if target_code:
            cell["targets"].append(target_code)
        else:
            cell["goal_level"] = True
    rows = []
    totals = [0] * len(goals)
    for al in action_lines:
        row = []
        for i, goal in enumerate(goals):
            data = cells.get((al.pk, goal.pk), {"targets": [], "goal_level": False})
            cell = MatrixCell(al, goal, data["targets"], data["goal_level"])
            totals[i] += 1 if cell.linked else 0
            row.append(cell)
        rows.append((al, row))
    return MatrixGrid(version, action_lines, goals, rows, count, totals)


def matrix_cell(*, action_line: ActionLine, goal: Goal, version: MatrixVersion | None = None) -> list[MatrixLink]:
    return list(matrix_links(version=version, action_line=action_line, goal=goal))


def reference_summary() -> dict[str, int]:
    """Headline counts of the reference data for the home page, one query per figure."""
    return {
        "action_lines": ActionLine.objects.filter(is_leaf=True).count(),
        "goals": Goal.objects.count(),
        "targets": Target.objects.count(),
        "matrix_links": MatrixLink.objects.count(),
        "countries": Country.objects.count(),
    }


REFERENCE_CODES_KEY = "taxonomy:reference-codes"
REFERENCE_CODES_SECONDS = 3600
# The codes a filter parameter may name: the model and column each is read from.
_CODE_COLUMNS = {
    "action_line": (ActionLine, "code"),
    "target": (Target, "code"),
    "country": (Country, "iso3"),
    "region": (Region, "m49"),
    "commission": (RegionalCommission, "code"),
    "stakeholder_type": (StakeholderType, "code"),
}


def reference_codes(kind: str, values) -> set[str]:
    """Those of ``values`` that are codes of a reference row of ``kind`` (``action_line``, ``target``,
    ``country``, ``region``, ``commission``, ``stakeholder_type``).

    Every query parameter naming a code is checked here, so the code sets are kept in the shared cache
    (one cache read instead of one query per parameter; dropped when ``load_reference`` commits). A value
    not in the cached set is looked up in the database before it is called unknown, so a row added since
    (an administrator's edit, a test's factory) is never refused.
    """
    model, column = _CODE_COLUMNS[kind]
    values = {str(v) for v in values}
    codes = cache.get(REFERENCE_CODES_KEY)
    if codes is None:
        parts = [m.objects.annotate(kind=Value(name)).values_list("kind", col).order_by()
                 for name, (m, col) in _CODE_COLUMNS.items()]
        found: dict[str, set[str]] = {name: set() for name in _CODE_COLUMNS}
        for name, code in parts[0].union(*parts[1:], all=True):  # one query for the six tables
            found[name].add(str(code))
        codes = {name: frozenset(values) for name, values in found.items()}
        cache.set(REFERENCE_CODES_KEY, codes, REFERENCE_CODES_SECONDS)
    known = values & codes[kind]
    if missing := values - known:
        known |= {str(v) for v in model.objects.filter(**{f"{column}__in": missing}).values_list(column, flat=True)}
    return known


def reference_codes_forget() -> None:
    """Drop the cached code sets (after reference data change)."""
    cache.delete(REFERENCE_CODES_KEY)


@dataclass
class CountryFilters:
    """Filters of the country list; every field optional."""

    q: str = ""
    region: str = ""
    commission: str = ""
    ldc: bool = False
    lldc: bool = False
    sids: bool = False
    members_only: bool = False


def country_list(filters: CountryFilters | None = None) -> QuerySet[Country]:
    f = filters or CountryFilters()
    qs = Country.objects.select_related("region", "sub_region").prefetch_related(
        Prefetch("commission_memberships", queryset=CommissionMembership.objects.select_related("commission"))
    )
    if f.q:
        term = f.q.strip()
        name_q = Q()
        for field in ("name_en", "name_fr", "name_es", "name_ru", "name_ar", "name_zh_hans"):
            name_q |= Q(**{f"{field}__icontains": term})
        # Names in the six languages as typed, plus what names.py knows: common names and aliases
        # ("Vietnam", "Turkey"), accents, case and hyphens ignored ("Cote d'Ivoire"), one typo forgiven ("Nepl").
        qs = qs.filter(name_q | Q(iso3__iexact=term) | Q(iso2__iexact=term)
                       | Q(iso3__in=country_ids_matching(term)))
    if f.region:
        qs = qs.filter(Q(region__m49=f.region) | Q(sub_region__m49=f.region) | Q(intermediate_region__m49=f.region))
    if f.commission:
        qs = qs.filter(commission_memberships__commission__code__iexact=f.commission)
    groups = [flag for flag in COUNTRY_GROUPS if getattr(f, flag)]
    if groups:
        qs = qs.filter(pk__in=countries_in_groups(groups).values("pk"))
    if f.members_only:
        qs = qs.filter(is_un_member=True)
    return qs.order_by(Translated.column("name"), "name_en").distinct()


def countries_in_groups(groups) -> QuerySet[Country]:
    """Countries in **any** of ``groups`` (codes of ``COUNTRY_GROUPS``; unknown codes are ignored).

    This is the one meaning of "country group" as a filter, in the country list, the stocktaking
    search and the analytics: ticking LDC and SIDS means a country that is an LDC *or* a SIDS.
    No known group gives no country.
    """
    q = Q()
    for flag in dict.fromkeys(groups):
        if flag in COUNTRY_GROUPS:
            q |= Q(**{flag: True})
    return Country.objects.filter(q) if q else Country.objects.none()


def countries_matching(*, iso3=(), region=(), commission=(), group=()) -> QuerySet[Country] | None:
    """Countries matching the geographic filters of an initiative filter set, or None when none is set.

    Several values of one filter match any of them (OR); the filters combine with AND, all on the
    *same* country. ``region`` is a UN M49 code of a region, sub-region or intermediate region.
    """
    if not (iso3 or region or commission or group):
        return None
    qs = Country.objects.all()
    if iso3:
        qs = qs.filter(iso3__in=[c.upper() for c in iso3])
    if region:
        qs = qs.filter(Q(region__m49__in=region) | Q(sub_region__m49__in=region)
                       | Q(intermediate_region__m49__in=region))
    if commission:
        qs = qs.filter(pk__in=CommissionMembership.objects.filter(
            commission__code__in=[c.upper() for c in commission]).values("country_id"))
    if group:
        qs = qs.filter(pk__in=countries_in_groups(group).values("pk"))
    return qs


def country_get(*, iso3: str) -> Country:
    return get_object_or_404(
        Country.objects.select_related("region", "sub_region", "intermediate_region").prefetch_related(
            Prefetch("commission_memberships", queryset=CommissionMembership.objects.select_related("commission")),
            "groups",
        ),
        iso3=iso3.upper(),
    )


def commission_list() -> QuerySet[RegionalCommission]:
    return RegionalCommission.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__kind=CommissionMembership.Kind.MEMBER)),
        associate_count=Count("memberships", filter=Q(memberships__kind=CommissionMembership.Kind.ASSOCIATE)),
    )


def commission_get(*, code: str) -> RegionalCommission:
    """One commission with its member counts, by code in any case (``escap``, ``ESCAP``)."""
    return get_object_or_404(commission_list(), code__iexact=code)


def commission_memberships(*, commission: RegionalCommission) -> QuerySet[CommissionMembership]:
    """Members first, then associate members, each by English name."""
    return commission.memberships.select_related("country").order_by("kind", "country__name_en")


def region_list() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.REGION)


def country_group_list() -> QuerySet[CountryGroup]:
    return CountryGroup.objects.annotate(member_count=Count("members"))


@dataclass
class ProvenanceCount:
    kind: str
    field: str
    status: str
    status_label: str
    count: int


@functools.cache
def _shipped_sources() -> tuple[dict, ...]:
    """``sources.yaml`` and ``sources.i18n.yaml``, parsed once per process: they ship with the code and
    change only with a deployment (parsing both took about 80 ms, on every view of the sources page)."""
    from .reference import parse_sources

    return tuple(parse_sources())


def reference_sources() -> list[dict]:
    """The shipped reference datasets with their source, licence, date checked and status (sources.yaml).

    Each dataset's ``shown`` gives, for ``what``, ``licence`` and ``status_note``, the text in the page's
    language (``sources.i18n.yaml``) with the provenance of the translation as an unsaved
    :class:`Provenance` row (``row``, for ``{% provenance_mark %}``), or the English text with
    ``english`` set when there is no translation (or the page is in English)."""
    from .reference import SOURCES_I18N_FIELDS

    lang = current_language()
    datasets = [dict(dataset) for dataset in _shipped_sources()]  # "shown" is per language: not on the shared copy
    for dataset in datasets:
        texts = dataset["translations"].get(lang, {}) if lang != "en" else {}
        shown = {}
        for name in SOURCES_I18N_FIELDS:
            entry = dataset["provenance"].get(name)
            if texts.get(name) and entry:
                row = Provenance(field=name, language=lang, status=entry["status"], source=entry["source"],
                                 checked_on=entry["checked_on"], note=entry["note"])
                shown[name] = {"text": texts[name], "english": False, "row": row}
            else:
                shown[name] = {"text": dataset[name], "english": lang != "en", "row": None}
        dataset["shown"] = shown
    return datasets


def provenance_counts() -> list[ProvenanceCount]:
    """How many facts of each kind of record have each status, from taxonomy.Provenance."""
    rows = (Provenance.objects.values("content_type", "field", "status").annotate(n=Count("pk"))
            .order_by("content_type", "field", "status"))
    labels = dict(Provenance.Status.choices)
    out = []
    for row in rows:
        model = ContentType.objects.get_for_id(row["content_type"]).model_class()
        kind = str(model._meta.verbose_name_plural) if model else str(row["content_type"])
        field = "member" if row["field"].startswith("member:") else row["field"]
        if out and (out[-1].kind, out[-1].field, out[-1].status) == (kind, field, row["status"]):
            out[-1].count += row["n"]
            continue
        out.append(ProvenanceCount(kind, field, row["status"], str(labels.get(row["status"], row["status"])), row["n"]))
    return out


def provenance_by_record(model) -> dict:
    """Every provenance row of ``model``'s records, keyed by (object id, field, language)."""
    ct = ContentType.objects.get_for_model(model)
    return {(row.object_id, row.field, row.language): row
            for row in Provenance.objects.filter(content_type=ct)}
