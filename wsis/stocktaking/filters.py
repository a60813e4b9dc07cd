"""The one filter set over published initiatives, and its one parser.

The search page, the exports, the Atom feed, the API (initiative list and analytics endpoints) and
the analytics pages all read the same query parameters into the same :class:`InitiativeFilters`
with :func:`parse_filters`, and the same filters select the same initiatives everywhere
(:func:`initiative_q`; the search's PostgreSQL path reads the same values from facet tokens).

Meaning: several values of one parameter match any of them (OR); parameters combine with AND. The
geographic parameters (``country``, ``region``, ``commission``, ``group``) select countries, all
conditions on the *same* country, through ``taxonomy.selectors.countries_matching``; ``group`` means
a country in *any* of the groups. An initiative matches when one of its countries is selected.

Spelling: repeated parameters (``group=ldc&group=sids``; a comma-separated list is read too). The
old analytics spelling of groups (``ldc=on``, ``lldc=on``, ``sids=on``) is translated by
:func:`legacy_to_canonical`: pages redirect to the new spelling, the API reads them as deprecated
aliases.

Invalid input (a non-integer year, an unknown code, a NUL byte, a huge number) is reported per
field in ``ParsedFilters.errors`` and the invalid values are left out: the pages show it as a form
error, the API answers 400 naming the field. Unknown parameter names are ignored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpResponseBadRequest, HttpResponsePermanentRedirect, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wsis.accounts.models import Organisation
from wsis.taxonomy.selectors import COUNTRY_GROUPS, countries_matching, reference_codes

from .models import (
    INACTIVE_AFTER_DAYS,
    Initiative,
    InitiativeActionLine,
    InitiativeGoal,
    InitiativeTarget,
    InitiativeTargetGroup,
    InitiativeTranslation,
    ProgressReport,
    TargetGroup,
)

__all__ = [
    "InitiativeFilters",
    "ParsedFilters",
    "parse_filters",
    "legacy_to_canonical",
    "legacy_redirect",
    "bad_request",
    "initiative_q",
    "SORTS",
    "GROUP_FLAGS",
    "FILTER_LABELS",
    "TAG_QUALITY",
    "LEGACY_GROUP_PARAMS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "ACTIVITY",
    "active_q",
    "LANGUAGE_CODES",
]

SORTS = {
    "relevance": _("Relevance"),
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
    "title": _("Title (A–Z)"),
}
GROUP_FLAGS = {"ldc": _("Least developed countries (LDC)"), "lldc": _("Landlocked developing countries (LLDC)"),
               "sids": _("Small island developing states (SIDS)")}
assert tuple(GROUP_FLAGS) == COUNTRY_GROUPS
FILTER_LABELS = {
    "q": _("Search words"), "action_line": _("Action line"), "goal": _("SDG"), "target": _("SDG target"),
    "country": _("Country"), "region": _("Region"), "commission": _("Regional commission"),
    "group": _("Country group"), "stakeholder_type": _("Stakeholder type"), "kind": _("Kind"),
    "status": _("Status"), "year": _("Year"), "year_from": _("From year"), "year_to": _("To year"),
    "target_group": _("Target group"), "gender_marker": _("Gender marker"), "organisation": _("Organisation"),
    "tags": _("Tags"), "activity": _("Activity"), "language": _("Available in"), "sort": _("Sort by"),
}
# Issue 18: an entry with no progress report (and not published) in the last two years is inactive.
ACTIVITY = {
    "active": _("Active (reported or published in the last two years)"),
    "inactive": _("Inactive (no progress report for two years)"),
}
# Tag quality (``tags=``): "confirmed" keeps the initiatives whose every action-line, SDG and target
# tag a moderator has confirmed (approved with it, or corrected the tags since; TagProvenance).
TAG_QUALITY = {"confirmed": _("Confirmed by a moderator")}
LEGACY_GROUP_PARAMS = COUNTRY_GROUPS  # ldc=on, lldc=on, sids=on: the analytics' old spelling of group=…
# ``language=fr``: initiatives available in French, written in it or translated into it (issue 21).
LANGUAGE_CODES = tuple(code for code, _name in Initiative._meta.get_field("language").choices)
FIRST_YEAR, LAST_YEAR = 1990, 2100
MAX_VALUES = 30  # values of one parameter
MAX_VALUE_LENGTH = 40
MAX_TEXT = 200
TRUE_WORDS = {"on", "true", "1", "yes"}
FALSE_WORDS = {"", "off", "false", "0", "no"}


@dataclass
class InitiativeFilters:
    """Which published initiatives to show: one list per parameter (OR within, AND across)."""

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
    year_from: int | None = None
    year_to: int | None = None
    target_group: list[str] = field(default_factory=list)
    gender_marker: list[int] = field(default_factory=list)
    organisation: str = ""
    tags: str = ""
    activity: str = ""
    language: list[str] = field(default_factory=list)
    sort: str = ""

    @classmethod
    def from_query(cls, query) -> InitiativeFilters:
        """The valid part of ``query`` (see :func:`parse_filters` for the errors)."""
        return parse_filters(query).filters

    @property
    def effective_sort(self) -> str:
        if self.sort == "relevance" and not self.q:
            return "newest"
        return self.sort or ("relevance" if self.q else "newest")

    @property
    def country_filtered(self) -> bool:
        return bool(self.country or self.region or self.commission or self.group)

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) not in (None, "", []) for f in fields(self) if f.name != "sort")

    @property
    def active(self) -> bool:
        return not self.is_empty()

    @property
    def filter_count(self) -> int:
        """How many filters narrow the list, the words and the sort left out: the n of "Filters (n)"."""
        return sum(1 for name, _value in self.as_query() if name not in ("q", "sort"))

    def replace(self, **changes) -> InitiativeFilters:
        return dataclasses.replace(self, **changes)

    def digest(self) -> str:
        """A stable hash of the filters (the sort left out), for cache keys."""
        payload = {k: v for k, v in dataclasses.asdict(self).items() if k != "sort" and v not in (None, "", [])}
        return hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def as_query(self) -> list[tuple[str, str]]:
        """The filters as (name, value) pairs in the one URL spelling (links, feeds, exports, pagination)."""
        pairs = []
        for f in fields(self):
            value = getattr(self, f.name)
            for v in value if isinstance(value, list) else [value]:
                if v not in ("", None):
                    pairs.append((f.name, str(v)))
        return pairs

    def query(self, **extra) -> str:
        """The filters, plus ``extra`` parameters (a value or a list), urlencoded."""
        pairs = self.as_query()
        for name, value in extra.items():
            for v in value if isinstance(value, list | tuple) else [value]:
                if v not in ("", None) and (name, str(v)) not in pairs:
                    pairs.append((name, str(v)))
        return urlencode(pairs)


@dataclass
class ParsedFilters:
    filters: InitiativeFilters
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors


def _raw_values(query, name: str) -> list[str]:
    if hasattr(query, "getlist"):
        values = query.getlist(name)
    else:
        value = query.get(name, [])
        values = list(value) if isinstance(value, list | tuple) else [value]
    return ["" if v is None else str(v) for v in values]


def _split(values: list[str]) -> list[str]:
    out = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def _has_control(value: str) -> bool:
    return any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value)


class _Parser:
    def __init__(self, query):
        self.query = query
        self.errors: dict[str, list[str]] = {}

    def error(self, name: str, message) -> None:
        self.errors.setdefault(name, []).append(str(message))

    def texts(self, name: str) -> list[str]:
        """The cleaned values of a list parameter; reports (and drops) malformed ones."""
        values = _split(_raw_values(self.query, name))
        good = []
        for v in values:
            if _has_control(v):
                self.error(name, _("Contains a control character (such as a NUL byte)."))
            elif len(v) > MAX_VALUE_LENGTH:
                self.error(name, ngettext("A value is longer than %(n)d character.",
                                               "A value is longer than %(n)d characters.", MAX_VALUE_LENGTH)
                                      % {"n": MAX_VALUE_LENGTH})
            else:
                good.append(v)
        if len(good) > MAX_VALUES:
            self.error(name, ngettext("At most %(n)d value.", "At most %(n)d values.", MAX_VALUES) % {"n": MAX_VALUES})
            good = good[:MAX_VALUES]
        return good

    def text(self, name: str, limit: int) -> str:
        values = [v for v in _raw_values(self.query, name) if v.strip()]
        value = values[-1].strip() if values else ""
        if _has_control(value):
            self.error(name, _("Contains a control character (such as a NUL byte)."))
            return ""
        if len(value) > limit:
            self.error(name, ngettext("At most %(n)d character.", "At most %(n)d characters.", limit) % {"n": limit})
            return ""
        return value

    def ints(self, name: str, low: int, high: int, message) -> list[int]:
        out = []
        for v in self.texts(name):
            if v.isascii() and v.isdigit() and len(v) <= 6 and low <= int(v) <= high:
                out.append(int(v))
            else:
                self.error(name, message % {"value": v[:20], "low": low, "high": high})
        return out

    def one_int(self, name: str, low: int, high: int, message) -> int | None:
        values = self.ints(name, low, high, message)
        return values[-1] if values else None

    def choices(self, name: str, allowed, *, normalise=str) -> list[str]:
        out = []
        for v in self.texts(name):
            v = normalise(v)
            if v in allowed:
                out.append(v)
            else:
                self.error(name, _("Unknown value: %(value)s.") % {"value": v[:20]})
        return out

    def codes(self, name: str, *, normalise=str) -> list[str]:
        """Values that are codes of the reference rows the parameter names (``taxonomy.selectors.reference_codes``:
        checked against cached code sets, no query per parameter)."""
        values = [normalise(v) for v in self.texts(name)]
        if not values:
            return []
        known = reference_codes(name, values)
        for v in values:
            if v not in known:
                self.error(name, _("Unknown code: %(value)s.") % {"value": v[:20]})
        return [v for v in values if v in known]


def parse_filters(query: QueryDict | Mapping) -> ParsedFilters:
    """Read the filter parameters of ``query`` (a QueryDict or a mapping of names to a value or a list).

    Returns the valid filters and, per parameter, what was wrong with the rest.
    """
    p = _Parser(query)
    year_message = _("Enter a year from %(low)d to %(high)d, not “%(value)s”.")
    f = InitiativeFilters(
        q=p.text("q", MAX_TEXT),
        action_line=p.codes("action_line", normalise=str.upper),
        goal=p.ints("goal", 1, 17, _("Enter an SDG number from 1 to 17, not “%(value)s”.")),
        target=p.codes("target"),
        country=p.codes("country", normalise=str.upper),
        region=p.codes("region"),
        commission=p.codes("commission", normalise=str.upper),
        group=p.choices("group", COUNTRY_GROUPS, normalise=str.lower),
        stakeholder_type=p.codes("stakeholder_type"),
        kind=p.choices("kind", Initiative.Kind.values),
        status=p.choices("status", Initiative.Status.values),
        year=p.ints("year", FIRST_YEAR, LAST_YEAR, year_message),
        year_from=p.one_int("year_from", FIRST_YEAR, LAST_YEAR, year_message),
        year_to=p.one_int("year_to", FIRST_YEAR, LAST_YEAR, year_message),
        target_group=p.choices("target_group", TargetGroup.values),
        gender_marker=p.ints("gender_marker", 0, 2, _("Enter a gender marker of 0, 1 or 2, not “%(value)s”.")),
        organisation=p.text("organisation", 120),
    )
    tags = p.text("tags", 20)
    if tags and tags not in TAG_QUALITY:
        p.error("tags", _("Unknown value: %(value)s.") % {"value": tags})
    else:
        f.tags = tags
    f.language = p.choices("language", LANGUAGE_CODES, normalise=str.lower)
    activity = p.choices("activity", ACTIVITY, normalise=str.lower)
    f.activity = activity[-1] if activity else ""
    if f.year_from is not None and f.year_to is not None and f.year_from > f.year_to:
        p.error("year_to", _("The end year must not be before the start year."))
        f.year_to = None
    sort = p.text("sort", 20)
    if sort and sort not in SORTS:
        p.error("sort", _("Unknown value: %(value)s.") % {"value": sort})
    else:
        f.sort = sort
    return ParsedFilters(f, p.errors)


def legacy_to_canonical(query: QueryDict) -> QueryDict | None:
    """``query`` in the one spelling when it uses an old one (``ldc=on`` → ``group=ldc``), else None."""
    if not any(name in query for name in LEGACY_GROUP_PARAMS):
        return None
    out = query.copy()
    groups = out.getlist("group")
    for name in LEGACY_GROUP_PARAMS:
        values = out.pop(name, [])
        if any(str(v).strip().lower() in TRUE_WORDS for v in values) and name not in groups:
            groups.append(name)
    if groups:
        out.setlist("group", groups)
    return out


def legacy_redirect(request) -> HttpResponsePermanentRedirect | None:
    """A permanent redirect to the same page in the one spelling, when the request uses an old one."""
    canonical = legacy_to_canonical(request.GET) if request.method in ("GET", "HEAD") else None
    if canonical is None:
        return None
    query = canonical.urlencode()
    return HttpResponsePermanentRedirect(f"{request.path}?{query}" if query else request.path)


def bad_request(errors: dict[str, list[str]]) -> HttpResponseBadRequest:
    """A plain-text 400 naming each invalid parameter (downloads and feeds, which have no form to show)."""
    lines = [f"{name}: {' '.join(messages)}" for name, messages in errors.items()]
    return HttpResponseBadRequest("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def initiative_q(f: InitiativeFilters, *, id_field: str = "id", prefix: str = "") -> Q:
    """Every filter but the text query as a ``Q`` on a model whose initiative id is ``id_field`` and whose
    initiative columns are reached through ``prefix``: "" on ``Initiative`` and on analytics' coverage
    rows (which copy those columns), "initiative__" on tag rows. Published-ness is the caller's."""
    q = Q()
    ids = f"{id_field}__in"

    def tagged(model, **lookup):
        return Q(**{ids: model.objects.filter(**lookup).values("initiative_id")})

    if f.organisation:
        q &= Q(**{f"{prefix}organisation_id__in": Organisation.objects.filter(slug=f.organisation).values("id")})
    if f.action_line:
        q &= tagged(InitiativeActionLine, action_line__code__in=f.action_line)
    if f.goal:
        q &= tagged(InitiativeGoal, goal__number__in=f.goal)
    if f.target:
        q &= tagged(InitiativeTarget, target__code__in=f.target)
    if f.stakeholder_type:
        q &= Q(**{f"{prefix}organisation_id__in": Organisation.objects.filter(
            stakeholder_type__code__in=f.stakeholder_type).values("id")})
    for name in ("kind", "status", "year", "gender_marker"):
        if getattr(f, name):
            q &= Q(**{f"{prefix}{name}__in": getattr(f, name)})
    if f.year_from is not None:
        q &= Q(**{f"{prefix}year__gte": f.year_from})
    if f.year_to is not None:
        q &= Q(**{f"{prefix}year__lte": f.year_to})
    if f.target_group:
        q &= tagged(InitiativeTargetGroup, group__in=f.target_group)
    if f.tags == "confirmed":
        # Tagged (at least one SDG), and no tag left that no moderator confirmed.
        q &= tagged(InitiativeGoal, confirmed_by__isnull=False)
        for model in (InitiativeActionLine, InitiativeGoal, InitiativeTarget):
            q &= ~tagged(model, confirmed_by__isnull=True)
    if f.language:
        # Written in one of the languages, or translated into one of them.
        translated = InitiativeTranslation.objects.filter(language__in=f.language).values("initiative_id")
        if id_field == "id" and not prefix:
            q &= Q(language__in=f.language) | Q(id__in=translated)
        else:
            q &= Q(**{ids: Initiative.objects.filter(language__in=f.language).values("id")}) | Q(**{ids: translated})
    if f.activity:
        active = active_q(id_field=id_field)
        q &= active if f.activity == "active" else ~active
    countries = countries_matching(iso3=f.country, region=f.region, commission=f.commission, group=f.group)
    if countries is not None:
        # The country ids are resolved first (at most 249, one tiny query) and passed as literals:
        # with them PostgreSQL estimates the matching initiatives from its statistics on
        # initiative_countries.country_id and picks a sound plan; through the OR-ed region subquery
        # it guessed a few rows and chose nested loops that were 10–50 times slower at 200,000.
        country_ids = list(countries.values_list("id", flat=True).distinct())
        q &= tagged(Initiative.countries.through, country_id__in=country_ids)
    return q


def active_q(*, id_field: str = "id", now: dt.datetime | None = None) -> Q:
    """Initiatives that are *active*: published, or given a progress report, in the last two years
    (``INACTIVE_AFTER_DAYS``). Its negation marks the inactive ones; nothing is deleted."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=INACTIVE_AFTER_DAYS)
    reported = ProgressReport.objects.filter(filed_at__gte=cutoff).values("initiative_id")
    if id_field == "id":  # on the initiatives themselves: the date on the row, not a semi-join over every
        # recent initiative (126 ms for a page of 20 at 200,000 initiatives)
        return Q(id__in=reported) | Q(published_at__gte=cutoff)
    fresh = Initiative.objects.filter(published_at__gte=cutoff).values("id")
    return Q(**{f"{id_field}__in": reported}) | Q(**{f"{id_field}__in": fresh})
