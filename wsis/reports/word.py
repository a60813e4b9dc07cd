"""DOCX of a :class:`~wsis.reports.document.Document` (python-docx), from the same plan as the PDF.

A4 with UN margins; the cover (issuing body and emblem, symbol, "Distr.:", date, "Original:") on a
first page without header or footer; then a table-of-contents field (``TOC \\o "1-2" \\h``; Word and
LibreOffice fill it in when the file is opened — ``w:updateFields`` is set — and it shows a line saying
so until then); running headers (symbol, short title, "Draft" on drafts) and a PAGE field in the footer
of every other page; headings in Word's "Heading 1–3" styles so that the contents and the navigation
pane find them; figures as PNG images rasterised from the chart's SVG by cairosvg, with caption, source
and data table; tables with a repeated header row; real Word footnotes (a ``word/footnotes.xml`` part,
which python-docx does not write itself); Noto fonts set for Latin, complex-script and East-Asian text;
right-to-left paragraphs, runs, tables and section for Arabic.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from django.contrib.staticfiles import finders
from django.utils import translation
from django.utils.translation import gettext as _

from .markdown import markdown_blocks
from .rendering import DEFAULT_DOCX_FONT, DOCX_FONTS, Plan, PSection, prepare

__all__ = ["render_docx", "svg_to_png"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FIGURE_WIDTH_MM = 160


def svg_to_png(svg: str, *, width_px: int = 1400) -> bytes:
    """A PNG of an SVG chart (cairosvg), wide enough to print sharply at 16 cm."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width_px, background_color="white",
                            unsafe=False)


class _Writer:
    def __init__(self, plan: Plan):
        from docx import Document as DocxDocument
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        self.plan = plan
        self.front = plan.front
        self.rtl = self.front.rtl
        self.font = DOCX_FONTS.get(self.front.language, DEFAULT_DOCX_FONT)
        self.doc = DocxDocument()
        self.qn, self.Mm, self.Pt = qn, Mm, Pt
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(24), Mm(22)
        section.left_margin = section.right_margin = Mm(20)
        section.header_distance = section.footer_distance = Mm(10)
        section.different_first_page_header_footer = True
        if self.rtl:
            section._sectPr.append(self._el("w:bidi"))
        self._styles()
        self.doc.core_properties.title = self.front.title
        self.doc.core_properties.subject = self.front.symbol
        self.doc.core_properties.language = self.front.language
        self.doc.core_properties.author = self.front.issuing_body
        self.note_no = 0

    # -- helpers -------------------------------------------------------------------------------
    def _el(self, tag: str, **attrs):
        from docx.oxml import OxmlElement

        el = OxmlElement(tag)
        for key, value in attrs.items():
            el.set(self.qn(f"w:{key}"), str(value))
        return el

    def _styles(self) -> None:
        styles = self.doc.styles
        for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption", "List Bullet",
                     "List Number", "Quote", "Table Grid", "Header", "Footer"):
            try:
                style = styles[name]
            except KeyError:
                continue
            style.font.name = self.font
            rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                rfonts.set(self.qn(attr), self.font)
            if name.startswith("Heading") or name == "Title":
                style.font.color.rgb = None
        styles["Normal"].font.size = self.Pt(10.5)
        for name, size in (("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 10.5), ("Title", 22)):
            styles[name].font.size = self.Pt(size)

    def _dir(self, paragraph, align_end: bool = False):
        """Right-to-left paragraph and runs for Arabic (bidi, rtl, complex-script fonts)."""
        if not self.rtl:
            if align_end:
                from docx.enum.text import WD_ALIGN_PARAGRAPH

                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            return paragraph
        ppr = paragraph._p.get_or_add_pPr()
        ppr.insert(0, self._el("w:bidi"))
        for run in paragraph.runs:
            run._r.get_or_add_rPr().append(self._el("w:rtl"))
            run.font.complex_script = True
        # In a bidi paragraph "left" is the start side: aligning to the end means "left" in RTL terms.
        jc = self._el("w:jc", val="left" if align_end else "right")
        ppr.append(jc)
        return paragraph

    def para(self, text: str = "", style: str | None = None, *, bold: bool = False, italic: bool = False,
             size: float | None = None, align_end: bool = False):
        p = self.doc.add_paragraph(style=style)
        if text:
            run = p.add_run(str(text))
            run.bold, run.italic = bold or None, italic or None
            if size:
                run.font.size = self.Pt(size)
        return self._dir(p, align_end)

    def heading(self, text: str, level: int):
        return self._dir(self.doc.add_heading(str(text), level=level))

    def page_break(self):
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def field(self, paragraph, instruction: str, placeholder: str = ""):
        """A complex field (PAGE, TOC …) with its cached result; Word updates it."""
        run = paragraph.add_run()
        run._r.append(self._el("w:fldChar", fldCharType="begin", dirty="true"))
        instr = paragraph.add_run()
        t = self._el("w:instrText")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = f" {instruction} "
        instr._r.append(t)
        paragraph.add_run()._r.append(self._el("w:fldChar", fldCharType="separate"))
        paragraph.add_run(placeholder)
        paragraph.add_run()._r.append(self._el("w:fldChar", fldCharType="end"))

    # -- parts ---------------------------------------------------------------------------------
    def cover(self):
        from docx.shared import Mm

        cover = self.plan.cover
        table = self.doc.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        body = left.paragraphs[0]
        emblem = self._emblem_png()
        if emblem:
            body.add_run().add_picture(io.BytesIO(emblem), height=Mm(16))
            body.add_run("  ")
        body.add_run(self.front.issuing_body).bold = True
        self._dir(body)
        sym = right.paragraphs[0]
        if cover["symbol"]:
            run = sym.add_run(cover["symbol"])
            run.bold, run.font.size = True, self.Pt(14)
        self._dir(sym, align_end=True)
        if self.rtl:
            table._tbl.tblPr.append(self._el("w:bidiVisual"))
        for line in (cover["distribution"], cover["date"], cover["original"]):
            self.para(line, size=9.5)
        if self.front.agenda:
            self.para(self.front.agenda, size=9.5)
        for _i in range(4):
            self.para("")
        self.para(self.front.title, "Title")
        if self.front.subtitle:
            self.para(self.front.subtitle, size=13)
        status = cover["version"] + (f" · {cover['draft']}" if self.front.draft else "")
        self.para(status, size=10, bold=self.front.draft)
        for note in self.front.notes:
            self.para(note, size=9.5)
        self.page_break()

    def _emblem_png(self) -> bytes | None:
        if not self.front.emblem:
            return None
        path = finders.find(self.front.emblem)
        if not path:
            return None
        data = Path(path).read_bytes()
        return svg_to_png(data.decode("utf-8"), width_px=300) if path.endswith(".svg") else data

    def header_footer(self):
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        section = self.doc.sections[0]
        header = section.header.paragraphs[0]
        start = self.plan.cover["symbol"] or self.front.issuing_body
        end = self.plan.cover["running"] + (f" · {self.plan.cover['draft']}" if self.front.draft else "")
        header.add_run(start)
        header.add_run("\t\t")
        header.add_run(end)
        for run in header.runs:
            run.font.size = self.Pt(8.5)
        self._dir(header)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.field(footer, "PAGE", "1")

    def contents(self):
        self.para(self.plan.cover["contents"], "TOC Heading" if "TOC Heading" in [s.name for s in self.doc.styles]
                  else None, bold=True, size=13)
        p = self.doc.add_paragraph()
        self.field(p, 'TOC \\o "1-2" \\h \\z \\u',
                   _("The table of contents is filled in when the document is opened (update fields)."))
        self._dir(p)
        settings = self.doc.settings.element
        settings.append(self._el("w:updateFields", val="true"))
        self.page_break()

    def footnote_call(self, paragraph, note: str):
        self.note_no += 1
        run = paragraph.add_run()
        rpr = run._r.get_or_add_rPr()
        rpr.append(self._el("w:vertAlign", val="superscript"))
        run._r.append(self._el("w:footnoteReference", id=self.note_no))
        self.notes.append(note)

    def section(self, ps: PSection, first: bool):
        s = ps.section
        if ps.level == 1 and s.page_break and not first:
            self.page_break()
        level = min(ps.level, 3)
        if ps.annex:
            self.heading(f"{ps.number}. {s.title}", level)
        else:
            self.heading(f"{ps.number}. {s.title}" if ps.number else s.title, level)
        for pb in ps.blocks:
            getattr(self, f"block_{pb.kind}")(pb)
        for sub in ps.subsections:
            self.section(sub, first=False)

    def block_paragraph(self, pb):
        b = pb.block
        p = self.para(b.text, italic=b.style == "draft-aid", size=9 if b.style == "meta" else None)
        for note in b.notes:
            self.footnote_call(p, note)

    def block_markdown(self, pb):
        if pb.aid:
            self.para(_("Sentences generated from the figures, to be edited by the reviewers."),
                      italic=True, size=9)
        for mb in markdown_blocks(pb.block.text):
            if mb.kind == "heading":
                p = self.doc.add_paragraph(style="Heading 3")
            elif mb.kind == "bullet":
                p = self.doc.add_paragraph(style="List Bullet")
            elif mb.kind == "number":
                p = self.doc.add_paragraph(style="List Number")
            elif mb.kind == "quote":
                p = self.doc.add_paragraph(style="Quote")
            else:
                p = self.doc.add_paragraph()
            for r in mb.runs:
                run = p.add_run(r.text)
                run.bold, run.italic = r.bold or None, r.italic or None
                if r.code:
                    run.font.name = "Noto Sans Mono"
            self._dir(p)

    def block_bullets(self, pb):
        for item in pb.block.items:
            self.para(item, "List Number" if pb.block.ordered else "List Bullet")

    def block_quote(self, pb):
        self.para(f"“{pb.block.text}”", "Quote")
        if pb.block.attribution:
            self.para(f"— {pb.block.attribution}", size=9)

    def _table(self, columns, rows, numeric: bool, size: float = 8.5):
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        head = table.rows[0]
        head._tr.get_or_add_trPr().append(self._el("w:tblHeader"))
        for cell, text in zip(head.cells, columns, strict=False):
            cell.text = str(text)
            for p in cell.paragraphs:
                for run in p.runs:
                    run.bold, run.font.size = True, self.Pt(size)
                self._dir(p)
        for row in rows:
            cells = table.add_row().cells
            for i, (cell, value) in enumerate(zip(cells, row, strict=False)):
                cell.text = "–" if value is None else str(value)
                for p in cell.paragraphs:
                    for run in p.runs:
                        run.font.size = self.Pt(size)
                    if numeric and i and not self.rtl:
                        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                    self._dir(p, align_end=numeric and i > 0)
        if self.rtl:
            table._tbl.tblPr.append(self._el("w:bidiVisual"))
        return table

    def block_table(self, pb):
        b = pb.block
        caption = _("Table %(n)d") % {"n": pb.number} + (f". {b.caption}" if b.caption else "")
        self.para(caption, "Caption", bold=True)
        self._table(b.columns, b.rows, b.numeric)
        if b.source:
            self.para(_("Source: %(source)s") % {"source": b.source}, size=8.5)
        self.para("")

    def block_figure(self, pb):
        from docx.shared import Mm

        chart = pb.block.chart
        self.para(_("Figure %(n)d") % {"n": pb.number} + f". {chart.title}", "Caption", bold=True)
        p = self.doc.add_paragraph()
        p.add_run().add_picture(io.BytesIO(svg_to_png(pb.svg)), width=Mm(FIGURE_WIDTH_MM))
        # The picture's description is the chart's text alternative.
        for docpr in p._p.iter(self.qn("wp:docPr")):
            docpr.set("descr", str(chart.description or chart.title)[:1000])
        self._dir(p)
        for note in chart.notes:
            self.para(note, size=8.5)
        if chart.source:
            self.para(_("Source: %(source)s") % {"source": chart.source}, size=8.5)
        if pb.block.table:
            self._table(chart.columns, [[row["label"], *row["values"]] for row in chart.table_rows], True, size=8)
        self.para("")

    def footnotes_part(self):
        """word/footnotes.xml with the separators Word expects and one footnote per call."""
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        rtl_p = "<w:bidi/>" if self.rtl else ""
        rtl_r = "<w:rtl/>" if self.rtl else ""
        items = [
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
        ]
        for i, note in enumerate(self.notes, start=1):
            items.append(
                f'<w:footnote w:id="{i}"><w:p><w:pPr>{rtl_p}<w:spacing w:after="0"/></w:pPr>'
                f'<w:r><w:rPr><w:vertAlign w:val="superscript"/><w:sz w:val="16"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:rPr>{rtl_r}<w:sz w:val="16"/></w:rPr><w:t xml:space="preserve"> {xml_escape(note)}</w:t></w:r>'
                f'</w:p></w:footnote>')
        blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W_NS}">'
                + "".join(items) + "</w:footnotes>").encode("utf-8")
        part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, self.doc.part.package)
        self.doc.part.relate_to(part, RT.FOOTNOTES)

    def write(self) -> bytes:
        self.notes: list[str] = []
        self.cover()
        self.header_footer()
        if self.plan.document.contents:
            self.contents()
        for i, ps in enumerate([*self.plan.sections, *self.plan.annexes]):
            self.section(ps, first=i == 0)
        if self.notes:
            self.footnotes_part()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def render_docx(doc) -> bytes:
    """The document as an editable Word file (see the module docstring)."""
    with translation.override(doc.front.language):
        return _Writer(prepare(doc)).write()
