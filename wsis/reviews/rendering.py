"""The regional review report as a document of the engine (:mod:`wsis.reports`).

:func:`report_document` turns a report version — its stored figures (``ReviewReport.data``), the
reviewers' narratives and cover texts, its language and whether it is published — into a
:class:`wsis.reports.document.Document`; the engine renders it to HTML, PDF and DOCX from that one
structure (UN cover, contents, running headers, page numbers, footnotes, charts, right-to-left Arabic,
Noto fonts). A draft carries the "Draft" watermark; the published version never does.

Structure: executive summary; responses; one chapter per questionnaire section (narrative, summary of
responses with choice tables, scale questions as a distribution chart, free-text answers summarised
with two short quotes, registry coverage and the WSIS–SDG Matrix); ICT indicators; conclusions;
annexes: the full free-text responses, and methodology and sources. Where the reviewers have not
written a narrative, the drafting aid (:func:`drafting_aid`) writes sentences from the figures, marked as
generated on drafts.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wsis.core import charts
from wsis.reports.document import (
    Bullets,
    Document,
    Figure,
    FrontMatter,
    Markdown,
    Paragraph,
    Quote,
    Section,
    Table,
)
from wsis.reports.services import render_all

from .models import ReviewReport

__all__ = ["report_document", "render_files", "drafting_aid", "methodology_lines", "cover_texts", "COVER_KEYS"]

COVER_KEYS = ("cover_title", "cover_theme", "cover_symbol")
QUOTES_PER_QUESTION = 2


def default_symbol(data: dict) -> str:
    cycle = data.get("cycle", {})
    return f"{cycle.get('commission', '')}/WSIS/{cycle.get('year', '')}/INF/1"


def cover_texts(report: ReviewReport) -> dict[str, str]:
    """Title, theme and document symbol of this language version (the reviewers may translate them)."""
    data, narratives = report.data or {}, report.narratives or {}
    cycle = data.get("cycle", {})
    return {
        "title": (narratives.get("cover_title") or "").strip() or cycle.get("title", "") or report.cycle.title,
        "theme": (narratives.get("cover_theme") or "").strip() or cycle.get("theme", ""),
        "symbol": (narratives.get("cover_symbol") or "").strip() or default_symbol(data),
    }


def _fmt(value) -> str:
    if value is None:
        return "–"
    from django.template.defaultfilters import floatformat

    return str(floatformat(value, "-1g"))


def drafting_aid(data: dict) -> dict[str, str]:
    """Sentences from the figures for the executive summary, each chapter and the conclusions."""
    responses = data.get("responses", {})
    sections = data.get("sections", [])
    out: dict[str, str] = {}
    lines = [_("Member states that responded to the questionnaire: %(submitted)d of %(invited)d invited.")
             % {"submitted": responses.get("submitted", 0), "invited": responses.get("invited", 0)}]
    with_registry = [s for s in sections if s.get("registry")]
    if with_registry:
        top = max(with_registry, key=lambda s: s["registry"]["initiatives"])
        lines.append(_("%(code)s had the most initiatives in the registry (%(n)d).")
                     % {"code": top["code"], "n": top["registry"]["initiatives"]})
        gaps = sorted({g for s in with_registry for g in s["registry"].get("gaps", [])})
        if gaps:
            lines.append(_("The WSIS–SDG Matrix links SDGs %(goals)s to the action lines reviewed, but no regional "
                           "initiative covers some of these links.") % {"goals": ", ".join(str(g) for g in gaps)})
    out["summary"] = " ".join(lines)
    for s in sections:
        responding = s.get("responding", 0)
        parts = [ngettext("%(n)d member state answered the questions of this chapter.",
                          "%(n)d member states answered the questions of this chapter.", responding)
                 % {"n": responding}]
        reg = s.get("registry")
        if reg:
            parts.append(_("Published initiatives in the registry: %(n)d; member states they reach: %(c)d.")
                         % {"n": reg["initiatives"], "c": reg["countries_reached"]})
            if reg.get("gaps"):
                parts.append(_("Gaps against the Matrix: SDG %(goals)s.") % {"goals": ", ".join(str(g) for g in reg["gaps"])})
        for q in s.get("questions", []):
            if q.get("choices") and q.get("answered"):
                top = max(q["choices"], key=lambda c: c["count"])
                if top["count"]:
                    parts.append(_("Asked “%(question)s”, %(count)d of %(answered)d answered “%(label)s”.")
                                 % {"question": q["text"], "count": top["count"], "answered": q["answered"],
                                    "label": top["label"]})
                    break
        out[s["key"]] = " ".join(parts)
    out["conclusions"] = _("The reviewers' conclusions and recommendations go here, drawing on the chapters above.")
    return out


def _question_blocks(q: dict, rtl: bool, chart_id: str) -> list:
    blocks: list = [Paragraph(_("Answers: %(answered)d; member states to whom the question applied: %(applicable)d.")
                              % q, style="meta")]
    if q.get("choices"):
        blocks.append(Table(columns=[_("Answer"), _("Member states"), "%"],
                            rows=[[c["label"], c["count"], c["percent"]] for c in q["choices"]], caption=q["text"]))
    if q.get("distribution"):
        # A scale is shown as how many answered each point, never as a mean.
        dist = q["distribution"]
        blocks.append(Figure(charts.bar_chart(
            id=chart_id, title=q["text"], labels=[str(d["point"]) for d in dist], values=[d["count"] for d in dist],
            value_header=_("Member states"), label_header=_("Point on the scale"), rtl=rtl, orientation="vertical",
            source=_("Questionnaire responses")), table=False))
    elif q.get("kind") == "number" and q.get("mean") is not None:
        blocks.append(Paragraph(_("Median %(median)s, lowest %(min)s, highest %(max)s, total %(sum)s.")
                                % {k: _fmt(q.get(k)) for k in ("median", "min", "max", "sum")}))
    if q.get("kind") == "table" and q.get("rows") is not None:
        blocks.append(Paragraph(ngettext("%(rows)d row reported.", "%(rows)d rows reported.", q["rows"]) % q))
        if q.get("sample"):
            blocks.append(Table(columns=[_("Country or area"), *q.get("columns", [])],
                                rows=[[r["country"], *r["cells"]] for r in q["sample"]], caption=q["text"],
                                numeric=False))
    highlights = q.get("highlights") or []
    if highlights:
        total = len(q.get("responses") or highlights)
        if total > QUOTES_PER_QUESTION:
            intro = ngettext("%(n)d member state answered in its own words; two examples follow, and every answer "
                             "is in the annex.",
                             "%(n)d member states answered in their own words; two examples follow, and every "
                             "answer is in the annex.", total) % {"n": total}
        else:
            intro = _("Answers in the member states' own words:")
        blocks.append(Paragraph(intro, style="meta"))
        blocks += [Quote(h["text"], h["country"]) for h in highlights[:QUOTES_PER_QUESTION]]
    return blocks


def report_document(report: ReviewReport) -> Document:
    """The report version as the engine's structure (call inside ``translation.override(report.language)``)."""
    data = report.data or {}
    narratives = report.narratives or {}
    cycle = data.get("cycle", {})
    responses = data.get("responses", {})
    rtl = report.language == "ar"
    aid = drafting_aid(data)
    cover = cover_texts(report)

    def narrative(key: str) -> Markdown:
        text = (narratives.get(key) or "").strip()
        return Markdown(text) if text else Markdown(aid.get(key, ""), draft_aid=True)

    sections_data = list(data.get("sections", []))
    overview = Section(_("Responses"), key="responses", blocks=[
        Paragraph(_("Member states that submitted a response: %(submitted)d of %(invited)d invited. Members and "
                    "associate members of the commission: %(members)d.") % {k: responses.get(k, 0) for k in
                                                                             ("submitted", "invited", "members")},
                  notes=[_("Questionnaire open from %(opens)s to %(closes)s; only submitted responses are counted.")
                         % {"opens": cycle.get("opens_on") or "—", "closes": cycle.get("closes_on") or "—"}]),
    ])
    if responses.get("countries"):
        overview.add(Table(columns=[_("Country or area"), _("Status"), _("Submitted")], numeric=False,
                           caption=_("Member states that responded"),
                           rows=[[c["name"], ", ".join(k.upper() for k in ("ldc", "lldc", "sids") if c[k]) or "—",
                                  c["submitted_at"]] for c in responses["countries"]]))
    with_registry = [s for s in sections_data if s.get("registry")]
    if with_registry:
        overview.add(Figure(charts.bar_chart(
            id="responding-by-action-line", title=_("Member states responding, by action line"),
            labels=[s["code"] for s in with_registry], values=[s["responding"] for s in with_registry],
            value_header=_("Member states"), label_header=_("Action line"), rtl=rtl,
            source=_("Questionnaire responses"))))
        overview.add(Figure(charts.bar_chart(
            id="registry-by-action-line", title=_("Published initiatives in the region, by action line"),
            labels=[s["code"] for s in with_registry], values=[s["registry"]["initiatives"] for s in with_registry],
            value_header=_("Initiatives"), label_header=_("Action line"), rtl=rtl,
            source=_("WSIS Stocktaking registry"))))

    chapters = []
    full_answers = Section(_("Full responses in the member states' own words"), key="full-responses")
    for s in sections_data:
        chapter = Section(s["title"], key=s["key"], blocks=[narrative(s["key"])])
        summary = Section(_("Summary of responses"), blocks=[Paragraph(
            ngettext("%(n)d member state answered questions of this chapter.",
                     "%(n)d member states answered questions of this chapter.", s.get("responding", 0))
            % {"n": s.get("responding", 0)})])
        for i, q in enumerate(s.get("questions", []), start=1):
            question = Section(q["text"], numbered=False, blocks=_question_blocks(q, rtl, f"{s['key']}-q{i}"))
            summary.subsections.append(question)
            if q.get("responses"):
                full_answers.subsections.append(Section(f"{s['code'] or s['title']}: {q['text']}", numbered=False,
                                                        blocks=[Quote(r["text"], r["country"]) for r in q["responses"]]))
        chapter.subsections.append(summary)
        reg = s.get("registry")
        if reg:
            coverage = Section(_("Registry coverage and gaps in the region"), blocks=[Paragraph(
                _("Published initiatives in the WSIS Stocktaking registry: %(initiatives)d. Member states with at "
                  "least one: %(countries_reached)d.") % reg)])
            if reg["goals"]:
                coverage.add(Table(
                    columns=[_("SDG"), _("Matrix link"), _("Initiatives"), _("Gap")], numeric=False,
                    caption=_("Alignment with the SDGs under HLPF review (WSIS–SDG Matrix) and regional initiatives"),
                    rows=[[_("SDG %(n)s") % {"n": g["goal"]},
                           ", ".join(g["targets"]) or (_("whole goal") if g["linked"] else _("not linked")),
                           g["count"], _("Gap: linked, no initiative") if g["gap"] else "—"] for g in reg["goals"]]))
                chart = charts.bar_chart(
                    id=f"sdg-{s['code']}", title=_("%(code)s: regional initiatives per SDG under review") % {"code": s["code"]},
                    labels=[_("SDG %(n)s") % {"n": g["goal"]} for g in reg["goals"]],
                    values=[g["count"] for g in reg["goals"]], value_header=_("Initiatives"), label_header=_("SDG"),
                    rtl=rtl, source=_("WSIS Stocktaking registry"), width=520)
                coverage.add(Figure(chart, table=False))
            chapter.subsections.append(coverage)
        chapters.append(chapter)

    indicators = Section(_("ICT indicators in the region"), key="indicators")
    inds = data.get("indicators", {}).get("indicators", [])
    for ind in inds:
        indicators.add(Table(
            columns=[_("Group"), _("Median"), _("Lowest"), _("Highest"), _("Countries reporting"), _("Latest year")],
            caption=f"{ind['name']} ({ind['unit']})", source=ind.get("source", ""),
            rows=[[g["label"], _fmt(g["median"]), _fmt(g["min"]), _fmt(g["max"]),
                   _("%(r)d of %(m)d") % {"r": g["reporting"], "m": g["members"]}, g["year"] or "–"]
                  for g in ind["groups"]]))
    if not inds:
        indicators.add(Paragraph(_("No indicator data are available for the region.")))

    sections = [Section(_("Executive summary"), key="summary", numbered=False, blocks=[narrative("summary")]),
                overview, *chapters, indicators,
                Section(_("Conclusions and recommendations"), key="conclusions", blocks=[narrative("conclusions")])]
    annexes = []
    if full_answers.subsections:
        annexes.append(full_answers)
    annexes.append(Section(_("Methodology and sources"), key="methodology", blocks=[Bullets(methodology_lines(data))]))
    goals = data.get("goals", [])
    notes = []
    if goals:
        notes.append(_("SDGs under in-depth review at the HLPF %(year)s: %(goals)s")
                     % {"year": cycle.get("hlpf_year") or "", "goals": ", ".join(
                         _("SDG %(n)s (%(name)s)") % {"n": g["number"], "name": g["short_name"]} for g in goals)})
    when = report.published_at or timezone.now()
    front = FrontMatter(
        title=cover["title"], subtitle=cover["theme"], language=report.language,
        issuing_body=cycle.get("commission_name", "") or report.cycle.commission.name,
        emblem=getattr(settings, "DOCUMENT_EMBLEMS", {}).get(cycle.get("commission", ""), ""),
        symbol=cover["symbol"], date=when.date(), original_language=report.language,
        draft=report.published_at is None, version=report.version, running_title=cover["title"], notes=notes)
    return Document(front=front, sections=sections, annexes=annexes)


def render_files(report: ReviewReport) -> dict[str, bytes]:
    """HTML, PDF and DOCX of the version, in its language."""
    with translation.override(report.language):
        return render_all(report_document(report))


def methodology_lines(data: dict) -> list[str]:
    cycle, sources, responses = data.get("cycle", {}), data.get("sources", {}), data.get("responses", {})
    lines = [
        _("Questionnaire: sent to the national focal points of the invited member states (%(invited)d); open from "
          "%(opens)s to %(closes)s; responses submitted: %(submitted)d. Only submitted responses are counted, and "
          "an answer only where its question applied.")
        % {"invited": responses.get("invited", 0), "opens": cycle.get("opens_on") or "—",
           "closes": cycle.get("closes_on") or "—", "submitted": responses.get("submitted", 0)},
        _("Registry: published initiatives of the WSIS Stocktaking registry with at least one member state among "
          "their countries (total: %(total)d), counted once per action line and SDG.")
        % {"total": data.get("registry", {}).get("total", 0)},
        _("WSIS–SDG Matrix: version %(version)s. %(source)s")
        % {"version": sources.get("matrix_version") or "—", "source": sources.get("matrix_source", "")},
    ]
    if sources.get("hlpf"):
        lines.append(_("SDGs under review: %(hlpf)s.") % {"hlpf": sources["hlpf"]})
    if data.get("indicators", {}).get("source"):
        lines.append(_("ICT indicators: latest value per member state, median of the countries reporting. "
                       "Sources: %(source)s") % {"source": data["indicators"]["source"]})
    for group in sources.get("groups", []):
        lines.append(_("%(name)s: list as of %(as_of)s (%(source)s).") % group)
    if sources.get("membership_source"):
        lines.append(_("Commission membership as published on %(as_of)s: %(source)s")
                     % {"as_of": sources.get("membership_as_of") or "—", "source": sources["membership_source"]})
    lines.append(_("Figures computed on %(date)s.") % {"date": (data.get("generated_at") or "")[:10]})
    return lines
