"""Downloads: search results as CSV, XLSX or JSON, and the import templates.

Exports stream: rows are read with ``iterator(chunk_size=…)`` (prefetching tags per chunk) so a
million-row export never holds all rows in memory. CSV and JSON are written as the response is
sent; CSV and XLSX are written by :mod:`wsis.core.downloads` (byte-order mark, formula
neutralisation, streaming, safe file name).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from wsis.core.downloads import XLSX_CONTENT_TYPE, csv_lines, csv_response, neutralise, xlsx_response
from wsis.taxonomy.models import Country

from .models import InitiativeActionLine, InitiativeGoal, InitiativeTarget

__all__ = ["EXPORT_COLUMNS", "export_csv", "export_xlsx", "export_json", "template_csv",
           "template_xlsx", "export_rows", "export_write"]

CHUNK = 2000
EXPORT_COLUMNS = ["id", "url", "title", "summary", "description", "organisation", "stakeholder_type", "language",
                  "kind", "status", "start_date", "end_date", "year", "coverage", "countries", "primary_action_line",
                  "action_lines", "goals", "targets", "target_groups", "gender_marker", "partners", "website",
                  "published_at", "last_reviewed_at"]


def _iso(value) -> str:
    return value.isoformat() if value else ""


def export_rows(qs: QuerySet) -> Iterator[dict]:
    """One plain dict per initiative, read in chunks with the tags prefetched per chunk."""
    qs = qs.defer("search_vector", "facet_tokens").select_related("organisation__stakeholder_type").prefetch_related(
        Prefetch("countries", queryset=Country.objects.only("id", "iso3")),
        # Only the codes: a full ActionLine row carries the Plan of Action in six languages, once per tag.
        Prefetch("action_line_tags", queryset=InitiativeActionLine.objects.select_related("action_line")
                 .only("id", "initiative_id", "is_primary", "action_line__id", "action_line__code")),
        Prefetch("goal_tags", queryset=InitiativeGoal.objects.select_related("goal")
                 .only("id", "initiative_id", "goal__id", "goal__number")),
        Prefetch("target_tags", queryset=InitiativeTarget.objects.select_related("target")
                 .only("id", "initiative_id", "target__id", "target__code")),
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


def _filename(ext: str) -> str:
    return f"wsis-initiatives-{timezone.now():%Y%m%d-%H%M}.{ext}"


def export_csv(qs: QuerySet) -> StreamingHttpResponse:
    rows = ([row[c] for c in EXPORT_COLUMNS] for row in export_rows(qs))
    return csv_response(_filename("csv"), EXPORT_COLUMNS, rows)


def _json_stream(qs: QuerySet) -> Iterator[str]:
    yield "["
    first = True
    for row in export_rows(qs):
        yield ("" if first else ",") + "\n" + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]\n"


def export_json(qs: QuerySet) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_json_stream(qs), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, _filename("json"))
    return response


def export_xlsx(qs: QuerySet) -> FileResponse:
    rows = ([row[c] for c in EXPORT_COLUMNS] for row in export_rows(qs))
    return xlsx_response(_filename("xlsx"), EXPORT_COLUMNS, rows, sheet="initiatives")


def _counted(rows: Iterator[dict], progress, every: int) -> Iterator[dict]:
    n = 0
    for n, row in enumerate(rows, start=1):  # noqa: B007 - n is read after the loop
        if progress and n % every == 0:
            progress(n)
        yield row
    if progress:
        progress(n)


def export_write(qs: QuerySet, fmt: str, handle, *, progress=None, every: int = CHUNK) -> int:
    """Write the export of ``qs`` in ``fmt`` to the binary file ``handle``; returns the number of rows.

    The same rows, columns and neutralisation as the streamed downloads; ``progress(n)`` is called
    every ``every`` rows and once at the end with the total. Used by the background export jobs.
    """
    counter = {"rows": 0}

    def report(n):
        counter["rows"] = n
        if progress:
            progress(n)

    rows = _counted(export_rows(qs), report, every)
    if fmt == "csv":
        for line in csv_lines(EXPORT_COLUMNS, ([row[c] for c in EXPORT_COLUMNS] for row in rows)):
            handle.write(line.encode("utf-8"))
    elif fmt == "json":
        handle.write(b"[")
        first = True
        for row in rows:
            handle.write((("" if first else ",") + "\n" + json.dumps(row, ensure_ascii=False)).encode("utf-8"))
            first = False
        handle.write(b"\n]\n")
    elif fmt == "xlsx":
        from openpyxl import Workbook  # heavy; only XLSX jobs need it

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("initiatives")
        sheet.append(list(EXPORT_COLUMNS))
        for row in rows:
            sheet.append([neutralise(row[c]) for c in EXPORT_COLUMNS])
        workbook.save(handle)
    else:
        raise ValueError(f"Unknown export format {fmt!r}")
    return counter["rows"]


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8",
                 "xlsx": XLSX_CONTENT_TYPE}


def _template_rows():
    from .imports import COLUMNS, EXAMPLE_ROW

    return [c.name for c in COLUMNS], [[EXAMPLE_ROW.get(c.name, "") for c in COLUMNS]]


def template_csv() -> StreamingHttpResponse:
    header, rows = _template_rows()
    return csv_response("wsis-initiatives-template.csv", header, rows)


def template_xlsx() -> FileResponse:
    header, rows = _template_rows()
    return xlsx_response("wsis-initiatives-template.xlsx", header, rows, sheet="initiatives")
