"""Bulk import of initiatives from the CSV or XLSX template: validate every row, then all or nothing.

Errors name the row (as the spreadsheet numbers it: the header is row 1) and the column, e.g.
``Row 4, column 'countries': unknown ISO3 code 'XXZ'``. Imported entries go to moderation.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wsis.core.uploads import xlsx_rows
from wsis.taxonomy.models import ActionLine, Country, Goal, Target

from .models import Initiative, TargetGroup
from .services import initiative_completeness_errors, initiative_import
from .snapshots import InitiativeData

__all__ = ["COLUMNS", "COLUMN_MAX_LENGTHS", "has_forbidden_characters", "EXAMPLE_ROW", "ImportFileError", "ImportReport", "RowError", "parse_upload", "validate_rows",
           "initiative_import", "MAX_ROWS"]

MAX_ROWS = 5000
# A workbook's sheet may hold some empty rows and spare columns, not a million: refused before parsing.
MAX_SHEET_ROWS = 2 * MAX_ROWS
MAX_COLUMNS = 100


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    required: bool = False


COLUMNS = [
    Column("title", gettext_lazy("Title (required)."), True),
    Column("summary", gettext_lazy("One or two sentences (required)."), True),
    Column("description", gettext_lazy("Longer description.")),
    Column("language", gettext_lazy("Language of the entry: ar, en, es, fr, ru or zh-hans.")),
    Column("kind", gettext_lazy("project, programme, policy, capacity_building, event, platform, toolkit or study.")),
    Column("status", gettext_lazy("planned, ongoing or completed.")),
    Column("start_date", gettext_lazy("YYYY-MM-DD (required)."), True),
    Column("end_date", gettext_lazy("YYYY-MM-DD.")),
    Column("coverage", gettext_lazy("national, regional or global.")),
    Column("countries", gettext_lazy("ISO3 codes separated by semicolons (e.g. KEN;UGA).")),
    Column("primary_action_line", gettext_lazy("One action-line code, e.g. C3 or C7.4 (required)."), True),
    Column("action_lines", gettext_lazy("Further action-line codes separated by semicolons.")),
    Column("goals", gettext_lazy("SDG numbers separated by semicolons (e.g. 4;5).")),
    Column("targets", gettext_lazy("SDG target codes separated by semicolons (e.g. 4.4;5.b).")),
    Column("target_groups", gettext_lazy("women_girls, youth, older_persons, disabilities, indigenous, rural, "
                                         "ldc_lldc_sids, separated by semicolons.")),
    Column("gender_marker", gettext_lazy("0, 1 or 2.")),
    Column("partners", gettext_lazy("Partner organisations separated by semicolons.")),
    Column("website", gettext_lazy("https://…")),
]
COLUMN_NAMES = [c.name for c in COLUMNS]
# Columns stored in a field of limited length (title 255, website 200, …): a longer value is a row error,
# not a database error at import time (a web address may pass the URL check and still be too long).
COLUMN_MAX_LENGTHS = {
    name: Initiative._meta.get_field(name).max_length for name in COLUMN_NAMES
    if name in {f.name for f in Initiative._meta.concrete_fields} and Initiative._meta.get_field(name).max_length
}


def has_forbidden_characters(value: str) -> bool:
    """A NUL byte, another control character (tab and line breaks aside) or an unpaired surrogate."""
    return any((ord(c) < 32 and c not in "\t\n\r") or 0xD800 <= ord(c) <= 0xDFFF for c in value)
EXAMPLE_ROW = {
    "title": "Community networks for rural schools", "summary": "Connects 120 rural schools through community "
    "networks run by local cooperatives.", "description": "", "language": "en", "kind": "project",
    "status": "ongoing", "start_date": "2024-03-01", "end_date": "", "coverage": "national", "countries": "KEN",
    "primary_action_line": "C2", "action_lines": "C4", "goals": "4;9", "targets": "4.a;9.c",
    "target_groups": "rural;youth", "gender_marker": "1", "partners": "Ministry of Education;Rural Co-op Union",
    "website": "https://example.org",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format, no header, too many rows)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, column '%(column)s': %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    rows: list[tuple[int, InitiativeData]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_upload(upload) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for every non-empty data row of a CSV or XLSX upload."""
    name = upload.name.lower()
    if name.endswith(".xlsx"):
        # The archive's unpacked size and the sheet's rows and columns are checked before any cell is read.
        try:
            raw = xlsx_rows(upload, max_rows=MAX_SHEET_ROWS, max_columns=MAX_COLUMNS)
        except ValidationError as exc:
            raise ImportFileError(exc.messages[0]) from exc
    else:
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError(_("The CSV file must be encoded as UTF-8.")) from exc
        raw = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(raw)]
    except StopIteration as exc:
        raise ImportFileError(_("The file is empty.")) from exc
    except ValidationError as exc:  # a sheet longer or wider than it declared
        raise ImportFileError(exc.messages[0]) from exc
    unknown = [h for h in header if h and h not in COLUMN_NAMES]
    if unknown:
        raise ImportFileError(_("Unknown column(s): %(columns)s. Use the template.") % {"columns": ", ".join(unknown)})
    missing = [c.name for c in COLUMNS if c.required and c.name not in header]
    if missing:
        raise ImportFileError(_("Missing column(s): %(columns)s. Use the template.") % {"columns": ", ".join(missing)})
    rows = []
    try:
        for number, values in enumerate(raw, start=2):
            if not any(str(v).strip() for v in values):
                continue
            rows.append((number, {h: str(v).strip() for h, v in zip(header, values, strict=False) if h}))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
    except ValidationError as exc:
        raise ImportFileError(exc.messages[0]) from exc
    if not rows:
        raise ImportFileError(_("The file has no data rows."))
    return rows


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]


class _Reference:
    """Reference codes loaded once per import (a handful of queries, whatever the number of rows)."""

    def __init__(self):
        self.countries = {c.iso3: c for c in Country.objects.all()}
        self.action_lines = {a.code: a for a in ActionLine.objects.filter(is_leaf=True)}
        self.goals = {g.number: g for g in Goal.objects.all()}
        self.targets = {t.code.lower(): t for t in Target.objects.all()}


def _row_data(number: int, row: dict[str, str], ref: _Reference, errors: list[RowError]) -> InitiativeData:
    def error(column, message):
        errors.append(RowError(number, column, message))

    def choice(column, choices, default):
        value = row.get(column, "") or default
        if value not in choices:
            error(column, _("'%(value)s' is not one of %(choices)s") % {"value": value, "choices": ", ".join(choices)})
            return default
        return value

    def date(column):
        value = row.get(column, "")
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            error(column, _("'%(value)s' is not a date in the form YYYY-MM-DD") % {"value": value})
            return None

    row = dict(row)
    for column, value in row.items():
        if has_forbidden_characters(value):
            # PostgreSQL refuses NUL in text, and control characters have no place in an entry.
            error(column, _("contains a NUL byte or another control character"))
            row[column] = ""
        elif column in COLUMN_MAX_LENGTHS and len(value) > COLUMN_MAX_LENGTHS[column]:
            error(column, ngettext("longer than %(max)d character", "longer than %(max)d characters",
                                  COLUMN_MAX_LENGTHS[column]) % {"max": COLUMN_MAX_LENGTHS[column]})
            row[column] = ""
    data = InitiativeData(title=row.get("title", ""), summary=row.get("summary", ""),
                          description=row.get("description", ""), partners="\n".join(_split(row.get("partners", ""))))
    data.language = choice("language", [c for c, _n in Initiative._meta.get_field("language").choices], "en")
    data.kind = choice("kind", Initiative.Kind.values, Initiative.Kind.PROJECT)
    data.status = choice("status", Initiative.Status.values, Initiative.Status.ONGOING)
    data.coverage = choice("coverage", Initiative.Coverage.values, Initiative.Coverage.NATIONAL)
    marker = row.get("gender_marker", "") or "0"
    if marker not in ("0", "1", "2"):
        error("gender_marker", _("'%(value)s' is not 0, 1 or 2") % {"value": marker})
    else:
        data.gender_marker = int(marker)
    data.start_date, data.end_date = date("start_date"), date("end_date")
    for code in _split(row.get("countries", "")):
        country = ref.countries.get(code.upper())
        if country is None:
            error("countries", _("unknown ISO3 code '%(code)s'") % {"code": code})
        else:
            data.countries.append(country)
    primary = row.get("primary_action_line", "").upper()
    if primary:
        data.primary_action_line = ref.action_lines.get(primary)
        if data.primary_action_line is None:
            error("primary_action_line", _("unknown action line '%(code)s'") % {"code": primary})
    for code in _split(row.get("action_lines", "")):
        al = ref.action_lines.get(code.upper())
        if al is None:
            error("action_lines", _("unknown action line '%(code)s'") % {"code": code})
        else:
            data.action_lines.append(al)
    for code in _split(row.get("goals", "")):
        goal = ref.goals.get(int(code)) if code.isascii() and code.isdigit() and len(code) <= 3 else None
        if goal is None:
            error("goals", _("unknown SDG '%(code)s'") % {"code": code})
        else:
            data.goals.append(goal)
    for code in _split(row.get("targets", "")):
        target = ref.targets.get(code.lower())
        if target is None:
            error("targets", _("unknown SDG target '%(code)s'") % {"code": code})
        else:
            data.targets.append(target)
    for code in _split(row.get("target_groups", "")):
        if code not in TargetGroup.values:
            error("target_groups", _("unknown target group '%(code)s'") % {"code": code})
        else:
            data.target_groups.append(code)
    website = row.get("website", "")
    if website:
        try:
            URLValidator()(website)
            data.website = website
        except ValidationError:
            error("website", _("'%(value)s' is not a web address") % {"value": website})
    return data


def validate_rows(rows: list[tuple[int, dict[str, str]]]) -> ImportReport:
    """Check every row; the report lists each problem by row and column."""
    ref = _Reference()
    report = ImportReport()
    for number, row in rows:
        before = len(report.errors)
        data = _row_data(number, row, ref, report.errors)
        if len(report.errors) == before:
            for column, messages in initiative_completeness_errors(data).items():
                column = {"goals": "goals"}.get(column, column)
                for message in messages:
                    report.errors.append(RowError(number, column, str(message)))
        report.rows.append((number, data))
    return report
