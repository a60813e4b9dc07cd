"""Server-rendered SVG charts: no JavaScript, no chart library, print-ready, accessible.

Every builder returns a :class:`Chart`: the SVG markup (already escaped and marked safe) together
with the numbers behind it as a table (``columns`` and ``rows``), so that a page can show the data
table beside the picture and offer it as CSV. Render a chart with the template partial::

    {% include "core/partials/chart.html" with chart=my_chart %}

which gives ``<figure>`` + ``<figcaption>`` (title and source), the SVG, the data table (in a
``<details>``, or visible with ``chart.table_visible = True``) and a CSV download link
(``chart.csv_url`` when a view serves the CSV itself, otherwise a ``data:`` URL built from the rows).

Builders (all keyword-only; ``id`` must be unique on the page — it prefixes SVG element ids)::

    bar_chart(id=, title=, labels=[...], values=[...])                       # one series
    bar_chart(id=, title=, labels=[...], series=[Series(name, values), ...],  # grouped …
              stacked=False, orientation="horizontal" | "vertical")           # … or stacked
    line_chart(id=, title=, x_labels=[2019, 2020, ...], series=[Series(...), ...])
    heatmap(id=, title=, row_labels=[...], column_labels=[...], values=[[...], ...],
            marks={(row, col): "○"}, legend=[("○", "gap")], links={(row, col): url})

Common keyword arguments: ``description`` (the SVG ``<desc>``; a plain summary is written when
omitted), ``source`` (shown in the caption and the CSV), ``rtl=True`` (mirror the chart for
right-to-left languages: category labels on the right, bars growing leftwards, time running from
right to left), ``links`` (a URL per bar or cell: the chart becomes a drill-down), ``label_header``
(the first column's heading in the table and CSV).

Accessibility: the SVG has ``role="img"`` (``role="group"`` when it holds links), ``aria-labelledby`` pointing at its ``<title>`` and
``<desc>``. Colours come from the Okabe–Ito palette (distinguishable with the common colour-vision
deficiencies); several series also differ by fill pattern (bars) or marker shape and dash (lines)
and are labelled directly, and every bar or cell carries its number, so nothing is told by colour alone.

Other helpers: :func:`csv_response` (a streamed download with a chart's CSV, for views that serve
``csv_url``), :data:`PALETTE`, :class:`Series`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from django.http import StreamingHttpResponse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import downloads

__all__ = ["Chart", "Series", "PALETTE", "bar_chart", "line_chart", "heatmap", "csv_response", "format_number"]

# Okabe & Ito (2008), "Color Universal Design": safe for protanopia, deuteranopia and tritanopia.
# Ordered so that neighbouring series contrast in lightness too; yellow (#F0E442) is left out
# because it fails contrast against white.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999999"]
# A sequential single-hue scale (ColorBrewer "Blues") for heat maps: lightness carries the value.
HEAT_SCALE = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
INK = "#1b1f24"
MUTED = "#4a5562"
GRID = "#d5dbe1"
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, Noto Sans Arabic, Tahoma, sans-serif"'
_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
MARKERS = ["circle", "square", "triangle", "diamond", "cross", "circle-open", "square-open", "triangle-open"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "", "6 3", "2 3", "8 3 2 3"]
PATTERNS = ["solid", "diagonal", "dots", "cross", "horizontal", "back-diagonal", "grid", "vertical"]


@dataclass
class Series:
    """One named series of values (a bar group member, a stack segment or a line)."""

    name: str
    values: Sequence[float | int | None]
    # Line charts: indices whose value follows a break in the series (a change in how the data are
    # reported); the line is not drawn into them, so a step is not read as a trend.
    breaks: Sequence[int] = ()


@dataclass
class Chart:
    """A rendered chart with the data behind it.

    ``columns`` are the table headings; each row of ``rows`` starts with its label followed by one
    value per column after the first. ``row_links`` optionally gives a URL per row (drill-down).
    """

    id: str
    title: str
    description: str
    svg: SafeString
    columns: list[str]
    rows: list[list]
    source: str = ""
    csv_url: str = ""
    row_links: list[str] = field(default_factory=list)
    table_visible: bool = False
    notes: list[str] = field(default_factory=list)

    def csv_rows(self) -> list[list]:
        """The rows of the CSV download after the header: the table, then the source."""
        rows = [list(row) for row in self.rows]
        if self.source:
            rows += [[], [gettext("Source"), str(self.source)]]
        return rows

    def csv_text(self) -> str:
        """The table as CSV text (byte-order mark first, formulas neutralised): see :mod:`wsis.core.downloads`."""
        return downloads.csv_text([str(c) for c in self.columns], self.csv_rows())

    @property
    def csv_filename(self) -> str:
        return f"{slugify(self.id) or 'chart'}.csv"

    @property
    def csv_href(self) -> str:
        """Where the CSV link points: the view's own URL if set, else the data inline as a ``data:`` URL."""
        if self.csv_url:
            return self.csv_url
        return "data:text/csv;charset=utf-8," + quote(self.csv_text())

    @property
    def table_rows(self) -> list[dict]:
        """Rows for the template: label, cell values (formatted) and link."""
        links = self.row_links or []
        out = []
        for i, row in enumerate(self.rows):
            out.append({
                "label": row[0],
                "values": [format_number(v) for v in row[1:]],
                "link": links[i] if i < len(links) else "",
            })
        return out


def csv_response(chart: Chart, filename: str | None = None) -> StreamingHttpResponse:
    """The chart's data as a CSV download, through :func:`wsis.core.downloads.csv_response`."""
    return downloads.csv_response(filename or chart.csv_filename, [str(c) for c in chart.columns], chart.csv_rows())


def format_number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    if isinstance(value, (int, float)):
        return f"{int(value):,}"
    return str(value)


# ---------------------------------------------------------------------------------------------
# Building blocks


def _nice_step(value: float, n: int = 4) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving at most ``n`` steps up to ``value``."""
    if value <= 0:
        return 1
    raw = value / n
    exp = math.floor(math.log10(raw))
    for mult in (1, 2, 5, 10):
        step = mult * 10**exp
        if step >= raw:
            return step
    return 10 ** (exp + 1)


def _nice_max(value: float) -> float:
    """A round upper bound for an axis, a whole number of round steps (counts get whole-number ticks)."""
    step = _nice_step(value)
    if value >= 1:
        step = max(step, 1)
    return max(step, math.ceil(value / step - 1e-9) * step)


def _ticks(top: float) -> list[float]:
    step = _nice_step(top)
    if top >= 1:
        step = max(step, 1)
    count = int(round(top / step))
    return [step * i for i in range(count + 1)]


# Advance widths as a share of the font size, by script, measured on the fonts the platform ships
# for charts (Noto Sans, Noto Sans Arabic, Noto Sans CJK): a Chinese character is a full em wide, an
# Arabic letter about half, a Latin letter a little more than half. A single factor for every script
# made Chinese labels twice as wide as reserved, and they ran off the chart's edge.
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")
_NARROW = set("iIjl.,:;'|!()[]ı· ")


def _char_width(ch: str) -> float:
    if _WIDE.match(ch):
        return 1.0
    if ch in _NARROW:
        return 0.3
    if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff":
        return 0.52
    if "\u0400" <= ch <= "\u04ff":
        return 0.64
    if ch.isupper() or ch in "mwMW%@":
        return 0.7
    return 0.58


def _text_width(text: str, size: float = 12) -> float:
    """Width of a label in pixels, per character and script; enough to reserve room without a font engine
    (a little generous, so that a label measured to fit does fit)."""
    return sum(_char_width(ch) for ch in str(text)) * size


def _fit(text: str, width: float, size: float = 12) -> str:
    """Shorten a label to fit ``width`` (the full text stays in a ``<title>`` and the data table)."""
    text = str(text)
    if _text_width(text, size) <= width:
        return text
    room = width - _char_width("…") * size
    used, keep = 0.0, 0
    for ch in text:
        used += _char_width(ch) * size
        if used > room:
            break
        keep += 1
    return text[:max(keep, 1)].rstrip() + "…"


class _Canvas:
    """Collects SVG elements drawn in left-to-right coordinates and mirrors them for RTL."""

    def __init__(self, width: float, height: float, rtl: bool):
        self.width = width
        self.height = height
        self.rtl = rtl
        self.parts: list[str] = []

    def x(self, x: float) -> float:
        return self.width - x if self.rtl else x

    def rect(self, x, y, w, h, fill, *, stroke="none", title: str = "", extra: str = "", href: str = ""):
        px = self.width - x - w if self.rtl else x
        tip = f"<title>{escape(title)}</title>" if title else ""
        body = (f'<rect x="{px:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" fill="{fill}" '
                f'stroke="{stroke}" {extra}>{tip}</rect>')
        self.parts.append(self._link(body, href, title))

    def text(self, x, y, text, *, anchor="start", size=12, fill=INK, weight="normal", title="", href="",
             extra=""):
        # Anchors are logical: with direction="rtl" on the root, "start" is the right-hand end.
        tip = f"<title>{escape(title)}</title>" if title else ""
        if self.rtl and not _RTL_CHARS.search(text):
            # A code such as "3.b" in a right-to-left chart would read "b.3"; isolate it as left-to-right.
            text = f"\u2066{text}\u2069"
        body = (f'<text x="{self.x(x):.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
                f'font-weight="{weight}" {extra}>{tip}{escape(text)}</text>')
        # A text link is named by its own visible text (WCAG 2.5.3, label in name); no aria-label.
        self.parts.append(self._link(body, href, ""))

    def line(self, x1, y1, x2, y2, stroke=GRID, width=1, dash=""):
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<line x1="{self.x(x1):.1f}" y1="{y1:.1f}" x2="{self.x(x2):.1f}" y2="{y2:.1f}" '
                          f'stroke="{stroke}" stroke-width="{width}"{dash_attr}/>')

    def polyline(self, points, stroke, width=2.5, dash=""):
        pts = " ".join(f"{self.x(x):.1f},{y:.1f}" for x, y in points)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<polyline points="{pts}" fill="none" stroke="{stroke}" stroke-width="{width}"'
                          f' stroke-linejoin="round"{dash_attr}/>')

    def marker(self, kind, x, y, colour, title=""):
        cx = self.x(x)
        tip = f"<title>{escape(title)}</title>" if title else ""
        filled = not kind.endswith("-open")
        fill = colour if filled else "#ffffff"
        shape = kind.replace("-open", "")
        attrs = f'fill="{fill}" stroke="{colour}" stroke-width="1.8"'
        if shape == "circle":
            el = f'<circle cx="{cx:.1f}" cy="{y:.1f}" r="4.5" {attrs}>{tip}</circle>'
        elif shape == "square":
            el = f'<rect x="{cx - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" {attrs}>{tip}</rect>'
        elif shape == "triangle":
            el = (f'<polygon points="{cx:.1f},{y - 5.5:.1f} {cx + 5:.1f},{y + 4:.1f} {cx - 5:.1f},{y + 4:.1f}" '
                  f'{attrs}>{tip}</polygon>')
        elif shape == "diamond":
            el = (f'<polygon points="{cx:.1f},{y - 5.5:.1f} {cx + 5.5:.1f},{y:.1f} {cx:.1f},{y + 5.5:.1f} '
                  f'{cx - 5.5:.1f},{y:.1f}" {attrs}>{tip}</polygon>')
        else:  # cross
            el = (f'<path d="M{cx - 4:.1f},{y - 4:.1f} L{cx + 4:.1f},{y + 4:.1f} M{cx - 4:.1f},{y + 4:.1f} '
                  f'L{cx + 4:.1f},{y - 4:.1f}" stroke="{colour}" stroke-width="2.5" fill="none">{tip}</path>')
        self.parts.append(el)

    @staticmethod
    def _link(body: str, href: str, label: str) -> str:
        if not href:
            return body
        # Shapes without visible text (bars, cells) need a name; text links take theirs from the text.
        name = f' aria-label="{escape(label)}"' if label else ""
        return f'<a href="{escape(href)}"{name}>{body}</a>'


def _pattern_defs(prefix: str, count: int) -> str:
    """Fill patterns (colour + texture) so that series differ by more than colour."""
    defs = []
    for i in range(count):
        colour = PALETTE[i % len(PALETTE)]
        kind = PATTERNS[i % len(PATTERNS)]
        pid = f"{prefix}-p{i}"
        if kind == "solid":
            continue
        lines = {
            "diagonal": '<path d="M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2" stroke="#fff" stroke-width="1.6"/>',
            "back-diagonal": '<path d="M-1,7 l2,2 M0,0 l8,8 M7,-1 l2,2" stroke="#fff" stroke-width="1.6"/>',
            "dots": '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
            "cross": '<path d="M0,0 l8,8 M8,0 l-8,8" stroke="#fff" stroke-width="1.2"/>',
            "horizontal": '<path d="M0,4 h8" stroke="#fff" stroke-width="1.6"/>',
            "vertical": '<path d="M4,0 v8" stroke="#fff" stroke-width="1.6"/>',
            "grid": '<path d="M0,4 h8 M4,0 v8" stroke="#fff" stroke-width="1"/>',
        }[kind]
        defs.append(f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
                    f'<rect width="8" height="8" fill="{colour}"/>{lines}</pattern>')
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def _fill(prefix: str, i: int) -> str:
    if PATTERNS[i % len(PATTERNS)] == "solid":
        return PALETTE[i % len(PALETTE)]
    return f"url(#{prefix}-p{i})"


def _svg(canvas: _Canvas, chart_id: str, title: str, description: str, defs: str = "") -> SafeString:
    direction = "rtl" if canvas.rtl else "ltr"
    # role="img" hides its children from assistive technology, so a chart whose bars or labels are
    # links is a labelled group instead: its links stay reachable by keyboard and screen reader.
    role = "group" if any(part.startswith("<a ") for part in canvas.parts) else "img"
    return mark_safe(  # noqa: S308 - every piece of text was escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {canvas.width:.0f} '
        f'{canvas.height:.0f}" width="100%" role="{role}" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'direction="{direction}" style="direction:{direction};max-inline-size:{canvas.width:.0f}px" {FONT}>'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f'{defs}{"".join(canvas.parts)}</svg>'
    )


def _legend_rows(names: Sequence[str], width: float, x0: float = 8) -> int:
    """How many rows the legend wraps into (same arithmetic as :func:`_legend`)."""
    rows, x = 1, x0
    for name in names:
        w = 22 + _text_width(str(name), 12) + 18
        if x + w > width - 8 and x > x0:
            rows, x = rows + 1, x0
        x += w
    return rows


def _legend_height(names: Sequence[str], width: float) -> float:
    return 20 * _legend_rows(names, width) + 14 if len(names) > 1 else 0


def _legend(canvas: _Canvas, names: Sequence[str], y: float, x0: float, *, kind: str, prefix: str) -> float:
    """Draw a legend row (wrapping); return the y below it."""
    x = x0
    for i, name in enumerate(names):
        w = 22 + _text_width(str(name), 12) + 18
        if x + w > canvas.width - 8 and x > x0:
            x = x0
            y += 20
        # A name longer than the whole row is shortened (full name in its tooltip and the data table).
        shown = _fit(str(name), canvas.width - 8 - x - 22)
        if kind == "bar":
            canvas.rect(x, y - 10, 14, 14, _fill(prefix, i), stroke=INK, extra='stroke-width="0.5"')
        else:
            canvas.line(x, y - 3, x + 18, y - 3, stroke=PALETTE[i % len(PALETTE)], width=2.5, dash=DASHES[i % 8])
            canvas.marker(MARKERS[i % len(MARKERS)], x + 9, y - 3, PALETTE[i % len(PALETTE)])
        canvas.text(x + 22, y + 2, shown, anchor="start", title=str(name) if shown != str(name) else "")
        x += w
    return y + 22


def _describe_single(kind: str, labels: Sequence[str], values: Sequence) -> str:
    pairs = [(lab, v) for lab, v in zip(labels, values, strict=False) if v is not None]
    if not pairs:
        return gettext("%(kind)s with no data.") % {"kind": kind}
    top_label, top_value = max(pairs, key=lambda p: p[1])
    return gettext("%(kind)s of %(n)d categories. Highest: %(label)s, %(value)s. The data table gives every value.") % {
        "kind": kind, "n": len(pairs), "label": top_label, "value": format_number(top_value),
    }


# ---------------------------------------------------------------------------------------------
# Bar charts


def bar_chart(*, id: str, title: str, labels: Sequence, values: Sequence | None = None,
              series: Sequence[Series] | None = None, stacked: bool = False, orientation: str = "horizontal",
              description: str = "", source: str = "", rtl: bool = False, links: Sequence[str] | None = None,
              label_header: str = "", value_header: str = "", width: int = 640) -> Chart:
    """A bar chart of one series (``values``) or several (``series``, grouped or ``stacked``).

    Horizontal bars suit long category names (action lines, countries); vertical bars suit years.
    """
    if series is None:
        series = [Series(value_header or gettext("Initiatives"), list(values or []))]
    labels = [str(label) for label in labels]
    series = list(series)
    multi = len(series) > 1
    links = list(links or [])
    prefix = slugify(id) or "chart"
    totals = [sum((s.values[i] or 0) for s in series) for i in range(len(labels))]
    top = _nice_max(max(totals if stacked else [max((s.values[i] or 0) for s in series) for i in range(len(labels))]
                        or [0]))
    if orientation == "vertical":
        canvas = _vertical_bars(labels, series, stacked, top, rtl, prefix, links, width)
    else:
        canvas = _horizontal_bars(labels, series, stacked, top, rtl, prefix, links, width)
    if multi:
        names = [s.name for s in series]
        _legend(canvas, names, canvas.height - _legend_height(names, canvas.width) + 18, 8, kind="bar", prefix=prefix)
    if not description:
        description = _describe_single(
            gettext("Stacked bar chart") if stacked and multi else gettext("Bar chart"), labels, totals
        )
    columns = [label_header or gettext("Category"), *[s.name for s in series]]
    rows = [[label, *[s.values[i] for s in series]] for i, label in enumerate(labels)]
    if stacked and multi:
        columns.append(gettext("Total"))
        for row, total in zip(rows, totals, strict=True):
            row.append(total)
    return Chart(id=prefix, title=str(title), description=description,
                 svg=_svg(canvas, prefix, str(title), description, _pattern_defs(prefix, len(series) if multi else 0)),
                 columns=columns, rows=rows, source=str(source), row_links=links)


def _horizontal_bars(labels, series, stacked, top, rtl, prefix, links, width) -> _Canvas:
    multi = len(series) > 1
    band = 24 if (stacked or not multi) else 6 + 15 * len(series)
    label_w = min(max([_text_width(lab) for lab in labels] + [40]) + 12, width * 0.38)
    value_w = 56
    axis_top = 24
    legend_h = _legend_height([s.name for s in series], width)
    height = axis_top + band * len(labels) + 10 + legend_h
    canvas = _Canvas(width, height, rtl)
    plot_x, plot_w = label_w, width - label_w - value_w
    scale = plot_w / top
    for t in _ticks(top):
        x = plot_x + t * scale
        canvas.line(x, axis_top - 4, x, axis_top + band * len(labels), dash="2 3")
        canvas.text(x, axis_top - 8, format_number(t), anchor="middle", size=11, fill=MUTED)
    for i, label in enumerate(labels):
        y0 = axis_top + i * band
        href = links[i] if i < len(links) else ""
        canvas.text(plot_x - 6, y0 + band / 2 + 4, _fit(label, label_w - 10), anchor="end", title=label, href=href)
        if stacked or not multi:
            x = plot_x
            for s_i, s in enumerate(series):
                v = s.values[i] or 0
                fill = _fill(prefix, s_i) if multi else PALETTE[0]
                canvas.rect(x, y0 + 4, v * scale, band - 8, fill,
                            title=f"{label} – {s.name}: {format_number(s.values[i])}")
                x += v * scale
            total = sum((s.values[i] or 0) for s in series)
            canvas.text(x + 4, y0 + band / 2 + 4, format_number(total), anchor="start", size=11, weight="bold")
        else:
            for s_i, s in enumerate(series):
                v = s.values[i] or 0
                y = y0 + 3 + s_i * 15
                canvas.rect(plot_x, y, v * scale, 13, _fill(prefix, s_i),
                            title=f"{label} – {s.name}: {format_number(s.values[i])}")
                canvas.text(plot_x + v * scale + 4, y + 10.5, format_number(s.values[i]), anchor="start", size=10)
    canvas.line(plot_x, axis_top - 4, plot_x, axis_top + band * len(labels), stroke=INK)
    return canvas


def _vertical_bars(labels, series, stacked, top, rtl, prefix, links, width) -> _Canvas:
    multi = len(series) > 1
    n = max(len(labels), 1)
    axis_w = 44
    plot_w = width - axis_w - 12
    band = plot_w / n
    rotate = band < max([_text_width(lab, 11) for lab in labels] + [0]) + 4
    label_h = 14 + (min(max([_text_width(lab, 11) for lab in labels] + [0]), 90) * 0.7 if rotate else 0)
    legend_h = _legend_height([s.name for s in series], width)
    plot_top, plot_h = 20, 200
    height = plot_top + plot_h + label_h + 12 + legend_h
    canvas = _Canvas(width, height, rtl)
    base = plot_top + plot_h
    scale = plot_h / top
    for t in _ticks(top):
        y = base - t * scale
        canvas.line(axis_w, y, width - 12, y, dash="2 3")
        canvas.text(axis_w - 6, y + 4, format_number(t), anchor="end", size=11, fill=MUTED)
    for i, label in enumerate(labels):
        x0 = axis_w + i * band
        href = links[i] if i < len(links) else ""
        if stacked or not multi:
            y = base
            for s_i, s in enumerate(series):
                v = s.values[i] or 0
                fill = _fill(prefix, s_i) if multi else PALETTE[0]
                canvas.rect(x0 + band * 0.15, y - v * scale, band * 0.7, v * scale, fill,
                            title=f"{label} – {s.name}: {format_number(s.values[i])}", href=href)
                y -= v * scale
            if band >= 22:
                total = sum((s.values[i] or 0) for s in series)
                canvas.text(x0 + band / 2, y - 4, format_number(total), anchor="middle", size=10, weight="bold")
        else:
            w = band * 0.8 / len(series)
            for s_i, s in enumerate(series):
                v = s.values[i] or 0
                canvas.rect(x0 + band * 0.1 + s_i * w, base - v * scale, w - 1, v * scale, _fill(prefix, s_i),
                            title=f"{label} – {s.name}: {format_number(s.values[i])}", href=href)
        if rotate:
            lx = canvas.x(x0 + band / 2)
            # Slanted at 45°, a label reaches back about 0.71 of its length: the first ones are shortened
            # so that they stay inside the chart's edge.
            room = min(90.0, (x0 + band / 2 - 2) / 0.71)
            canvas.parts.append(
                f'<text x="{lx:.1f}" y="{base + 12:.1f}" text-anchor="end" font-size="11" fill="{INK}" '
                f'transform="rotate({45 if rtl else -45} {lx:.1f} {base + 12:.1f})"><title>{escape(label)}</title>'
                f'{escape(_fit(label, room, 11))}</text>'
            )
        else:
            canvas.text(x0 + band / 2, base + 15, label, anchor="middle", size=11)
    canvas.line(axis_w, base, width - 12, base, stroke=INK)
    return canvas


# ---------------------------------------------------------------------------------------------
# Line chart


def line_chart(*, id: str, title: str, x_labels: Sequence, series: Sequence[Series], description: str = "",
               source: str = "", rtl: bool = False, label_header: str = "", width: int = 640) -> Chart:
    """Several series over an ordered axis (usually years). Each line has its own colour, dash and
    marker shape, and is labelled at its last point; the table has one row per x value."""
    x_labels = [str(x) for x in x_labels]
    series = list(series)
    prefix = slugify(id) or "chart"
    top = _nice_max(max([v or 0 for s in series for v in s.values] or [0]))
    label_room = min(max([_text_width(s.name, 11) for s in series] + [0]) + 16, 160)
    axis_w, plot_top, plot_h = 44, 16, 220
    plot_w = width - axis_w - label_room
    legend_h = _legend_height([s.name for s in series], width)
    height = plot_top + plot_h + 30 + legend_h
    canvas = _Canvas(width, height, rtl)
    base = plot_top + plot_h
    scale = plot_h / top
    step = plot_w / max(len(x_labels) - 1, 1)
    for t in _ticks(top):
        y = base - t * scale
        canvas.line(axis_w, y, axis_w + plot_w, y, dash="2 3")
        canvas.text(axis_w - 6, y + 4, format_number(t), anchor="end", size=11, fill=MUTED)
    every = max(1, math.ceil(len(x_labels) * 34 / max(plot_w, 1)))
    last = len(x_labels) - 1
    for i, label in enumerate(x_labels):
        # The last label is always shown; the regular one before it gives way if they would touch.
        if (i % every == 0 and (i == last or last - i >= every)) or i == last:
            canvas.text(axis_w + i * step, base + 16, label, anchor="middle", size=11)
    canvas.line(axis_w, base, axis_w + plot_w, base, stroke=INK)
    end_labels: list[tuple[float, str, int]] = []
    for s_i, s in enumerate(series):
        colour = PALETTE[s_i % len(PALETTE)]
        points = [(axis_w + i * step, base - (v or 0) * scale) for i, v in enumerate(s.values) if v is not None]
        # One polyline per run between breaks: a break is never drawn as a slope.
        run: list[tuple[float, float]] = []
        for (x, y), i in zip(points, [i for i, v in enumerate(s.values) if v is not None], strict=True):
            if i in s.breaks and run:
                if len(run) > 1:
                    canvas.polyline(run, colour, dash=DASHES[s_i % len(DASHES)])
                run = []
            run.append((x, y))
        if len(run) > 1:
            canvas.polyline(run, colour, dash=DASHES[s_i % len(DASHES)])
        for (x, y), (i, v) in zip(points, [(i, v) for i, v in enumerate(s.values) if v is not None], strict=True):
            canvas.marker(MARKERS[s_i % len(MARKERS)], x, y, colour,
                          title=f"{s.name}, {x_labels[i]}: {format_number(v)}")
        if points:
            end_labels.append((points[-1][1], s.name, s_i))
    # Direct labels at the end of each line, nudged apart so that they never overlap.
    end_labels.sort()
    last_y = -1e9
    for y, name, _s_i in end_labels:
        y = max(y + 4, last_y + 14)
        last_y = y
        canvas.text(axis_w + plot_w + 8, y, _fit(name, label_room - 10, 11), anchor="start", size=11,
                    fill=INK, weight="bold", title=name)
    if len(series) > 1:
        names = [s.name for s in series]
        _legend(canvas, names, height - _legend_height(names, width) + 18, 8, kind="line", prefix=prefix)
    if not description:
        description = gettext(
            "Line chart of %(n)d series over %(first)s–%(last)s. The data table gives every value."
        ) % {"n": len(series), "first": x_labels[0] if x_labels else "", "last": x_labels[-1] if x_labels else ""}
    columns = [label_header or gettext("Year"), *[s.name for s in series]]
    rows = [[label, *[s.values[i] for s in series]] for i, label in enumerate(x_labels)]
    return Chart(id=prefix, title=str(title), description=description, svg=_svg(canvas, prefix, str(title), description),
                 columns=columns, rows=rows, source=str(source))


# ---------------------------------------------------------------------------------------------
# Heat map


def heatmap(*, id: str, title: str, row_labels: Sequence, column_labels: Sequence, values: Sequence[Sequence],
            description: str = "", source: str = "", rtl: bool = False, marks: dict | None = None,
            legend: Sequence[tuple[str, str]] = (), links: dict | None = None, label_header: str = "",
            cell: int = 30, cell_height: int | None = None, width: int | None = None) -> Chart:
    """A grid of numbers shaded by value (light → dark), with the number printed in every cell.

    ``marks`` puts a symbol in a cell's corner (``{(row, col): "○"}``), explained by ``legend``
    (``[("○", "Matrix link, no initiative")]``); ``links`` makes cells drill-down links.
    """
    row_labels = [str(r) for r in row_labels]
    column_labels = [str(c) for c in column_labels]
    marks = marks or {}
    links = links or {}
    prefix = slugify(id) or "chart"
    label_w = min(max([_text_width(r, 11) for r in row_labels] + [40]) + 10, 200)
    cell_h = cell_height or cell
    head_h = 24
    legend_h = 22 * (1 + len(legend)) + 8
    grid_w = cell * len(column_labels)
    width = width or int(label_w + grid_w + 12)
    height = head_h + cell_h * len(row_labels) + legend_h
    canvas = _Canvas(width, height, rtl)
    top = max([v or 0 for row in values for v in row] or [0])
    for c, label in enumerate(column_labels):
        canvas.text(label_w + c * cell + cell / 2, head_h - 8, _fit(label, cell, 11), anchor="middle", size=11,
                    weight="bold", title=label)
    for r, label in enumerate(row_labels):
        y = head_h + r * cell_h
        canvas.text(label_w - 6, y + cell_h / 2 + 4, _fit(label, label_w - 10, 11), anchor="end", size=11, title=label)
        for c, col in enumerate(column_labels):
            v = values[r][c]
            level = 0 if not v else 1 + min(int((v / top) * (len(HEAT_SCALE) - 2) + 0.5), len(HEAT_SCALE) - 2)
            fill = HEAT_SCALE[level] if v is not None else "#ffffff"
            tip = f"{label} × {col}: {format_number(v)}"
            mark = marks.get((r, c), "")
            if mark:
                tip = f"{tip} ({dict(legend).get(mark, mark)})"
            canvas.rect(label_w + c * cell, y, cell, cell_h, fill, stroke="#ffffff", title=tip, href=links.get((r, c), ""))
            ink = "#ffffff" if level >= 4 else INK
            if v is not None:  # zeros are printed too: an empty cell must not speak by colour alone
                canvas.text(label_w + c * cell + cell / 2, y + cell_h / 2 + 4, format_number(v), anchor="middle",
                            size=10 if v < 1000 else 8, fill=ink if v else MUTED)
            if mark:
                canvas.text(label_w + c * cell + cell - 3, y + 10, mark, anchor="end", size=9, fill=ink,
                            weight="bold")
    y = head_h + cell_h * len(row_labels) + 16
    for i in range(1, len(HEAT_SCALE)):
        canvas.rect(8 + (i - 1) * 18, y - 10, 18, 12, HEAT_SCALE[i], stroke=GRID)
    canvas.text(8 + (len(HEAT_SCALE) - 1) * 18 + 6, y, gettext("fewer → more initiatives"), anchor="start", size=11)
    for symbol, meaning in legend:
        y += 20
        canvas.text(8, y, f"{symbol}  {meaning}", anchor="start", size=11)
    if not description:
        description = gettext(
            "Heat map of %(rows)d rows by %(cols)d columns; darker cells hold more. Every cell shows its number "
            "and the data table gives every value."
        ) % {"rows": len(row_labels), "cols": len(column_labels)}
    columns = [label_header or "", *column_labels]
    rows = [[label, *values[r]] for r, label in enumerate(row_labels)]
    return Chart(id=prefix, title=str(title), description=description,
                 svg=_svg(canvas, prefix, str(title), description), columns=columns, rows=rows, source=str(source),
                 notes=[f"{s} {m}" for s, m in legend])


DEFAULT_SOURCE = _("WSIS Stocktaking registry: published initiatives")
