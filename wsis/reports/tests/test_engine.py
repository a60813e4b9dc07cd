"""The document engine: one structure, read back from the PDF (text, fonts), the DOCX (page size,
headers, footers, contents field, images, footnotes, direction) and the HTML."""

import io
import re

import pytest

from wsis.reports.document import Document, Figure, FrontMatter, Markdown, Paragraph, Section, Table
from wsis.reports.markdown import markdown_blocks, markdown_html
from wsis.reports.rendering import prepare, render_html, render_pdf, roman
from wsis.reports.specimen import SAMPLE, specimen
from wsis.reports.word import render_docx

from .readback import docx_parts, flat, pdf_fonts, pdf_pages

SYMBOL = "ESCAP/CICTSTI/2026/INF/1"


@pytest.fixture(scope="module")
def published_pdf():
    return render_pdf(specimen("en", chapters=3, draft=False))


@pytest.fixture(scope="module")
def draft_pdf():
    return render_pdf(specimen("en", chapters=2, draft=True))


def test_cover_has_the_un_document_items(published_pdf):
    cover = flat(pdf_pages(published_pdf)[0])
    for item in ("Economic and Social Commission for Asia and the Pacific", SYMBOL, "Distr.: General", "4 May 2026",
                 "Original: English", "Regional review of WSIS implementation",
                 "Digital transformation for sustainable development"):
        assert item in cover, item


def test_contents_list_every_chapter_and_annex_with_its_page(published_pdf):
    pages = pdf_pages(published_pdf)
    contents = flat(pages[1])
    assert contents.startswith(SYMBOL) and "Contents" in contents
    entries = dict(re.findall(r"((?:[IVX]+\. )?(?:Action line C\d|Foreword|Annex [IVX]+\. [A-Za-z ]+?)) [. ]+ (\d+)",
                              contents))
    assert set(entries) >= {"Foreword", "I. Action line C1", "II. Action line C2", "III. Action line C3",
                            "Annex I. Methodology and sources", "Annex II. Full responses"}
    # Each entry's page number is the page on which that heading is printed.
    for title, page in entries.items():
        heading = title.split(". ", 1)[-1] if title.startswith(("I", "V", "X")) and not title.startswith("Annex") else title
        heading = heading.replace("Annex I. ", "").replace("Annex II. ", "")
        assert heading in flat(pages[int(page) - 1]), (title, page)


def test_every_page_after_the_cover_has_running_header_and_number(published_pdf):
    pages = pdf_pages(published_pdf)
    assert len(pages) >= 10
    assert SYMBOL in pages[0] and not re.search(r"^\s*1\s*$", pages[0], re.M)  # no number on the cover
    for number, text in enumerate(pages[1:], start=2):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[0] == SYMBOL, number
        assert "Regional review of WSIS implementation" in lines, number
        assert str(number) in lines[-3:], (number, lines[-3:])


def test_a_footnote_is_printed_on_the_page_of_its_call():
    doc = Document(front=FrontMatter(title="T", draft=False), contents=False, sections=[
        Section("One", blocks=[Paragraph("Para with a note.", notes=["The note text."]), Paragraph("After.")]),
        Section("Two", blocks=[Paragraph("Second.")])])
    pages = pdf_pages(render_pdf(doc))
    assert "The note text." in pages[1] and "The note text." not in pages[2]


def test_footnotes_and_figures_are_printed(published_pdf):
    text = flat(" ".join(pdf_pages(published_pdf)))
    assert "1. WSIS Stocktaking registry, 2025." in text
    assert "Figure 1. Initiatives · C1" in text and "Figure 3. Initiatives · C3" in text
    assert "Table 2. Initiatives · C2" in text
    assert "Source: WSIS Stocktaking registry" in text


def test_no_draft_once_published_and_a_watermark_on_every_draft_page(published_pdf, draft_pdf):
    assert "draft" not in " ".join(pdf_pages(published_pdf)).lower()
    draft_pages = pdf_pages(draft_pdf)
    assert "Version 1 · Draft" in flat(draft_pages[0])
    for text in draft_pages[1:]:
        assert "Regional review of WSIS implementation · Draft" in flat(text)


def test_fonts_are_noto_and_embedded(published_pdf):
    assert {"Noto-Sans", "Noto-Sans-Bold"} <= pdf_fonts(published_pdf)


@pytest.mark.parametrize(("language", "font"), [("ar", "Noto-Naskh-Arabic"), ("zh-hans", "Noto-Sans-CJK-SC")])
def test_arabic_and_chinese_embed_noto_and_extract_in_reading_order(language, font):
    pdf = render_pdf(specimen(language, chapters=1, draft=False))
    assert font in pdf_fonts(pdf)
    title, subtitle, sentence = SAMPLE[language]
    pages = pdf_pages(pdf)
    cover = flat(pages[0])
    assert title in cover and subtitle in cover
    assert SYMBOL in cover
    body = flat(" ".join(pages[2:]))
    # A whole sentence, in logical order (not reversed glyph by glyph, not split into runs).
    assert sentence.split("،")[0].split("，")[0] in body


def test_arabic_document_is_right_to_left():
    html = render_html(specimen("ar", chapters=1))
    assert '<html lang="ar" dir="rtl">' in html
    assert "@top-right { content: element(runhead-start)" in html  # the symbol on the start (right) side
    docx = docx_parts(render_docx(specimen("ar", chapters=1)))
    body = docx["word/document.xml"].decode()
    assert "<w:bidi/>" in body and "<w:rtl/>" in body and "<w:bidiVisual/>" in body
    assert 'w:cs="Noto Naskh Arabic"' in docx["word/styles.xml"].decode()


def test_docx_is_a4_with_header_footer_contents_images_and_footnotes():
    from docx import Document as Docx
    from docx.shared import Mm

    data = render_docx(specimen("en", chapters=2, draft=True))
    doc = Docx(io.BytesIO(data))
    section = doc.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0].text
    assert SYMBOL in header and "Regional review of WSIS implementation · Draft" in header
    parts = docx_parts(data)
    footers = [v.decode() for k, v in parts.items() if k.startswith("word/footer")]
    assert any("PAGE" in f and 'w:fldCharType="begin"' in f for f in footers)
    body = parts["word/document.xml"].decode()
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    assert 'w:updateFields w:val="true"' in parts["word/settings.xml"].decode()
    images = [k for k in parts if k.startswith("word/media/")]
    assert len(images) == 2 and all(parts[k][:8] == b"\x89PNG\r\n\x1a\n" for k in images)
    assert 'descr="' in body  # the chart's text alternative on the picture
    notes = parts["word/footnotes.xml"].decode()
    assert "WSIS Stocktaking registry, 2025." in notes and body.count("<w:footnoteReference") == 2
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[:3] == ["Foreword", "I. Action line C1", "II. Action line C2"]
    assert "Annex I. Methodology and sources" in headings


def test_docx_of_a_published_document_says_no_draft():
    from docx import Document as Docx

    data = render_docx(specimen("en", chapters=1, draft=False))
    doc = Docx(io.BytesIO(data))
    text = " ".join(p.text for p in doc.paragraphs) + doc.sections[0].header.paragraphs[0].text
    assert "Draft" not in text


def test_numbering_is_shared_by_every_format():
    doc = Document(front=FrontMatter(title="T", symbol="X/1"), sections=[
        Section("Foreword", numbered=False), Section("One", subsections=[Section("Sub"), Section("Sub 2")]),
        Section("Two", blocks=[Table(columns=["a", "b"], rows=[["x", 1]]), Table(columns=["a"], rows=[])])],
        annexes=[Section("Only annex")])
    plan = prepare(doc)
    assert [s.number for s in plan.sections] == ["", "I", "II"]
    assert [s.number for s in plan.sections[1].subsections] == ["A", "B"]
    assert plan.annexes[0].number == "Annex" and plan.tables == 2
    assert roman(14) == "XIV"


def test_markdown_narratives_are_rendered_safely():
    html = str(markdown_html("**Key message:** <script>alert(1)</script> [x](javascript:alert(1)) "
                             "[ok](https://example.org)\n\n# Heading"))
    assert "<strong>Key message:</strong>" in html
    assert "<script>" not in html and "javascript:" not in html.replace("[x](javascript:alert(1))", "")
    assert '<a href="https://example.org" rel="noopener noreferrer">ok</a>' in html
    assert "<h3>Heading</h3>" in html  # a narrative's headings sit below the chapter's
    blocks = markdown_blocks("**Key message:** growth\n\n- one\n- *two*")
    assert [b.kind for b in blocks] == ["paragraph", "bullet", "bullet"]
    assert blocks[0].runs[0].bold and blocks[0].runs[0].text == "Key message:" and blocks[2].runs[0].italic
    # The PDF prints Markdown as formatting, never the asterisks.
    doc = Document(front=FrontMatter(title="T", draft=False), sections=[Section("S", blocks=[Markdown("**Bold** text")])])
    text = flat(" ".join(pdf_pages(render_pdf(doc))))
    assert "Bold text" in text and "**" not in text


def test_text_is_escaped_in_every_block():
    doc = Document(front=FrontMatter(title="<b>T</b>"), sections=[Section("<i>S</i>", blocks=[
        Paragraph("<img src=x onerror=alert(1)>", notes=["<script>"])])])
    html = render_html(doc)
    assert "<img src=x" not in html and "&lt;img src=x" in html and "<script>" not in html


def test_figure_keeps_its_data_table_and_vector_svg():
    from wsis.core import charts

    chart = charts.bar_chart(id="c", title="Chart", labels=["a", "b"], values=[1, 2], source="Src")
    doc = Document(front=FrontMatter(title="T", language="zh-hans"), sections=[Section("S", blocks=[Figure(chart)])])
    html = render_html(doc)
    assert "<svg" in html and "Noto Sans CJK SC" in html.split("<svg", 1)[1][:2000]
    assert '<th scope="row" dir="auto">a</th>' in html
