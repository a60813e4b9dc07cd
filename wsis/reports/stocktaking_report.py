"""The yearly WSIS Stocktaking Report, built from the registry for a year: global, per UN region or per
regional commission.

Figures (computed once per version, in the version's language, and stored as JSON): initiatives that
started in the year by action line, SDG, UN region, stakeholder type and country group (LDC, LLDC,
SIDS), the change from the year before, the ten-year trend, and per action line the new initiatives with
short examples. They are read through the analytics selectors (``area_profile``, ``trends``,
``area_summary``) over the one initiative filter set, so the report says what the analytics pages say.
The secretariat's narrative (executive summary, conclusions) is Markdown; until someone writes it, the
drafting aid writes sentences from the figures, marked as generated on drafts.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wsis.analytics.selectors import area_profile, area_summary, initiatives_for, trends
from wsis.core import charts
from wsis.stocktaking.filters import GROUP_FLAGS, InitiativeFilters
from wsis.taxonomy.models import ActionLine, CountryGroup, Region, RegionalCommission

from .document import Bullets, Document, Figure, FrontMatter, Markdown, Paragraph, Quote, Section, Table
from .models import GeneratedDocument

__all__ = ["KIND", "figures", "document", "narrative_keys", "scope_choices", "scope_key", "scope_filters",
           "default_symbol", "default_title"]

KIND = "stocktaking"
GROUPS = ("ldc", "lldc", "sids")
EXAMPLES = 3
TREND_YEARS = 10
SUMMARY_CHARS = 280


def scope_choices() -> list[tuple[str, str]]:
    """``global``, ``commission-<code>`` and ``region-<m49>`` with their names (active language)."""
    out = [("global", str(_("Global")))]
    out += [(f"commission-{c.code}", f"{c.code} – {c.name}") for c in RegionalCommission.objects.order_by("code")]
    out += [(f"region-{r.m49}", r.name) for r in Region.objects.filter(level=Region.Level.REGION).order_by("m49")]
    return out


def scope_filters(scope: str) -> InitiativeFilters:
    if scope.startswith("commission-"):
        return InitiativeFilters(commission=[scope.removeprefix("commission-")])
    if scope.startswith("region-"):
        return InitiativeFilters(region=[scope.removeprefix("region-")])
    return InitiativeFilters()


def scope_name(scope: str) -> str:
    return dict(scope_choices()).get(scope, scope)


def scope_key(year: int, scope: str) -> str:
    return f"{year}/{scope}"


def default_title(year: int, scope: str) -> str:
    if scope == "global":
        return _("WSIS Stocktaking Report %(year)d") % {"year": year}
    return _("WSIS Stocktaking Report %(year)d: %(scope)s") % {"year": year, "scope": scope_name(scope)}


def default_symbol(year: int, scope: str) -> str:
    suffix = "" if scope == "global" else "/" + scope.split("-", 1)[1].upper()
    return f"WSIS/STOCKTAKING/{year}{suffix}"


def _pct(new: int, old: int) -> int | None:
    return round(100 * (new - old) / old) if old else None


def figures(params: dict, language: str) -> dict:
    """The numbers of one report (``params``: ``year``, ``scope``), names in the active language."""
    year, scope = int(params["year"]), params.get("scope", "global")
    base = scope_filters(scope)
    this = base.replace(year=[year])
    prev = base.replace(year=[year - 1])
    profile = area_profile(this, per_country=False, top=10)
    before = area_summary(prev)
    trend = trends(base.replace(year_from=max(year - TREND_YEARS + 1, 2003), year_to=year))
    last = len(trend.years) - 1
    by_region = [{"name": region.name, "count": values[last] if values else 0} for region, values in trend.by_region]
    prev_by_al = {al.code: n for al, n in before.by_action_line}
    examples: dict[str, list[dict]] = {}
    for al in ActionLine.objects.filter(is_leaf=True):
        rows = (initiatives_for(this.replace(action_line=[al.code])).select_related("organisation")
                .order_by("-created_at")[:EXAMPLES])
        examples[al.code] = [{
            "title": i.title, "organisation": i.organisation.name if i.organisation_id else "",
            "summary": i.summary if len(i.summary) <= SUMMARY_CHARS else i.summary[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …",
        } for i in rows]
    groups = []
    names = {g.code.lower(): g.name for g in CountryGroup.objects.filter(code__in=[c.upper() for c in GROUPS])}
    for code in GROUPS:
        groups.append({"code": code, "name": names.get(code, str(GROUP_FLAGS[code])),
                       "count": area_summary(this.replace(group=[code])).total})
    return {
        "year": year, "scope": scope, "scope_name": scope_name(scope),
        "total": profile.total, "previous": before.total, "change": _pct(profile.total, before.total),
        "by_action_line": [{"code": al.code, "name": al.short_name or al.name, "count": n,
                            "previous": prev_by_al.get(al.code, 0)} for al, n in profile.by_action_line],
        "by_goal": [{"number": g.number, "name": g.short_name or g.title, "count": n} for g, n in profile.by_goal],
        "by_stakeholder": [{"name": st.name, "count": n} for st, n in profile.by_stakeholder],
        "by_region": by_region,
        "by_group": groups,
        "trend": {"years": trend.years, "totals": trend.totals},
        "organisations": [{"name": name, "count": n} for name, _slug, n in profile.organisations],
        "examples": examples,
        "generated_at": timezone.now().isoformat(),
    }


def narrative_keys(doc: GeneratedDocument) -> list[tuple[str, object]]:
    return [("summary", gettext_lazy("Executive summary")), ("conclusions", gettext_lazy("Outlook"))]


def drafting_aid(data: dict) -> dict[str, str]:
    """Sentences from the figures, for the editor to rewrite (marked as generated on drafts)."""
    year, total = data["year"], data["total"]
    lines = [ngettext("In %(year)d, %(total)d new initiative was registered in the WSIS Stocktaking registry for "
                      "%(scope)s.",
                      "In %(year)d, %(total)d new initiatives were registered in the WSIS Stocktaking registry for "
                      "%(scope)s.", total) % {"year": year, "total": total, "scope": data["scope_name"]}]
    if data["change"] is not None:
        lines.append(ngettext("That is %(change)+d%% on %(previous_year)d (%(previous)d initiative).",
                              "That is %(change)+d%% on %(previous_year)d (%(previous)d initiatives).",
                              data["previous"])
                     % {"change": data["change"], "previous_year": year - 1, "previous": data["previous"]})
    ranked = sorted((a for a in data["by_action_line"] if a["count"]), key=lambda a: -a["count"])
    if ranked:
        top = ranked[0]
        lines.append(_("Action line %(code)s (%(name)s) had the most initiatives (%(count)d).") % top)
    empty = [a["code"] for a in data["by_action_line"] if not a["count"]]
    if empty:
        lines.append(_("No new initiative was registered under %(codes)s.") % {"codes": ", ".join(empty)})
    goals = sorted((g for g in data["by_goal"] if g["count"]), key=lambda g: -g["count"])[:3]
    if goals:
        lines.append(_("The SDGs most often addressed were %(goals)s.")
                     % {"goals": ", ".join(_("SDG %(n)d (%(count)d)") % {"n": g["number"], "count": g["count"]}
                                           for g in goals)})
    groups = [g for g in data["by_group"] if g["count"]]
    if groups:
        lines.append(_("Initiatives reached %(groups)s.")
                     % {"groups": ", ".join(f"{g['name']} ({g['count']})" for g in groups)})
    outlook = _("The figures suggest where stakeholders could focus next: the action lines and SDGs with few or no "
                "new initiatives, listed in chapters II and III.")
    return {"summary": " ".join(lines), "conclusions": outlook}


def _bar(id_, title, labels, values, value_header, label_header, rtl, source):
    return charts.bar_chart(id=id_, title=title, labels=labels, values=values, value_header=value_header,
                            label_header=label_header, rtl=rtl, source=source)


def document(doc: GeneratedDocument) -> Document:
    """The report as the engine's structure (in the active language, which is ``doc.language``)."""
    data = doc.data
    year = data["year"]
    rtl = doc.language == "ar"
    source = _("WSIS Stocktaking registry, initiatives that started in %(year)d") % {"year": year}
    aid = drafting_aid(data)
    narratives = doc.narratives or {}

    def narrative(key: str) -> Markdown:
        text = (narratives.get(key) or "").strip()
        return Markdown(text) if text else Markdown(aid[key], draft_aid=True)

    als = data["by_action_line"]
    goals = data["by_goal"]
    total_line = Paragraph(
        ngettext("%(total)d initiative started in %(year)d (%(previous)d in %(previous_year)d).",
                 "%(total)d initiatives started in %(year)d (%(previous)d in %(previous_year)d).", data["total"])
        % {"total": data["total"], "year": year, "previous": data["previous"], "previous_year": year - 1},
        notes=[_("Published initiatives of the WSIS Stocktaking registry whose start year is %(year)d; figures "
                 "computed on %(date)s.") % {"year": year, "date": (data.get("generated_at") or "")[:10]}])
    trend = charts.line_chart(
        id="trend", title=_("New initiatives per year"), x_labels=data["trend"]["years"],
        series=[charts.Series(_("Initiatives"), data["trend"]["totals"])], rtl=rtl, label_header=_("Year"),
        source=_("WSIS Stocktaking registry"))
    sections = [
        Section(_("Executive summary"), key="summary", numbered=False, blocks=[narrative("summary")]),
        Section(_("The year in numbers"), key="numbers", blocks=[total_line, Figure(trend)]),
        Section(_("Initiatives by action line"), key="action-lines", blocks=[
            Figure(_bar("by-action-line", _("New initiatives by WSIS action line"), [a["code"] for a in als],
                        [a["count"] for a in als], _("Initiatives"), _("Action line"), rtl, source), table=False),
            Table(columns=[_("Action line"), str(year - 1), str(year)],
                  rows=[[f"{a['code']} {a['name']}", a["previous"], a["count"]] for a in als],
                  caption=_("New initiatives by action line, this year and the year before"), source=source),
        ]),
        Section(_("Initiatives by Sustainable Development Goal"), key="goals", blocks=[
            Figure(_bar("by-goal", _("New initiatives by SDG"), [_("SDG %(n)d") % {"n": g["number"]} for g in goals],
                        [g["count"] for g in goals], _("Initiatives"), _("SDG"), rtl, source)),
        ]),
        Section(_("Regions, country groups and stakeholders"), key="who", blocks=[
            Table(columns=[_("UN region"), _("Initiatives")],
                  rows=[[r["name"], r["count"]] for r in data["by_region"]], caption=_("New initiatives by UN region"),
                  source=source),
            Table(columns=[_("Country group"), _("Initiatives")],
                  rows=[[g["name"], g["count"]] for g in data["by_group"]],
                  caption=_("New initiatives reaching least developed countries, landlocked developing countries "
                            "and small island developing States"), source=source),
            Figure(_bar("by-stakeholder", _("New initiatives by stakeholder type"),
                        [s["name"] for s in data["by_stakeholder"]], [s["count"] for s in data["by_stakeholder"]],
                        _("Initiatives"), _("Stakeholder type"), rtl, source)),
        ]),
    ]
    examples = Section(_("New initiatives by action line: examples"), key="examples")
    for a in als:
        found = data["examples"].get(a["code"], [])
        sub = Section(f"{a['code']} {a['name']}", numbered=True)
        if not found:
            sub.add(Paragraph(_("No new initiative in %(year)d.") % {"year": year}, style="meta"))
        else:
            sub.add(Paragraph(ngettext("%(count)d new initiative; for example:",
                                       "%(count)d new initiatives; for example:", a["count"]) % {"count": a["count"]},
                              style="meta"))
            for ex in found:
                sub.add(Quote(f"{ex['title']}. {ex['summary']}", ex["organisation"]))
        examples.subsections.append(sub)
    sections.append(examples)
    sections.append(Section(_("Outlook"), key="conclusions", blocks=[narrative("conclusions")]))
    annex = Section(_("Methodology and sources"), key="methodology", blocks=[Bullets([
        _("Initiatives: the published initiatives of the WSIS Stocktaking registry, counted by the year they "
          "started (%(year)d), once per action line and SDG they are tagged with.") % {"year": year},
        _("Scope: %(scope)s; a region or commission counts the initiatives that name at least one of its "
          "countries.") % {"scope": data["scope_name"]},
        _("Country groups (LDC, LLDC, SIDS) as listed by UN-OHRLLS; UN regions as in the M49 standard."),
        _("The same figures are on the platform's analytics pages, with the same filters."),
    ])])
    draft = doc.published_at is None
    front = FrontMatter(
        title=doc.title, language=doc.language, subtitle=data["scope_name"] if data["scope"] != "global" else "",
        issuing_body=_("WSIS Secretariat, International Telecommunication Union"), symbol=doc.symbol,
        date=(doc.published_at or timezone.now()).date() if doc.published_at else dt.date.today(),
        original_language="en", draft=draft, version=doc.version, running_title=doc.title)
    return Document(front=front, sections=sections, annexes=[annex])
