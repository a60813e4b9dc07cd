"""The structure of a document, independent of its output format.

A :class:`Document` is what every document of the platform is built as — a regional review report,
the WSIS Forum's outcome document, the yearly WSIS Stocktaking Report — before the engine renders it
to HTML, PDF (:func:`wsis.reports.rendering.render_pdf`) or DOCX (:func:`wsis.reports.word.render_docx`)
from that one structure::

    doc = Document(
        front=FrontMatter(title="…", issuing_body="Economic and Social Commission for Asia and the Pacific",
                          symbol="ESCAP/CICTSTI/2026/INF/1", date=date(2026, 5, 4), language="en",
                          original_language="en", draft=False),
        sections=[Section(title="Executive summary", blocks=[Markdown("**Key message:** …")]),
                  Section(title="C4 Capacity building", blocks=[
                      Paragraph("7 of 8 member states responded.", notes=["Questionnaire responses, 2026."]),
                      Figure(chart=charts.bar_chart(...)),
                      Table(caption="…", columns=[...], rows=[[...]])])],
        annexes=[Section(title="Methodology and sources", blocks=[Bullets([...])])],
    )

Blocks are plain data; text is never markup: :class:`Paragraph` text is escaped, :class:`Markdown` is
rendered by :mod:`wsis.reports.markdown` (CommonMark with raw HTML off, then cleaned by nh3). Numbers of
sections, figures, tables and notes are given by the renderers, in order, identically in every format.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from wsis.core.charts import Chart

__all__ = [
    "Block", "Bullets", "Document", "Figure", "FrontMatter", "Markdown", "Paragraph", "Quote", "Section", "Table",
    "DISTRIBUTIONS", "LANGUAGE_NAMES", "RTL_LANGUAGES",
]

RTL_LANGUAGES = frozenset({"ar"})
# The language of the original as the cover names it ("Original: English"), in the document's language.
LANGUAGE_NAMES = {"ar": _("Arabic"), "zh-hans": _("Chinese"), "en": _("English"), "fr": _("French"),
                  "ru": _("Russian"), "es": _("Spanish")}
DISTRIBUTIONS = {"General": _("General"), "Limited": _("Limited"), "Restricted": _("Restricted")}


@dataclass
class FrontMatter:
    """The cover of a UN document.

    ``issuing_body``: who speaks (a regional commission, the WSIS secretariat at ITU).
    ``emblem``: a path under the site's static files (``img/emblems/escap.svg``), configured per issuing
    body; none is shipped for a third party, and the cover leaves the slot empty without one.
    ``symbol``: the document symbol (``ESCAP/CICTSTI/2026/INF/1``); ``distribution``: the
    "Distr.:" line (General, Limited, Restricted). ``draft``: a "Draft" watermark on every page and
    "Draft" in the running header — never on a published document.
    """

    title: str
    language: str = "en"
    subtitle: str = ""
    issuing_body: str = ""
    emblem: str = ""
    symbol: str = ""
    distribution: str = "General"
    date: datetime.date | None = None
    original_language: str = "en"
    draft: bool = True
    version: int = 1
    running_title: str = ""
    agenda: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def rtl(self) -> bool:
        return self.language in RTL_LANGUAGES


@dataclass
class Paragraph:
    """Plain text (escaped). ``notes``: footnotes called at the end of the paragraph (sources)."""

    text: str
    notes: list[str] = field(default_factory=list)
    style: str = ""  # "" | "lead" | "meta" | "draft-aid" (a generated sentence not yet edited by a person)


@dataclass
class Markdown:
    """A narrative written in Markdown by a person, or drafted by the platform from the figures
    (``draft_aid``: marked "generated, to be edited" on drafts; publishing adopts the text as it stands)."""

    text: str
    draft_aid: bool = False


@dataclass
class Bullets:
    items: list[str]
    ordered: bool = False


@dataclass
class Quote:
    text: str
    attribution: str = ""


@dataclass
class Table:
    """A numbered table. ``rows``: one list per row, the first cell its label (a row header)."""

    columns: list[str]
    rows: list[list]
    caption: str = ""
    source: str = ""
    numeric: bool = True  # cells after the first are numbers: aligned to the end


@dataclass
class Figure:
    """A numbered chart (SVG from :mod:`wsis.core.charts`) with its data table and source.

    The PDF and HTML embed the SVG (vector); the DOCX gets it rasterised to PNG (cairosvg). The
    data table follows the figure when ``table`` is true (always in the HTML, for screen readers).
    """

    chart: Chart
    table: bool = True


Block = Paragraph | Markdown | Bullets | Quote | Table | Figure


@dataclass
class Section:
    """A numbered chapter (``numbered=False`` for a foreword) with blocks and sub-sections."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    key: str = ""
    numbered: bool = True
    page_break: bool = True  # a top-level section starts a new page in the PDF and DOCX

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self


@dataclass
class Document:
    """Front matter, sections and annexes; ``contents``: a table of contents after the cover."""

    front: FrontMatter
    sections: list[Section] = field(default_factory=list)
    annexes: list[Section] = field(default_factory=list)
    contents: bool = True

    def walk(self):
        """Every block in reading order, with its section path (for tests and counts)."""
        def visit(section: Section, path: tuple[str, ...]):
            here = (*path, section.title)
            for block in section.blocks:
                yield here, block
            for sub in section.subsections:
                yield from visit(sub, here)
        for section in [*self.sections, *self.annexes]:
            yield from visit(section, ())
