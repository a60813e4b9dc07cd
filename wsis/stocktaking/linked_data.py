"""schema.org JSON-LD of a published initiative, embedded in its page (issue 20).

The initiative is a ``schema:Project`` of its organisation; countries are ``schema:Country`` with their
ISO 3166 code and UN M49 URI; SDGs, targets and WSIS action lines are ``schema:DefinedTerm`` — the
SDGs and targets with their UN SDG knowledge organisation URIs as ``@id``. The JSON is escaped for an
HTML ``<script type="application/ld+json">`` data block (never executed, so the CSP allows it).
"""

from __future__ import annotations

import json

from django.utils.safestring import SafeString, mark_safe

from wsis.taxonomy.identifiers import SDG_BASE, goal_uri, m49_uri, target_uri

from .models import Initiative

__all__ = ["initiative_jsonld", "jsonld_script_body"]

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def initiative_jsonld(initiative: Initiative, *, url: str, action_lines_url: str) -> dict:
    org = initiative.organisation
    data = {
        "@context": "https://schema.org",
        "@type": "Project",
        "@id": url,
        "url": url,
        "name": initiative.title,
        "description": initiative.summary,
        "inLanguage": initiative.language,
        "parentOrganization": {"@type": "Organization", "name": org.name,
                               **({"identifier": org.iati_identifier} if org.iati_identifier else {}),
                               **({"url": org.website} if org.website else {})},
        "areaServed": [{"@type": "Country", "name": c.name_en, "identifier": c.iso3,
                        "sameAs": m49_uri(c.m49)} for c in initiative.countries.all()],
        "about": (
            [{"@type": "DefinedTerm", "@id": goal_uri(t.goal.number), "termCode": str(t.goal.number),
              "name": t.goal.title_en, "inDefinedTermSet": SDG_BASE} for t in initiative.goal_tags.all()]
            + [{"@type": "DefinedTerm", "@id": target_uri(t.target.code), "termCode": t.target.code,
                "name": t.target.title_en, "inDefinedTermSet": SDG_BASE} for t in initiative.target_tags.all()]
            + [{"@type": "DefinedTerm", "termCode": t.action_line.code, "name": t.action_line.name_en,
                "inDefinedTermSet": action_lines_url} for t in initiative.action_line_tags.all()]
        ),
    }
    if initiative.start_date:
        data["foundingDate"] = initiative.start_date.isoformat()
    if initiative.end_date:
        data["dissolutionDate"] = initiative.end_date.isoformat()
    if initiative.website:
        data["sameAs"] = initiative.website
    return data


def jsonld_script_body(data: dict) -> SafeString:
    """JSON safe inside ``<script type="application/ld+json">``: <, > and & escaped as JSON escapes."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))  # noqa: S308 - escaped above
