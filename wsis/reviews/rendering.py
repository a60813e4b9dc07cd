"""Rendering a review report version to HTML, PDF (WeasyPrint) and DOCX (python-docx).

The three outputs come from the same stored figures (``ReviewReport.data``) and narratives, in
the report's language. The PDF is printed from the HTML; its stylesheet names Noto fonts for Latin
and Cyrillic (Noto Sans), Arabic (Noto Naskh Arabic / Noto Sans Arabic) and Chinese (Noto Sans
CJK SC), installed from the Debian packages ``fonts-noto-core`` and ``fonts-noto-cjk`` (see
``docs/reviews.md``). Heavy libraries are imported inside the functions that use them.
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wsis.core import charts
from wsis.core.formats import join_list
from wsis.core.pdf import html_to_pdf

from .models import ReviewReport

__all__ = ["report_context", "render_html", "render_pdf", "render_docx", "save_file", "FONT_STACKS"]

# Per language, the first font that has the script; the rest of the list covers quoted names in
# other scripts (a Chinese report quoting a Russian answer).
_BASE = ['"Noto Sans"', '"Noto Naskh Arabic"', '"Noto Sans Arabic"', '"Noto Sans CJK SC"', '"DejaVu Sans"',
         "sans-serif"]
FONT_STACKS = {
    "ar": ", ".join(['"Noto Naskh Arabic"', '"Noto Sans Arabic"', *_BASE]),
    "zh-hans": ", ".join(['"Noto Sans CJK SC"', *_BASE]),
}
DOCX_FONTS = {"ar": "Noto Naskh Arabic", "zh-hans": "Noto Sans CJK SC"}


def _charts(data: dict, rtl: bool) -> dict:
    """SVG charts (analytics' accessible builders) for the overview and each action line."""
    sections = [s for s in data.get("sections", []) if s.get("registry")]
    out: dict = {"overview": [], "sections": {}}
    if sections:
        out["overview"].append(charts.bar_chart(
            id="responding-by-action-line", title=_("Member states responding, by action line"),
            labels=[s["code"] for s in sections], values=[s["responding"] for s in sections],
            value_header=_("Member states"), label_header=_("Action line"), rtl=rtl,
            source=_("Questionnaire responses"),
        ))
        out["overview"].append(charts.bar_chart(
            id="registry-by-action-line", title=_("Published initiatives in the region, by action line"),
            labels=[s["code"] for s in sections], values=[s["registry"]["initiatives"] for s in sections],
            value_header=_("Initiatives"), label_header=_("Action line"), rtl=rtl,
            source=_("WSIS Stocktaking registry"),
        ))
    for s in sections:
        goals = s["registry"]["goals"]
        if not goals:
            continue
        chart = charts.bar_chart(
            id=f"sdg-{s['code']}", title=_("%(code)s: regional initiatives per SDG under review") % {"code": s["code"]},
            labels=[_("SDG %(n)s") % {"n": g["goal"]} for g in goals], values=[g["count"] for g in goals],
            value_header=_("Initiatives"), label_header=_("SDG"), rtl=rtl, source=_("WSIS Stocktaking registry"),
            width=520,
        )
        gaps = [g["goal"] for g in goals if g["gap"]]
        if gaps:
            chart.notes = [_("Gap (linked by the Matrix, no initiative): SDG %(goals)s")
                           % {"goals": join_list(str(g) for g in gaps)}]
        out["sections"][s["code"]] = chart
    return out


def report_context(report: ReviewReport) -> dict:
    data = report.data or {}
    rtl = translation.get_language_bidi()
    return {
        "report": report,
        "data": data,
        "cycle": report.cycle,
        "narratives": report.narratives or {},
        "charts": _charts(data, rtl),
        "font_stack": FONT_STACKS.get(report.language, ", ".join(_BASE)),
        "rtl": rtl,
        "lang": report.language,
        "methodology": methodology_lines(data),
    }


def render_html(report: ReviewReport) -> str:
    with translation.override(report.language):
        return render_to_string("reviews/report/document.html", report_context(report))


def render_pdf(report: ReviewReport, html: str) -> bytes:
    return html_to_pdf(html)  # WeasyPrint, reading nothing but the site's static files


def save_file(report: ReviewReport, field: str, name: str, content: bytes) -> None:
    file = getattr(report, field)
    if file:
        file.delete(save=False)  # a re-render replaces the version's file instead of piling up copies
    file.save(name, ContentFile(content), save=False)
    report.save(update_fields=[field, "updated_at"])


# ---------------------------------------------------------------------------------------------
# DOCX


def _rtl_paragraph(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    bidi = OxmlElement("w:bidi")
    ppr.insert(0, bidi)
    for run in paragraph.runs:
        rpr = run._r.get_or_add_rPr()
        rpr.append(OxmlElement("w:rtl"))
        run.font.complex_script = True
    jc = ppr.find(qn("w:jc"))
    if jc is None:
        jc = OxmlElement("w:jc")
        ppr.append(jc)
    jc.set(qn("w:val"), "right")


class _Doc:
    """A thin writer over python-docx that applies the language's direction and fonts everywhere."""

    def __init__(self, language: str):
        from docx import Document
        from docx.oxml.ns import qn

        self.document = Document()
        self.rtl = language == "ar"
        font = DOCX_FONTS.get(language, "Noto Sans")
        for style_name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title", "Table Grid"):
            try:
                style = self.document.styles[style_name]
            except KeyError:
                continue
            style.font.name = font
            rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                rfonts.set(qn(attr), font)

    def _fix(self, paragraph):
        if self.rtl:
            _rtl_paragraph(paragraph)
        return paragraph

    def heading(self, text: str, level: int = 1):
        return self._fix(self.document.add_heading(str(text), level=level))

    def para(self, text: str, style: str | None = None):
        return self._fix(self.document.add_paragraph(str(text), style=style))

    def bullet(self, text: str):
        return self.para(text, style="List Bullet")

    def table(self, header: list, rows: list[list]):
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = str(text)
            for p in cell.paragraphs:
                for run in p.runs:
                    run.bold = True
                self._fix(p)
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = "" if text is None else str(text)
                for p in cell.paragraphs:
                    self._fix(p)
        if self.rtl:
            from docx.oxml import OxmlElement

            tbl_pr = table._tbl.tblPr
            tbl_pr.append(OxmlElement("w:bidiVisual"))
        self.document.add_paragraph()
        return table

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _fmt(value) -> str:
    """A number with thousands grouped and no trailing “.0” (as the HTML's floatformat:"-1g")."""
    if value is None:
        return "–"
    from django.template.defaultfilters import floatformat

    return str(floatformat(value, "-1g"))


def _question_rows(q: dict) -> list[str]:
    """Plain-text lines summarising one question (the DOCX mirrors the HTML's tables as text)."""
    lines = []
    if "choices" in q:
        lines += [_("%(label)s: %(count)d (%(percent)d%%)") % c for c in q["choices"]]
    if "mean" in q:
        lines.append(_("Mean %(mean)s, median %(median)s, lowest %(min)s, highest %(max)s, total %(sum)s") % q)
    if "rows" in q:
        lines.append(_("%(rows)d rows reported.") % q)
        lines += [f"{row['country']}: " + " – ".join(c for c in row["cells"] if c) for row in q.get("sample", [])]
    for h in q.get("highlights", []):
        lines.append(f"“{h['text']}” — {h['country']}")
    return lines


def render_docx(report: ReviewReport) -> bytes:
    """An editable Word document with the same structure and numbers as the HTML report."""
    with translation.override(report.language):
        return _render_docx(report)


def _render_docx(report: ReviewReport) -> bytes:
    data = report.data or {}
    cycle = data.get("cycle", {})
    narratives = report.narratives or {}
    responses = data.get("responses", {})
    doc = _Doc(report.language)
    doc.heading(cycle.get("title", ""), 0)
    doc.para(_("%(commission)s — %(name)s") % {"commission": cycle.get("commission", ""),
                                               "name": cycle.get("commission_name", "")})
    if cycle.get("theme"):
        doc.para(_("Theme: %(theme)s") % {"theme": cycle["theme"]})
    goals = data.get("goals", [])
    if goals:
        doc.para(_("SDGs under review at the HLPF: %(goals)s")
                 % {"goals": ", ".join(f"{g['number']} ({g['short_name']})" for g in goals)})
    doc.para(_("Report version %(version)d.") % {"version": report.version})

    doc.heading(_("Executive summary"), 1)
    doc.para(narratives.get("summary") or _("[Narrative to be written by the reviewers.]"))

    doc.heading(_("Responses"), 1)
    doc.para(ngettext("Responses submitted: %(submitted)d of %(invited)d invited member state (members and "
                      "associate members in the commission: %(members)d).",
                      "Responses submitted: %(submitted)d of %(invited)d invited member states (members and "
                      "associate members in the commission: %(members)d).", responses.get("invited", 0)) % responses)
    if responses.get("countries"):
        doc.table([_("Country or area"), _("Status"), _("Submitted")], [
            [c["name"], join_list(k.upper() for k in ("ldc", "lldc", "sids") if c[k]) or "—", c["submitted_at"]]
            for c in responses["countries"]])

    for section in data.get("sections", []):
        doc.heading(section["title"], 1)
        doc.para(narratives.get(section["key"]) or _("[Narrative to be written by the reviewers.]"))
        doc.heading(_("Summary of responses"), 2)
        for q in section["questions"]:
            doc.para(q["text"], style="Heading 3")
            doc.para(ngettext("Answers: %(answered)d, from %(applicable)d member state to whom the question applied.",
                              "Answers: %(answered)d, from %(applicable)d member states to whom the question "
                              "applied.", q["applicable"]) % q)
            for line in _question_rows(q):
                doc.bullet(line)
        reg = section.get("registry")
        if reg:
            doc.heading(_("Registry coverage in the region"), 2)
            doc.para(ngettext("%(initiatives)d published initiative.", "%(initiatives)d published initiatives.",
                              reg["initiatives"]) % reg + " "
                     + _("Member states with at least one: %(countries_reached)d.") % reg)
            if reg["goals"]:
                doc.table([_("SDG"), _("Initiatives"), _("Matrix link"), _("Gap")], [
                    [g["goal"], g["count"], join_list(g["targets"]) or (_("whole goal") if g["linked"] else "—"),
                     _("Gap") if g["gap"] else ""] for g in reg["goals"]])
    indicators = data.get("indicators", {}).get("indicators", [])
    doc.heading(_("ICT indicators in the region"), 1)
    if indicators:
        for ind in indicators:
            doc.para(f"{ind['name']} ({ind['unit']})", style="Heading 3")
            doc.table([_("Group"), _("Median"), _("Lowest"), _("Highest"), _("Countries reporting"), _("Latest year")], [
                [g["label"], _fmt(g["median"]), _fmt(g["min"]), _fmt(g["max"]),
                 _("%(r)d of %(m)d") % {"r": g["reporting"], "m": g["members"]}, g["year"] or "–"]
                for g in ind["groups"]])
    else:
        doc.para(_("No indicator data are available for the region."))
    doc.heading(_("Conclusions and recommendations"), 1)
    doc.para(narratives.get("conclusions") or _("[Narrative to be written by the reviewers.]"))
    doc.heading(_("Annex: methodology and sources"), 1)
    for line in methodology_lines(data):
        doc.bullet(line)
    return doc.bytes()


def methodology_lines(data: dict) -> list[str]:
    cycle, sources, responses = data.get("cycle", {}), data.get("sources", {}), data.get("responses", {})
    lines = [
        ngettext("Questionnaire: sent to the national focal points of %(invited)d member state; open from "
                 "%(opens)s to %(closes)s; responses submitted: %(submitted)d. Only submitted responses are "
                 "counted, and an answer only where its question applied.",
                 "Questionnaire: sent to the national focal points of %(invited)d member states; open from "
                 "%(opens)s to %(closes)s; responses submitted: %(submitted)d. Only submitted responses are "
                 "counted, and an answer only where its question applied.", responses.get("invited", 0))
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
