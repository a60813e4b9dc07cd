"""Limits on uploaded XLSX and other ZIP files, checked before anything is parsed.

An XLSX workbook is a ZIP archive: a 300 KB upload can hold a 300 MB shared string that openpyxl
would read into memory in full. So every upload that may be a ZIP goes through
:func:`archive_check` first, which reads only the archive's directory and refuses it when

* the members' uncompressed sizes add up to more than ``UPLOAD_MAX_UNCOMPRESSED_BYTES``,
* one member larger than 1 MB expands more than ``UPLOAD_MAX_COMPRESSION_RATIO`` times, or
* it has more than ``UPLOAD_MAX_ARCHIVE_MEMBERS`` members.

The sizes in the directory are a true bound: Python's ``zipfile`` (which openpyxl reads through)
stops at the declared size and fails the CRC check of a member that holds more.

:func:`xlsx_rows` then reads the first sheet of a workbook as text rows, refusing a sheet that
declares or turns out to have more rows or columns than the caller allows. Every refusal is a
``ValidationError`` whose message names the limit.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

__all__ = ["archive_check", "is_zip", "xlsx_rows"]

RATIO_CHECKED_ABOVE = 1024 * 1024  # small members (styles, content types) may compress very well


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def is_zip(upload) -> bool:
    """True when the file starts like a ZIP archive (XLSX, DOCX, ODS, ZIP)."""
    position = upload.tell()
    try:
        upload.seek(0)
        return upload.read(4) == b"PK\x03\x04"
    finally:
        upload.seek(position)


def archive_check(upload) -> None:
    """Refuse a ZIP (or XLSX) upload that would expand beyond the limits, from its directory alone."""
    max_total = _limit("UPLOAD_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024)
    max_ratio = _limit("UPLOAD_MAX_COMPRESSION_RATIO", 100)
    max_members = _limit("UPLOAD_MAX_ARCHIVE_MEMBERS", 1000)
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(_("The file is not a readable XLSX workbook or ZIP archive."), code="invalid") from exc
    finally:
        upload.seek(0)
    if len(members) > max_members:
        raise ValidationError(
            _("The archive holds more than %(max)d files, the most an upload may hold.") % {"max": max_members},
            code="too_many_members")
    total = sum(member.file_size for member in members)
    if total > max_total:
        raise ValidationError(
            _("Unpacked, the file would take %(size)s; an upload may unpack to at most %(max)s.")
            % {"size": filesizeformat(total), "max": filesizeformat(max_total)}, code="too_large_unpacked")
    for member in members:
        if member.file_size > RATIO_CHECKED_ABOVE and member.file_size > max_ratio * max(member.compress_size, 1):
            raise ValidationError(
                _("A part of the file (%(name)s) expands more than %(max)d times when unpacked, the most an "
                  "upload may.") % {"name": member.filename[:100], "max": max_ratio}, code="compression_ratio")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def xlsx_rows(upload, *, max_rows: int, max_columns: int) -> Iterator[list[str]]:
    """Text of every row (the header included) of the first sheet, after :func:`archive_check`.

    Refuses (``ValidationError``) a sheet whose declared dimensions, or actual rows, exceed
    ``max_rows`` rows (empty rows count: they cost time too) or ``max_columns`` columns.
    """
    from openpyxl import load_workbook  # heavy: imported only when a workbook is read

    archive_check(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise ValidationError(_("The file is not a readable XLSX workbook."), code="invalid") from exc

    def too_many_rows():
        return ValidationError(_("The sheet has more than %(max)d rows, the most an upload may have; split it.")
                               % {"max": max_rows}, code="too_many_rows")

    def too_many_columns():
        return ValidationError(_("The sheet has more than %(max)d columns, the most an upload may have.")
                               % {"max": max_columns}, code="too_many_columns")

    # The declared size (<dimension>) may be missing or lie; it is checked first, then every row.
    if (sheet.max_row or 0) > max_rows:
        raise too_many_rows()
    if (sheet.max_column or 0) > max_columns:
        raise too_many_columns()
    # openpyxl stops reading at the declared last row: a dimension smaller than the data would drop rows
    # silently. Read every row instead, counting them against the limits as they come.
    sheet.reset_dimensions()

    def rows() -> Iterator[list[str]]:
        for count, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if count > max_rows:
                raise too_many_rows()
            if len(row) > max_columns:
                raise too_many_columns()
            yield [_text(v) for v in row]
        workbook.close()

    return rows()
