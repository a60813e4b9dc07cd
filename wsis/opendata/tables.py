"""The tables of the bulk downloads: what each holds, its fields (name, type, description) and its rows.

One definition feeds every output: the CSV, JSON Lines, XLSX and Parquet files, the Frictionless
``datapackage.json`` (Table Schema types), the data dictionary and the DCAT catalogue. Rows are
generators over ``QuerySet.iterator()`` (server-side cursors on PostgreSQL), so a table of any size
is read in chunks and never held in memory.

Only published data: published initiatives and their tags, organisations, the indicator catalogue and
its observations, the current WSIS–SDG Matrix, the reference lists with their linked identifiers
(UN SDG URIs, M49 and ISO codes), the scheduled sessions of the WSIS Forum and the published regional
reviews.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from wsis.accounts.selectors import organisation_list
from wsis.forum.models import Session
from wsis.indicators.models import Observation
from wsis.indicators.selectors import indicator_list
from wsis.reviews.selectors import review_list_published
from wsis.stocktaking.exports import export_rows
from wsis.stocktaking.filters import InitiativeFilters
from wsis.stocktaking.models import Initiative, InitiativeActionLine, InitiativeGoal, InitiativeTarget
from wsis.stocktaking.search import initiative_search
from wsis.taxonomy.identifiers import SDG_BASE, goal_uri, m49_uri, target_uri
from wsis.taxonomy.models import Country, Target
from wsis.taxonomy.selectors import action_line_list, goal_list, matrix_links, matrix_version_current

__all__ = ["Field", "Table", "TABLES", "table_get", "SDG_BASE", "goal_uri", "target_uri", "CHUNK"]

CHUNK = 2000


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema type: string, integer, number, boolean, date, datetime
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: Callable[[], Iterator[dict]]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[dict, ...] = field(default_factory=tuple)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


def _none_if_blank(value):
    return None if value == "" else value


# --- initiatives ----------------------------------------------------------------------------------

def _published() -> Initiative:
    return initiative_search(InitiativeFilters(), relations=False).order_by("id")


INITIATIVE_FIELDS = (
    Field("id", "integer", _("Identifier of the initiative in the registry.")),
    Field("url", "string", _("Path of the initiative's public page.")),
    Field("title", "string", _("Title, in the original language.")),
    Field("summary", "string", _("One or two sentences.")),
    Field("description", "string", _("Longer description.")),
    Field("organisation", "string", _("Name of the organisation that registered it.")),
    Field("stakeholder_type", "string", _("Stakeholder type code of that organisation.")),
    Field("language", "string", _("Language the texts are written in (BCP 47).")),
    Field("kind", "string", _("Kind of initiative (project, programme, policy, …).")),
    Field("status", "string", _("planned, ongoing or completed.")),
    Field("start_date", "date", _("Start date.")),
    Field("end_date", "date", _("End date.")),
    Field("year", "integer", _("Year it started.")),
    Field("coverage", "string", _("national, regional or global.")),
    Field("countries", "string", _("ISO 3166 alpha-3 codes of the countries, separated by ';'.")),
    Field("primary_action_line", "string", _("Code of the primary WSIS action line (C1…C11).")),
    Field("action_lines", "string", _("Codes of further action lines, separated by ';'.")),
    Field("goals", "string", _("SDG numbers, separated by ';' (URIs: http://metadata.un.org/sdg/<n>).")),
    Field("targets", "string", _("SDG target codes, separated by ';' (URIs: http://metadata.un.org/sdg/<code>).")),
    Field("target_groups", "string", _("Groups of people it is designed for, separated by ';'.")),
    Field("gender_marker", "integer", _("OECD DAC gender equality policy marker: 0, 1 or 2.")),
    Field("partners", "string", _("Partner organisations, separated by ';'.")),
    Field("website", "string", _("Website.")),
    Field("published_at", "datetime", _("When the moderators published it.")),
    Field("last_reviewed_at", "datetime", _("When it was last revised.")),
)
_TYPED = {f.name for f in INITIATIVE_FIELDS if f.type != "string"}


def initiative_rows() -> Iterator[dict]:
    for row in export_rows(_published()):
        yield {k: (_none_if_blank(v) if k in _TYPED else v) for k, v in row.items()}


def initiative_tag_rows() -> Iterator[dict]:
    """One row per tag, with where it came from (submitter, matrix, classifier, moderator)."""
    published = Q(initiative__state=Initiative.State.PUBLISHED)
    for tag in (InitiativeActionLine.objects.filter(published).order_by("initiative_id", "action_line__code")
                .values_list("initiative_id", "action_line__code", "is_primary", "source").iterator(chunk_size=CHUNK)):
        yield {"initiative_id": tag[0], "vocabulary": "wsis_action_line", "code": tag[1], "uri": "",
               "primary": tag[2], "source": tag[3]}
    for tag in (InitiativeGoal.objects.filter(published).order_by("initiative_id", "goal__number")
                .values_list("initiative_id", "goal__number", "source").iterator(chunk_size=CHUNK)):
        yield {"initiative_id": tag[0], "vocabulary": "sdg_goal", "code": str(tag[1]), "uri": goal_uri(tag[1]),
               "primary": False, "source": tag[2]}
    for tag in (InitiativeTarget.objects.filter(published).order_by("initiative_id", "target__code")
                .values_list("initiative_id", "target__code", "source").iterator(chunk_size=CHUNK)):
        yield {"initiative_id": tag[0], "vocabulary": "sdg_target", "code": tag[1], "uri": target_uri(tag[1]),
               "primary": False, "source": tag[2]}


# --- organisations, reference lists ----------------------------------------------------------------

def organisation_rows() -> Iterator[dict]:
    qs = organisation_list().annotate(
        published_initiatives=Count("initiatives", filter=Q(initiatives__state=Initiative.State.PUBLISHED)))
    for org in qs.order_by("id").iterator(chunk_size=CHUNK):
        yield {"id": org.pk, "slug": org.slug, "name": org.name, "acronym": org.acronym,
               "stakeholder_type": org.stakeholder_type.code, "country": org.country.iso3,
               "website": org.website, "description": org.description, "iati_identifier": org.iati_identifier,
               "published_initiatives": org.published_initiatives}


def action_line_rows() -> Iterator[dict]:
    for al in action_line_list():
        yield {"code": al.code, "name": al.name_en, "short_name": al.short_name_en}


def goal_rows() -> Iterator[dict]:
    for goal in goal_list():
        yield {"number": goal.number, "title": goal.title_en, "uri": goal_uri(goal.number)}


def target_rows() -> Iterator[dict]:
    for target in Target.objects.select_related("goal").order_by("goal__number", "order", "code"):
        yield {"code": target.code, "goal": target.goal.number, "title": target.title_en,
               "uri": target_uri(target.code)}


def country_rows() -> Iterator[dict]:
    for c in Country.objects.select_related("region", "sub_region").order_by("iso3"):
        yield {"iso3": c.iso3, "iso2": c.iso2, "m49": c.m49, "name": c.name_en,
               "region_m49": c.region.m49 if c.region_id else "",
               "sub_region_m49": c.sub_region.m49 if c.sub_region_id else "",
               "m49_uri": m49_uri(c.m49), "ldc": c.ldc, "lldc": c.lldc,
               "sids": c.sids}


def matrix_rows() -> Iterator[dict]:
    version = matrix_version_current()
    if version is None:
        return
    for link in matrix_links(version=version):
        yield {"version": version.code, "action_line": link.action_line.code, "goal": link.goal.number,
               "target": link.target.code if link.target_id else "", "rationale": link.rationale}


# --- indicators -----------------------------------------------------------------------------------

def indicator_rows() -> Iterator[dict]:
    for ind in indicator_list():
        yield {"code": ind.code, "name": ind.name_en, "unit": ind.unit, "aggregation": ind.aggregation,
               "higher_is_better": ind.higher_is_better,
               "sdg_indicator": ind.sdg_indicator.code if ind.sdg_indicator_id else "",
               "description": ind.description, "source": ind.source, "licence": ind.licence,
               "source_url": ind.source_url}


def observation_rows() -> Iterator[dict]:
    qs = (Observation.objects.order_by("id").values_list(
        "id", "indicator__code", "country__iso3", "group_code", "group_name", "year", "value", "sex", "area", "age",
        "source", "note"))
    for o in qs.iterator(chunk_size=CHUNK):
        yield {"id": o[0], "indicator": o[1], "country": o[2] or "", "aggregate_code": o[3],
               "aggregate_name": o[4], "year": o[5], "value": o[6], "sex": o[7], "area": o[8], "age": o[9],
               "source": o[10], "note": o[11]}


# --- forum and reviews metadata -------------------------------------------------------------------

def forum_session_rows() -> Iterator[dict]:
    qs = (Session.objects.filter(starts_at__isnull=False, room__isnull=False).select_related("edition", "room")
          .prefetch_related("action_lines", "goals").order_by("id"))
    for s in qs.iterator(chunk_size=CHUNK):
        yield {"id": s.pk, "edition": s.edition.year, "title": s.title, "type": s.type, "track": s.track,
               "organisers": s.organisers, "room": s.room.name, "starts_at": s.starts_at, "ends_at": s.ends_at,
               "action_lines": ";".join(sorted(a.code for a in s.action_lines.all())),
               "goals": ";".join(str(n) for n in sorted(g.number for g in s.goals.all()))}


def review_rows() -> Iterator[dict]:
    for cycle in review_list_published():
        report = cycle.published_reports[0] if cycle.published_reports else None
        yield {"id": cycle.pk, "commission": cycle.commission.code, "year": cycle.year, "title": cycle.title,
               "goals": ";".join(str(n) for n in sorted(g.number for g in cycle.goals.all())),
               "report_version": report.version if report else None,
               "report_published_at": report.published_at if report else None}


TABLES: tuple[Table, ...] = (
    Table("initiatives", _("Initiatives"),
          _("Every published initiative of the WSIS Stocktaking registry, with its tags."),
          INITIATIVE_FIELDS, initiative_rows, ("id",)),
    Table("initiative_tags", _("Initiative tags"),
          _("One row per tag of a published initiative: WSIS action lines, SDGs and SDG targets, with the tag's source."),
          (Field("initiative_id", "integer", _("The initiative (initiatives.id).")),
           Field("vocabulary", "string", _("wsis_action_line, sdg_goal or sdg_target.")),
           Field("code", "string", _("The action line code, SDG number or target code.")),
           Field("uri", "string", _("The UN SDG knowledge organisation URI of an SDG or target.")),
           Field("primary", "boolean", _("Whether it is the initiative's primary action line.")),
           Field("source", "string", _("Who set the tag: submitter, matrix, classifier or moderator."))),
          initiative_tag_rows, (),
          ({"fields": "initiative_id", "reference": {"resource": "initiatives", "fields": "id"}},)),
    Table("organisations", _("Organisations"), _("Organisations that register initiatives."),
          (Field("id", "integer", _("Identifier.")), Field("slug", "string", _("Short name used in its page's address.")),
           Field("name", "string", _("Name.")), Field("acronym", "string", _("Acronym.")),
           Field("stakeholder_type", "string", _("Stakeholder type code.")),
           Field("country", "string", _("ISO 3166 alpha-3 code of the country it is based in.")),
           Field("website", "string", _("Website.")), Field("description", "string", _("Description.")),
           Field("iati_identifier", "string", _("IATI organisation identifier, when known.")),
           Field("published_initiatives", "integer", _("Number of its published initiatives."))),
          organisation_rows, ("id",)),
    Table("action_lines", _("WSIS action lines"), _("The WSIS action lines (reporting units)."),
          (Field("code", "string", _("Code (C1…C11, with sub-units).")), Field("name", "string", _("Name (English).")),
           Field("short_name", "string", _("Short name (English)."))), action_line_rows, ("code",)),
    Table("sdg_goals", _("Sustainable Development Goals"), _("The 17 SDGs with their UN URIs."),
          (Field("number", "integer", _("Goal number.")), Field("title", "string", _("Title (English).")),
           Field("uri", "string", _("URI in the UN SDG knowledge organisation system."))), goal_rows, ("number",)),
    Table("sdg_targets", _("SDG targets"), _("The SDG targets with their UN URIs."),
          (Field("code", "string", _("Target code (e.g. 4.4).")), Field("goal", "integer", _("Goal number.")),
           Field("title", "string", _("Title (English).")),
           Field("uri", "string", _("URI in the UN SDG knowledge organisation system."))), target_rows, ("code",)),
    Table("countries", _("Countries and areas"), _("Countries and areas with their M49 and ISO 3166 codes."),
          (Field("iso3", "string", _("ISO 3166 alpha-3.")), Field("iso2", "string", _("ISO 3166 alpha-2.")),
           Field("m49", "string", _("UN M49 code.")), Field("name", "string", _("Name (English).")),
           Field("region_m49", "string", _("M49 code of its region.")),
           Field("sub_region_m49", "string", _("M49 code of its sub-region.")),
           Field("m49_uri", "string", _("URI of the M49 code.")),
           Field("ldc", "boolean", _("Least developed country.")), Field("lldc", "boolean", _("Landlocked developing country.")),
           Field("sids", "boolean", _("Small island developing state."))), country_rows, ("iso3",)),
    Table("matrix", _("WSIS–SDG Matrix"),
          _("Links between WSIS action lines and SDGs (and targets) of the current version."),
          (Field("version", "string", _("Matrix version.")), Field("action_line", "string", _("Action line code.")),
           Field("goal", "integer", _("SDG number.")), Field("target", "string", _("SDG target code, if the link names one.")),
           Field("rationale", "string", _("Why they are linked."))), matrix_rows),
    Table("indicators", _("ICT indicators"),
          _("The ICT indicator catalogue, with each indicator's source and licence."),
          (Field("code", "string", _("Code.")), Field("name", "string", _("Name (English).")), Field("unit", "string", _("Unit.")),
           Field("aggregation", "string", _("How group values are computed.")),
           Field("higher_is_better", "boolean", _("Whether a higher value is better.")),
           Field("sdg_indicator", "string", _("SDG indicator code, if any.")),
           Field("description", "string", _("Description.")), Field("source", "string", _("Who produced the data.")),
           Field("licence", "string", _("Terms of use of the data.")), Field("source_url", "string", _("Source URL."))),
          indicator_rows, ("code",)),
    Table("indicator_observations", _("ICT indicator observations"),
          _("Every observation: countries, published aggregates and disaggregations by sex, area and age."),
          (Field("id", "integer", _("Identifier.")), Field("indicator", "string", _("Indicator code.")),
           Field("country", "string", _("ISO 3166 alpha-3 (empty for an aggregate).")),
           Field("aggregate_code", "string", _("Code of a published aggregate.")),
           Field("aggregate_name", "string", _("Name of a published aggregate.")), Field("year", "integer", _("Year.")),
           Field("value", "number", _("Value.")), Field("sex", "string", _("Sex.")), Field("area", "string", _("Area.")),
           Field("age", "string", _("Age group.")), Field("source", "string", _("Source.")), Field("note", "string", _("Note."))),
          observation_rows, ("id",),
          ({"fields": "indicator", "reference": {"resource": "indicators", "fields": "code"}},)),
    Table("forum_sessions", _("WSIS Forum sessions"), _("Scheduled sessions of every WSIS Forum edition."),
          (Field("id", "integer", _("Identifier.")), Field("edition", "integer", _("Edition year.")),
           Field("title", "string", _("Title.")), Field("type", "string", _("Session type.")), Field("track", "string", _("Track.")),
           Field("organisers", "string", _("Organisers.")), Field("room", "string", _("Room.")),
           Field("starts_at", "datetime", _("Start.")), Field("ends_at", "datetime", _("End.")),
           Field("action_lines", "string", _("Action line codes, separated by ';'.")),
           Field("goals", "string", _("SDG numbers, separated by ';'."))), forum_session_rows, ("id",)),
    Table("reviews", _("Regional reviews"), _("Published regional reviews and their latest published report."),
          (Field("id", "integer", _("Identifier.")), Field("commission", "string", _("Regional commission code.")),
           Field("year", "integer", _("Year under review.")), Field("title", "string", _("Title.")),
           Field("goals", "string", _("SDGs under review, separated by ';'.")),
           Field("report_version", "integer", _("Version of the latest published report.")),
           Field("report_published_at", "datetime", _("When it was published."))), review_rows, ("id",)),
)


def table_get(name: str) -> Table:
    for table in TABLES:
        if table.name == name:
            return table
    raise KeyError(name)
