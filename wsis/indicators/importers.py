"""Readers for the indicator file formats, and the validation every row goes through before a write.

Five layouts are read:

``owid``
    Our World in Data grapher CSV: ``Entity, Code, Year`` then one or more value columns. The
    delimiter is detected (the 2024 Internet-use export is semicolon-separated, with CRLF endings);
    a header that repeats ``Year`` over rows one field shorter (an OWID export quirk) is accepted.
``wdi``
    World Bank WDI bulk CSV: preamble lines (``"Data Source","World Development Indicators"``,
    ``"Last Updated Date",…``), then ``Country Name, Country Code, Indicator Name, Indicator Code``
    and one column per year (wide).
``itu``
    ITU DataHub CSV (long): ``entityName, entityIso, dataYear, dataValue`` and optionally
    ``seriesCode``, ``seriesName``, ``dataNote``, ``dataSource``, ``sex``, ``area``/``urbanisation``,
    ``age``. Column names are matched case-insensitively.
``tidy``
    A long file ``iso3,year,value`` (one row per country-year, as in ``data/wdi-2025/``); a whole
    file may be one disaggregation (``sex: female``), given by the caller.
``sdmx``
    SDMX-CSV: ``DATAFLOW`` (or ``STRUCTURE_ID``), ``REF_AREA`` (ISO3 or M49), ``TIME_PERIOD``,
    ``OBS_VALUE`` and optionally ``SERIES``/``INDICATOR``, ``SEX`` (_T/F/M), ``URBANISATION``
    (_T/U/R), ``AGE`` (_T, Y15T24…), ``COMMENT_OBS``/``NOTE``, ``SOURCE_DETAIL``.

Every reader yields :class:`RawRow` objects that remember their line and columns;
:func:`validate_rows` then checks them all — numbers, years, ranges, duplicates and entities — and
returns an :class:`ImportPlan` holding either the rows to write or every error, so that the service
writes all or nothing.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .entities import EntityResolver, Resolved
from .models import TOTAL, Area, Indicator, Sex

__all__ = [
    "FORMATS",
    "ImportFileError",
    "ImportPlan",
    "RawRow",
    "RowError",
    "ValidRow",
    "read_rows",
    "select_series",
    "validate_rows",
]

FORMATS = ("owid", "wdi", "itu", "sdmx", "tidy")
MISSING = {"", "..", "na", "n/a", "nan", "null", "-"}
MIN_YEAR, MAX_YEAR = 1900, 2100


class ImportFileError(Exception):
    """The file cannot be read at all (not CSV, not UTF-8, required columns missing)."""


@dataclass
class RawRow:
    """One value read from a file, before validation, with where it came from."""

    line: int
    entity: str
    code: str
    entity_column: str
    year: str
    year_column: str
    value: str
    value_column: str
    sex: str = TOTAL
    area: str = TOTAL
    age: str = TOTAL
    note: str = ""
    source: str = ""
    series: str = ""


@dataclass(frozen=True)
class RowError:
    """A problem with one cell: the file line, the column, the value and what is wrong."""

    line: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"row {self.line}, column '{self.column}', value '{self.value}': {self.message}"


@dataclass
class ValidRow:
    """A validated observation ready to write."""

    line: int
    resolved: Resolved
    year: int
    value: float
    sex: str
    area: str
    age: str
    note: str
    source: str

    def key(self) -> tuple:
        where = ("c", self.resolved.country.pk) if self.resolved.country else ("g", self.resolved.group_code)
        return (*where, self.year, self.sex, self.area, self.age)


@dataclass
class ImportPlan:
    """The outcome of validation: rows to write, every error, and what was skipped and why."""

    rows: list[ValidRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: list[RowError] = field(default_factory=list)
    missing_values: int = 0
    other_series: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def country_rows(self) -> int:
        return sum(1 for r in self.rows if r.resolved.kind == "country")

    @property
    def aggregate_rows(self) -> int:
        return sum(1 for r in self.rows if r.resolved.kind == "aggregate")


# --------------------------------------------------------------------------------------------- reading

def _decode(data: bytes | str | Path) -> str:
    if isinstance(data, Path):
        data = data.read_bytes()
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"The file is not UTF-8 text (byte {exc.start}).") from exc


def _detect_delimiter(header_line: str) -> str:
    """The delimiter of a CSV header line: the most frequent of comma, semicolon and tab."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_rows(text: str, *, skip_lines: int = 0) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    lines = text.splitlines()
    if len(lines) <= skip_lines:
        raise ImportFileError("The file is empty.")
    delimiter = _detect_delimiter(lines[skip_lines])
    reader = csv.reader(io.StringIO("\n".join(lines[skip_lines:])), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise ImportFileError("The file is empty.") from exc

    def body():
        for offset, row in enumerate(reader, start=skip_lines + 2):
            if any(cell.strip() for cell in row):
                yield offset, row
    return header, body()


def _column_index(header: list[str], *names: str) -> int | None:
    lowered = [h.casefold() for h in header]
    for name in names:
        if name.casefold() in lowered:
            return lowered.index(name.casefold())
    return None


def _require(header: list[str], label: str, *names: str) -> int:
    index = _column_index(header, *names)
    if index is None:
        raise ImportFileError(f"Column '{label}' is missing (looked for: {', '.join(names)}); "
                              f"the header is: {', '.join(header)}.")
    return index


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def read_owid(text: str, *, columns: dict[str, dict] | None = None) -> Iterator[RawRow]:
    header, body = _csv_rows(text)
    entity_i = _require(header, "Entity", "Entity")
    code_i = _require(header, "Code", "Code")
    year_i = _require(header, "Year", "Year")
    rows = list(body)
    # OWID quirk: "Entity,Code,Year,Year,Value" over rows of four fields. Drop the repeated name
    # only when every row is exactly one field short, so a genuinely broken row is still reported.
    repeated = [i for i, h in enumerate(header) if i > year_i and h.casefold() == "year"]
    if repeated and rows and all(len(r) == len(header) - 1 for _, r in rows):
        header = header[: repeated[0]] + header[repeated[0] + 1:]
    value_columns = [i for i in range(len(header)) if i not in (entity_i, code_i, year_i)]
    if columns:
        chosen = []
        for name, dims in columns.items():
            index = _column_index(header, name)
            if index is None:
                raise ImportFileError(f"Value column '{name}' is not in the file; its columns are: "
                                      f"{', '.join(header)}.")
            chosen.append((index, dims or {}))
    elif len(value_columns) == 1:
        chosen = [(value_columns[0], {})]
    else:
        raise ImportFileError(
            "The file has several value columns (" + ", ".join(header[i] for i in value_columns)
            + "); name the one to import with --column."
        )
    for line, row in rows:
        if len(row) != len(header):
            yield RawRow(line, _cell(row, entity_i), _cell(row, code_i), header[entity_i], "", header[year_i],
                         f"\x00{len(header)}:{len(row)}", "")
            continue
        for index, dims in chosen:
            yield RawRow(
                line=line, entity=_cell(row, entity_i), code=_cell(row, code_i), entity_column=header[entity_i],
                year=_cell(row, year_i), year_column=header[year_i], value=_cell(row, index),
                value_column=header[index], sex=dims.get("sex", TOTAL), area=dims.get("area", TOTAL),
                age=dims.get("age", TOTAL),
            )


def select_series(rows: list[RawRow], *, indicator_code: str, series: str = "") -> tuple[list[RawRow], int]:
    """Keep the rows of one series when a file holds several (WDI bulk files, ITU and SDMX extracts).

    The series is ``series`` if given, else the indicator's own code if the file has it, else the
    file's only series. Returns the rows kept and how many rows of other series were left out.
    """
    codes = {r.series for r in rows if r.series}
    wanted = series or (indicator_code if indicator_code.casefold() in {c.casefold() for c in codes} else "")
    if not wanted:
        if len(codes) > 1:
            raise ImportFileError("The file holds several series (" + ", ".join(sorted(codes))
                                  + "); name the one to import with --series.")
        return rows, 0
    kept = [r for r in rows if not r.series or r.series.casefold() == wanted.casefold()]
    if not kept:
        raise ImportFileError(f"The file has no rows of series {wanted}; its series are: "
                              + (", ".join(sorted(codes)) or "none") + ".")
    return kept, len(rows) - len(kept)


def read_wdi(text: str) -> Iterator[RawRow]:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines[:12]) if line.lstrip('"').startswith("Country Name")), None)
    if start is None:
        raise ImportFileError("No 'Country Name' header in the first 12 lines: not a World Bank WDI CSV.")
    header, body = _csv_rows(text, skip_lines=start)
    name_i = _require(header, "Country Name", "Country Name")
    code_i = _require(header, "Country Code", "Country Code")
    series_i = _column_index(header, "Indicator Code")
    years = [(i, h) for i, h in enumerate(header) if re.fullmatch(r"\d{4}", h)]
    if not years:
        raise ImportFileError("No year columns (1960, 1961…) in the WDI header.")
    for line, row in body:
        for index, year in years:
            yield RawRow(line, _cell(row, name_i), _cell(row, code_i), header[code_i], year, year,
                         _cell(row, index), year, series=_cell(row, series_i))


SEX_CODES = {"_t": Sex.TOTAL, "t": Sex.TOTAL, "total": Sex.TOTAL, "both sexes": Sex.TOTAL, "f": Sex.FEMALE,
             "female": Sex.FEMALE, "females": Sex.FEMALE, "m": Sex.MALE, "male": Sex.MALE, "males": Sex.MALE}
AREA_CODES = {"_t": Area.TOTAL, "t": Area.TOTAL, "total": Area.TOTAL, "allarea": Area.TOTAL, "u": Area.URBAN,
              "urban": Area.URBAN, "r": Area.RURAL, "rural": Area.RURAL}


def _age(code: str) -> str:
    """SDMX age codes (``_T``, ``Y15T24``, ``Y_GE75``) as plain bands (``total``, ``15-24``, ``75+``)."""
    code = code.strip()
    if not code or code.casefold() in {"_t", "total", "all ages"}:
        return TOTAL
    m = re.fullmatch(r"Y(\d+)T(\d+)", code, re.IGNORECASE)
    if m:
        return f"{int(m.group(1))}-{int(m.group(2))}"
    m = re.fullmatch(r"Y_?GE(\d+)", code, re.IGNORECASE)
    if m:
        return f"{int(m.group(1))}+"
    return code[:20]


def _long_rows(header, body, *, entity_i, code_i, year_i, value_i, series_i, sex_i, area_i, age_i, note_i,
               source_i) -> Iterator[RawRow]:
    for line, row in body:
        sex_raw, area_raw = _cell(row, sex_i), _cell(row, area_i)
        yield RawRow(
            line=line, entity=_cell(row, entity_i), code=_cell(row, code_i),
            entity_column=header[code_i if code_i is not None else entity_i],
            year=_cell(row, year_i), year_column=header[year_i], value=_cell(row, value_i),
            value_column=header[value_i],
            sex=SEX_CODES.get(sex_raw.casefold(), f"\x00{sex_raw}") if sex_raw else TOTAL,
            area=AREA_CODES.get(area_raw.casefold(), f"\x00{area_raw}") if area_raw else TOTAL,
            age=_age(_cell(row, age_i)), note=_cell(row, note_i), source=_cell(row, source_i),
            series=_cell(row, series_i),
        )


def read_itu(text: str) -> Iterator[RawRow]:
    header, body = _csv_rows(text)
    entity_i = _require(header, "entityName", "entityName", "Economy", "Country")
    code_i = _column_index(header, "entityIso", "Economy ISO code", "ISO3", "ISO code")
    return _long_rows(
        header, body, entity_i=entity_i, code_i=code_i,
        year_i=_require(header, "dataYear", "dataYear", "Year"),
        value_i=_require(header, "dataValue", "dataValue", "Value"),
        series_i=_column_index(header, "seriesCode"), sex_i=_column_index(header, "sex", "seriesSex"),
        area_i=_column_index(header, "area", "urbanisation", "seriesArea"),
        age_i=_column_index(header, "age", "seriesAge"), note_i=_column_index(header, "dataNote", "note"),
        source_i=_column_index(header, "dataSource", "source"),
    )


def read_sdmx(text: str) -> Iterator[RawRow]:
    header, body = _csv_rows(text)
    _require(header, "DATAFLOW", "DATAFLOW", "STRUCTURE_ID")
    area_i = _require(header, "REF_AREA", "REF_AREA")
    return _long_rows(
        header, body, entity_i=area_i, code_i=area_i,
        year_i=_require(header, "TIME_PERIOD", "TIME_PERIOD"),
        value_i=_require(header, "OBS_VALUE", "OBS_VALUE"),
        series_i=_column_index(header, "SERIES", "INDICATOR"), sex_i=_column_index(header, "SEX"),
        area_i=_column_index(header, "URBANISATION", "URBANIZATION"), age_i=_column_index(header, "AGE"),
        note_i=_column_index(header, "COMMENT_OBS", "NOTE", "OBS_COMMENT"),
        source_i=_column_index(header, "SOURCE_DETAIL", "SOURCE"),
    )


def read_tidy(text: str, *, dims: dict | None = None) -> Iterator[RawRow]:
    """``iso3,year,value`` rows; ``dims`` (``{"sex": "female"}``) applies to every row of the file."""
    header, body = _csv_rows(text)
    code_i = _require(header, "iso3", "iso3", "code")
    year_i = _require(header, "year", "year")
    value_i = _require(header, "value", "value")
    dims = dims or {}
    for line, row in body:
        yield RawRow(line=line, entity="", code=_cell(row, code_i), entity_column=header[code_i],
                     year=_cell(row, year_i), year_column=header[year_i], value=_cell(row, value_i),
                     value_column=header[value_i], sex=dims.get("sex", TOTAL), area=dims.get("area", TOTAL),
                     age=dims.get("age", TOTAL))


def read_rows(data: bytes | str | Path, fmt: str, *, columns: dict[str, dict] | None = None,
              dims: dict | None = None) -> list[RawRow]:
    """Read every value of a file in format ``fmt``; raises :class:`ImportFileError` if unreadable."""
    text = _decode(data)
    if fmt == "tidy":
        return list(read_tidy(text, dims=dims))
    if fmt == "owid":
        return list(read_owid(text, columns=columns))
    if fmt == "wdi":
        return list(read_wdi(text))
    if fmt == "itu":
        return list(read_itu(text))
    if fmt == "sdmx":
        return list(read_sdmx(text))
    raise ImportFileError(f"Unknown format '{fmt}': use one of {', '.join(FORMATS)}.")


# ------------------------------------------------------------------------------------------ validation

def _year(raw: str) -> int | None:
    m = re.fullmatch(r"(\d{4})(?:-.*)?", raw.strip())
    if not m:
        return None
    year = int(m.group(1))
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _skip(plan: ImportPlan, entry: RowError) -> None:
    """List a skipped row once, however many value columns it has."""
    if entry not in plan.skipped[-1:]:
        plan.skipped.append(entry)


def validate_rows(raw_rows: Iterable[RawRow], *, indicator: Indicator, resolver: EntityResolver | None = None,
                  skip_unknown: bool = False, exclude_lines: dict[int, str] | None = None) -> ImportPlan:
    """Check every row; collect all errors rather than stopping at the first.

    ``exclude_lines`` (line → reason) leaves out lines known to be wrong in a shipped source file;
    each is listed in ``skipped`` with its reason.
    """
    exclude_lines = exclude_lines or {}
    resolver = resolver or EntityResolver()
    plan = ImportPlan()
    cache: dict[tuple[str, str], Resolved] = {}
    seen: dict[tuple, int] = {}
    for raw in raw_rows:
        if raw.line in exclude_lines:
            _skip(plan, RowError(raw.line, raw.entity_column, raw.code or raw.entity, exclude_lines[raw.line]))
            continue
        if raw.value_column.startswith("\x00"):
            expected, found = raw.value_column[1:].split(":")
            plan.errors.append(RowError(raw.line, raw.entity_column, raw.entity,
                                        f"expected {expected} fields, found {found}"))
            continue
        if raw.value.strip().casefold() in MISSING:
            plan.missing_values += 1
            continue
        errors_before = len(plan.errors)
        resolved = cache.get((raw.entity, raw.code))
        if resolved is None:
            resolved = cache[(raw.entity, raw.code)] = resolver.resolve(raw.entity, raw.code)
        shown = raw.code or raw.entity
        if resolved.kind == "excluded":
            _skip(plan, RowError(raw.line, raw.entity_column, shown, str(resolved.reason)))
            continue
        if resolved.kind == "unknown":
            problem = RowError(raw.line, raw.entity_column, shown,
                               "unknown country or area (no UN M49 code, ISO code, name or alias matches)")
            if skip_unknown:
                _skip(plan, problem)
            elif problem not in plan.errors[-1:]:  # one error per row, however many value columns it has
                plan.errors.append(problem)
            continue
        year = _year(raw.year)
        if year is None:
            plan.errors.append(RowError(raw.line, raw.year_column, raw.year,
                                        f"not a year between {MIN_YEAR} and {MAX_YEAR}"))
        try:
            value = float(raw.value.replace("\u00a0", "").replace(" ", ""))
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            value = None
            plan.errors.append(RowError(raw.line, raw.value_column, raw.value, "not a number"))
        if value is not None:
            if value < 0:
                plan.errors.append(RowError(raw.line, raw.value_column, raw.value, "negative value"))
            elif indicator.unit == Indicator.Unit.PERCENT and value > 100:
                plan.errors.append(RowError(raw.line, raw.value_column, raw.value,
                                            "a percentage of the population cannot exceed 100"))
        for dim, label in ((raw.sex, "SEX"), (raw.area, "URBANISATION")):
            if dim.startswith("\x00"):
                plan.errors.append(RowError(raw.line, label, dim[1:], "unknown disaggregation code"))
        if len(plan.errors) > errors_before:
            continue
        row = ValidRow(raw.line, resolved, year, value, raw.sex, raw.area, raw.age, raw.note, raw.source[:300])
        key = row.key()
        if key in seen:
            plan.errors.append(RowError(raw.line, raw.year_column, raw.year,
                                        f"duplicate of row {seen[key]} (same place, year and disaggregation)"))
            continue
        seen[key] = raw.line
        plan.rows.append(row)
    return plan
