"""Downloads: search results as CSV, XLSX or JSON, and the import templates.

Exports stream: rows are read with ``iterator(chunk_size=…)`` (prefetching tags per chunk) so a
million-row export never holds all rows in memory. CSV and JSON are written as the response is
sent; XLSX goes through openpyxl's write-only mode into a temporary file, then a FileResponse.
Every text cell that a spreadsheet could read as a formula is neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from wsis.taxonomy.models import Country

from .models import InitiativeActionLine, InitiativeGoal, InitiativeTarget

__all__ = ["EXPORT_COLUMNS", "neutralise", "export_csv", "export_xlsx", "export_json", "template_csv",
           "template_xlsx", "export_rows"]

CHUNK = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS = ["id", "url", "title", "summary", "description", "organisation", "stakeholder_type", "language",
                  "kind", "status", "start_date", "end_date", "year", "coverage", "countries", "primary_action_line",
                  "action_lines", "goals", "targets", "target_groups", "gender_marker", "partners", "website",
                  "published_at", "last_reviewed_at"]


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _iso(value) -> str:
    return value.isoformat() if value else ""


def export_rows(qs: QuerySet) -> Iterator[dict]:
    """One plain dict per initiative, read in chunks with the tags prefetched per chunk."""
    qs = qs.defer("search_vector", "facet_tokens").select_related("organisation__stakeholder_type").prefetch_related(
        Prefetch("countries", queryset=Country.objects.only("id", "iso3")),
        Prefetch("action_line_tags", queryset=InitiativeActionLine.objects.select_related("action_line")),
        Prefetch("goal_tags", queryset=InitiativeGoal.objects.select_related("goal")),
        Prefetch("target_tags", queryset=InitiativeTarget.objects.select_related("target")),
        "target_group_tags",
    )
    for i in qs.iterator(chunk_size=CHUNK):
        als = list(i.action_line_tags.all())
        yield {
            "id": i.pk, "url": i.get_absolute_url(), "title": i.title, "summary": i.summary,
            "description": i.description, "organisation": i.organisation.name,
            "stakeholder_type": i.organisation.stakeholder_type.code, "language": i.language, "kind": i.kind,
            "status": i.status, "start_date": _iso(i.start_date), "end_date": _iso(i.end_date), "year": i.year or "",
            "coverage": i.coverage, "countries": ";".join(sorted(c.iso3 for c in i.countries.all())),
            "primary_action_line": next((t.action_line.code for t in als if t.is_primary), ""),
            "action_lines": ";".join(t.action_line.code for t in als if not t.is_primary),
            "goals": ";".join(str(n) for n in sorted(t.goal.number for t in i.goal_tags.all())),
            "targets": ";".join(sorted(t.target.code for t in i.target_tags.all())),
            "target_groups": ";".join(sorted(t.group for t in i.target_group_tags.all())),
            "gender_marker": i.gender_marker, "partners": ";".join(p.strip() for p in i.partners.splitlines()
                                                                     if p.strip()),
            "website": i.website, "published_at": _iso(i.published_at), "last_reviewed_at": _iso(i.last_reviewed_at),
        }


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


def _csv_stream(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheet programs read UTF-8
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([neutralise(v) for v in row])


def _filename(ext: str) -> str:
    return f"wsis-initiatives-{timezone.now():%Y%m%d-%H%M}.{ext}"


def export_csv(qs: QuerySet) -> StreamingHttpResponse:
    rows = ([row[c] for c in EXPORT_COLUMNS] for row in export_rows(qs))
    response = StreamingHttpResponse(_csv_stream(EXPORT_COLUMNS, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def _json_stream(qs: QuerySet) -> Iterator[str]:
    yield "["
    first = True
    for row in export_rows(qs):
        yield ("" if first else ",") + "\n" + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]\n"


def export_json(qs: QuerySet) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_json_stream(qs), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    return response


def _xlsx_response(header: list[str], rows: Iterable[list], filename: str) -> FileResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("initiatives")
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    # A temporary file (deleted when closed) keeps memory flat; FileResponse streams it in blocks.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def export_xlsx(qs: QuerySet) -> FileResponse:
    rows = ([row[c] for c in EXPORT_COLUMNS] for row in export_rows(qs))
    return _xlsx_response(EXPORT_COLUMNS, rows, _filename("xlsx"))


def _template_rows():
    from .imports import COLUMNS, EXAMPLE_ROW

    return [c.name for c in COLUMNS], [[EXAMPLE_ROW.get(c.name, "") for c in COLUMNS]]


def template_csv() -> StreamingHttpResponse:
    header, rows = _template_rows()
    response = StreamingHttpResponse(_csv_stream(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="wsis-initiatives-template.csv"'
    return response


def template_xlsx() -> FileResponse:
    header, rows = _template_rows()
    return _xlsx_response(header, rows, "wsis-initiatives-template.xlsx")
