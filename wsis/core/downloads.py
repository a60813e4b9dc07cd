"""Downloads of tables as CSV or XLSX: the one place that writes a spreadsheet for the user.

Every app builds its header and rows and hands them here; this module adds what each download
needs and nobody should have to remember:

* **A UTF-8 byte-order mark** at the start of every CSV, so that Excel reads Arabic, Chinese and
  Russian as text instead of mojibake.
* **Formula neutralisation** (OWASP "CSV injection"): a text cell starting with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows it
  instead of running it. Numbers are left alone (``-3`` stays a number).
* **Streaming**: :func:`csv_response` returns a ``StreamingHttpResponse`` that writes each row as
  it is sent, so a million-row export never sits in memory; rows may be any iterable (a generator
  over ``QuerySet.iterator()`` is the usual one). :func:`xlsx_response` writes with openpyxl's
  write-only mode into a temporary file and streams that file.
* **A safe file name**: ``Content-Disposition: attachment`` with an ASCII ``filename=`` and the
  exact name as RFC 5987 ``filename*=`` (Django's ``content_disposition_header``), so a name
  with quotes, line breaks or non-Latin letters cannot break the header.

Usage::

    from wsis.core.downloads import csv_response
    return csv_response("wsis-forum-2025-consultation.csv", ["table", "category", "count"], rows)

``None`` is written as an empty cell; lazy translations and other objects as ``str()``.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

__all__ = ["BOM", "FORMULA_PREFIXES", "XLSX_CONTENT_TYPE", "csv_lines", "csv_response", "csv_text", "download_filename",
           "neutralise", "xlsx_response"]

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PLAIN = (int, float, Decimal, date, datetime, bool)


def neutralise(value):
    """A cell value safe for a spreadsheet: text that could run as a formula gets a leading apostrophe.

    ``None`` becomes ``""``; numbers, dates and booleans are returned as they are; anything else
    (lazy translations included) becomes its text first.
    """
    if value is None:
        return ""
    if isinstance(value, _PLAIN):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose ``write`` returns the line, so ``csv.writer`` can feed a generator."""

    def write(self, value):
        return value


def csv_lines(header: Sequence, rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text line by line: the byte-order mark, the header, then each neutralised row."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([neutralise(h) for h in header])
    for row in rows:
        yield writer.writerow([neutralise(v) for v in row])


def csv_text(header: Sequence, rows: Iterable[Sequence]) -> str:
    """The whole CSV as one string (byte-order mark included), for small tables such as a chart's."""
    return "".join(csv_lines(header, rows))


def download_filename(name: str, extension: str) -> str:
    """``name`` with ``extension``; an empty or unsafe name falls back to a slug (or ``data``)."""
    name = (name or "").strip()
    suffix = f".{extension}"
    if name.endswith(suffix):
        name = name[: -len(suffix)]
    if not name or any(c in name for c in '/\\\r\n"') or name.startswith("."):
        name = slugify(name) or "data"
    return f"{name}{suffix}"


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """Stream ``header`` and ``rows`` as a CSV attachment named ``filename`` (``.csv`` is added if missing)."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, download_filename(filename, "csv"))
    return response


def xlsx_response(filename: str, header: Sequence, rows: Iterable[Sequence], *, sheet: str = "data") -> FileResponse:
    """Write ``header`` and ``rows`` to a one-sheet XLSX workbook and stream it as an attachment.

    openpyxl's write-only mode keeps one row in memory at a time; the workbook goes to a temporary
    file (deleted when the response closes it) that ``FileResponse`` sends in blocks.
    """
    from openpyxl import Workbook  # a heavy import, needed only when someone downloads XLSX

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.append([neutralise(h) for h in header])
    for row in rows:
        worksheet.append([neutralise(v) for v in row])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=download_filename(filename, "xlsx"),
                        content_type=XLSX_CONTENT_TYPE)
