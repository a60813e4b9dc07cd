"""Narratives in Markdown, rendered safely for documents and pages.

:func:`markdown_html` parses CommonMark with markdown-it-py with raw HTML switched off (``<script>`` in a
narrative is text, not markup) and then cleans the HTML with nh3 against an allow-list: paragraphs,
emphasis, lists, block quotes, headings, code, tables and links whose scheme is http(s) or mailto
(``rel="noopener noreferrer"`` is added). Nothing else survives, whoever wrote the narrative.

:func:`markdown_blocks` gives the same narrative as a list of simple blocks (heading, paragraph, list
item, quote) whose inline runs carry bold/italic/code flags, for the DOCX writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

__all__ = ["markdown_html", "markdown_blocks", "MdBlock", "MdRun", "ALLOWED_TAGS"]

ALLOWED_TAGS = {"p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "blockquote", "h3", "h4", "h5", "h6",
                "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_CHARS = 50_000


def _parser():
    from markdown_it import MarkdownIt

    # CommonMark, raw HTML off, tables on; headings are shifted down (a narrative sits inside a chapter).
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def _shift_headings(html: str) -> str:
    for level in (6, 5, 4, 3, 2, 1):
        new = min(level + 2, 6)
        html = html.replace(f"<h{level}>", f"<h{new}>").replace(f"</h{level}>", f"</h{new}>")
    return html


def markdown_html(text: str) -> SafeString:
    """Safe HTML for a Markdown narrative (see the module docstring)."""
    import nh3

    raw = _shift_headings(_parser().render((text or "")[:MAX_CHARS]))
    clean = nh3.clean(raw, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                      link_rel="noopener noreferrer", strip_comments=True)
    return mark_safe(clean)  # noqa: S308 - cleaned by nh3 against the allow-list above


@dataclass
class MdRun:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str = ""


@dataclass
class MdBlock:
    kind: str  # "heading" | "paragraph" | "bullet" | "number" | "quote" | "code"
    runs: list[MdRun] = field(default_factory=list)
    level: int = 0  # heading level (already shifted), or list depth

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def _inline_runs(children) -> list[MdRun]:
    runs: list[MdRun] = []
    bold = italic = 0
    href = ""
    for tok in children or []:
        t = tok.type
        if t == "strong_open":
            bold += 1
        elif t == "strong_close":
            bold -= 1
        elif t == "em_open":
            italic += 1
        elif t == "em_close":
            italic -= 1
        elif t == "link_open":
            target = tok.attrs.get("href", "")
            href = target if str(target).split(":", 1)[0].lower() in URL_SCHEMES else ""
        elif t == "link_close":
            href = ""
        elif t == "text":
            runs.append(MdRun(tok.content, bool(bold), bool(italic), False, href))
        elif t == "code_inline":
            runs.append(MdRun(tok.content, bool(bold), bool(italic), True, href))
        elif t in ("softbreak", "hardbreak"):
            runs.append(MdRun(" " if t == "softbreak" else "\n"))
        elif t == "image":  # no images from narratives: the alternative text stands in
            runs.append(MdRun(tok.content or "", bool(bold), bool(italic)))
    return [r for r in runs if r.text]


def markdown_blocks(text: str) -> list[MdBlock]:
    """The narrative as flat blocks for writers that are not HTML (DOCX)."""
    tokens = _parser().parse((text or "")[:MAX_CHARS])
    blocks: list[MdBlock] = []
    lists: list[str] = []  # "bullet" / "number" per open list
    quote = 0
    pending: MdBlock | None = None
    for tok in tokens:
        t = tok.type
        if t == "bullet_list_open":
            lists.append("bullet")
        elif t == "ordered_list_open":
            lists.append("number")
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t == "blockquote_open":
            quote += 1
        elif t == "blockquote_close":
            quote -= 1
        elif t == "heading_open":
            pending = MdBlock("heading", level=min(int(tok.tag[1]) + 2, 6))
        elif t == "paragraph_open":
            kind = lists[-1] if lists else ("quote" if quote else "paragraph")
            pending = MdBlock(kind, level=len(lists))
        elif t == "inline" and pending is not None:
            pending.runs = _inline_runs(tok.children)
            blocks.append(pending)
            pending = None
        elif t in ("fence", "code_block"):
            blocks.append(MdBlock("code", [MdRun(tok.content.rstrip("\n"), code=True)]))
    return blocks
