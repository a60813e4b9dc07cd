"""HTML and PDF of a :class:`~wsis.reports.document.Document` (the DOCX writer is :mod:`wsis.reports.word`).

:func:`prepare` numbers the document once — chapters (I, II, …; annexes I, II, …), sub-sections
(A, B, …), figures, tables and footnotes — and every writer renders that plan, so a figure is
"Figure 3" in the PDF and in the DOCX alike.

The PDF is printed by WeasyPrint from the HTML with :func:`wsis.core.pdf.html_to_pdf`, whose URL
fetcher reads nothing but ``data:`` URIs and the site's static files (issue 13). Fonts are Noto
(``fonts-noto-core``, ``fonts-noto-cjk``), found through fontconfig and embedded as subsets: Noto
Sans for Latin and Cyrillic, Noto Naskh Arabic for Arabic, Noto Sans CJK SC for Chinese. Charts are
inline SVG, so they stay vector graphics in the PDF. The layout follows UN documents: a cover (issuing
body and emblem slot, document symbol, "Distr.:", date, "Original:"), contents with page numbers,
running headers (symbol and short title), page numbers at the foot, footnotes at the foot of the page,
a "Draft" watermark on every page of a draft and never on a published document.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wsis.core import charts
from wsis.core.pdf import html_to_pdf

from .document import (
    DISTRIBUTIONS,
    LANGUAGE_NAMES,
    Bullets,
    Document,
    Figure,
    Markdown,
    Paragraph,
    Quote,
    Section,
    Table,
)
from .markdown import markdown_html

__all__ = ["FONT_STACKS", "DOCX_FONTS", "Plan", "prepare", "render_html", "render_pdf", "roman", "svg_for"]

_BASE = ['"Noto Sans"', '"Noto Naskh Arabic"', '"Noto Sans CJK SC"', '"DejaVu Sans"', "sans-serif"]
# Per language, the font that has the script first; the rest covers names quoted in other scripts.
FONT_STACKS = {
    "ar": ", ".join(['"Noto Naskh Arabic"', '"Noto Sans Arabic"', *_BASE]),
    "zh-hans": ", ".join(['"Noto Sans CJK SC"', *_BASE]),
}
DOCX_FONTS = {"ar": "Noto Naskh Arabic", "zh-hans": "Noto Sans CJK SC"}
DEFAULT_DOCX_FONT = "Noto Sans"


def font_stack(language: str) -> str:
    return FONT_STACKS.get(language, ", ".join(_BASE))


def roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def svg_for(chart: charts.Chart, language: str) -> str:
    """The chart's SVG with the document's fonts (a Chinese label needs Noto Sans CJK, not system-ui)."""
    return str(chart.svg).replace(charts.FONT, f"font-family='{font_stack(language)}'")


@dataclass
class PBlock:
    kind: str
    block: object
    number: int = 0  # figure or table number
    note_numbers: list[int] = field(default_factory=list)
    html: str = ""
    svg: str = ""
    aid: bool = False  # a generated narrative, marked as such while the document is a draft


@dataclass
class PSection:
    section: Section
    number: str  # "I", "A", "Annex II" or ""
    anchor: str
    level: int
    blocks: list[PBlock] = field(default_factory=list)
    subsections: list[PSection] = field(default_factory=list)
    annex: bool = False

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.section.title}" if self.number and not self.annex else self.section.title


@dataclass
class Plan:
    """A document numbered for rendering: sections, contents entries, notes and cover lines."""

    document: Document
    sections: list[PSection]
    annexes: list[PSection]
    contents: list[PSection]
    notes: list[str]
    figures: int
    tables: int
    cover: dict

    @property
    def front(self):
        return self.document.front


def _cover(doc: Document) -> dict:
    f = doc.front
    when = f.date or datetime.date.today()
    original = LANGUAGE_NAMES.get(f.original_language, f.original_language)
    return {
        "symbol": f.symbol,
        "distribution": _("Distr.: %(distribution)s") % {"distribution": DISTRIBUTIONS.get(f.distribution, f.distribution)},
        # "4 May 2026" as UN documents date them; Chinese writes 2026年5月4日 (its DATE_FORMAT).
        "date": date_format(when, "DATE_FORMAT" if f.language == "zh-hans" else "j F Y"),
        "original": _("Original: %(language)s") % {"language": original},
        "draft": _("Draft"),
        "version": _("Version %(version)d") % {"version": f.version},
        "running": f.running_title or f.title,
        "contents": _("Contents"),
        "page": _("Page"),
        "notes": _("Notes"),
    }


def prepare(doc: Document) -> Plan:
    """Number the document (in the active language: captions such as "Figure 3" are translated)."""
    counters = {"figure": 0, "table": 0}
    notes: list[str] = []
    contents: list[PSection] = []
    language = doc.front.language

    def block(b) -> PBlock:
        if isinstance(b, Figure):
            counters["figure"] += 1
            return PBlock("figure", b, counters["figure"], svg=svg_for(b.chart, language))
        if isinstance(b, Table):
            counters["table"] += 1
            return PBlock("table", b, counters["table"])
        if isinstance(b, Paragraph):
            numbers = []
            for note in b.notes:
                notes.append(note)
                numbers.append(len(notes))
            return PBlock("paragraph", b, note_numbers=numbers)
        if isinstance(b, Markdown):
            return PBlock("markdown", b, html=markdown_html(b.text), aid=b.draft_aid and doc.front.draft)
        if isinstance(b, Bullets):
            return PBlock("bullets", b)
        if isinstance(b, Quote):
            return PBlock("quote", b)
        raise TypeError(f"Not a document block: {b!r}")

    def visit(section: Section, number: str, anchor: str, level: int, annex: bool = False) -> PSection:
        ps = PSection(section, number, anchor, level, annex=annex)
        if level <= 2:
            contents.append(ps)
        ps.blocks = [block(b) for b in section.blocks]
        letter = 0
        for i, sub in enumerate(section.subsections, start=1):
            if sub.numbered:
                letter += 1
            sub_number = (chr(ord("A") + letter - 1) if letter <= 26 else str(letter)) if sub.numbered else ""
            ps.subsections.append(visit(sub, sub_number, f"{anchor}-{i}", level + 1))
        return ps

    sections, chapter = [], 0
    for i, s in enumerate(doc.sections, start=1):
        if s.numbered:
            chapter += 1
        sections.append(visit(s, roman(chapter) if s.numbered else "", s.key or f"s{i}", 1))
    annexes = []
    for i, s in enumerate(doc.annexes, start=1):
        label = _("Annex %(number)s") % {"number": roman(i)} if len(doc.annexes) > 1 else _("Annex")
        annexes.append(visit(s, label, s.key or f"annex-{i}", 1, annex=True))
    return Plan(doc, sections, annexes, contents, notes, counters["figure"], counters["table"], _cover(doc))


def render_html(doc: Document) -> str:
    """The document as one self-contained HTML page (also the PDF's source)."""
    with translation.override(doc.front.language):
        plan = prepare(doc)
        return render_to_string("reports/engine/document.html", {
            "plan": plan, "front": doc.front, "cover": plan.cover, "font_stack": font_stack(doc.front.language),
            "rtl": doc.front.rtl, "lang": doc.front.language,
        })


def render_pdf(doc: Document, html: str | None = None) -> bytes:
    """The PDF (WeasyPrint, reading nothing but the site's static files)."""
    return html_to_pdf(html if html is not None else render_html(doc))
