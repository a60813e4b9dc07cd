"""Write one table to CSV (gzip), JSON Lines (gzip), XLSX and Parquet in a single pass over its rows.

Memory stays flat whatever the table's size: rows come from a generator, CSV and JSON Lines are
written line by line through ``gzip``, XLSX with XlsxWriter's constant-memory mode (a new sheet every
1,048,575 rows, Excel's limit), and Parquet with ``pyarrow.parquet.ParquetWriter`` in row groups of
``BATCH`` rows. XLSX and Parquet are compressed containers already (ZIP; zstd inside Parquet), so
they are not gzipped again.

CSV cells pass through ``wsis.core.downloads.neutralise`` (formula injection), with the UTF-8
byte-order mark that Excel needs; JSON Lines and Parquet keep the values as they are, typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import os
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from wsis.core.downloads import BOM, neutralise

from .tables import Table

__all__ = ["FORMATS", "FileFormat", "table_write", "XLSX_MAX_ROWS", "BATCH"]

BATCH = 5000
XLSX_MAX_ROWS = 1_048_575  # rows under the header


@dataclass(frozen=True)
class FileFormat:
    key: str
    label: str
    extension: str
    media_type: str
    compression: str = ""


FORMATS = (
    FileFormat("csv", "CSV", "csv.gz", "text/csv", "gzip"),
    FileFormat("jsonl", "JSON Lines", "jsonl.gz", "application/jsonl", "gzip"),
    FileFormat("xlsx", "XLSX", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    FileFormat("parquet", "Parquet", "parquet", "application/vnd.apache.parquet"),
)

ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
               "date": pa.date32(), "datetime": pa.timestamp("us", tz="UTC")}


def _typed(value, kind: str):
    """A value as its Table Schema type (for JSON Lines and Parquet); None stays None."""
    if value is None or value == "" and kind != "string":
        return None
    if kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if kind == "datetime" and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return bool(value)
    if kind == "string":
        return str(value)
    return value


def _text(value) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _json_default(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(type(value))


class _Xlsx:
    """XlsxWriter in constant-memory mode: each row is flushed to disk as it is written and strings are
    stored inline (openpyxl keeps every distinct string in memory for the shared-strings table)."""

    def __init__(self, path: str, table: Table):
        import xlsxwriter  # imported when a dump is built

        self.table = table
        self.workbook = xlsxwriter.Workbook(path, {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "remove_timezone": True, "tmpdir": os.path.dirname(path)})
        self.date_format = self.workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime_format = self.workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.sheets = 0
        self.row = XLSX_MAX_ROWS + 1  # start a sheet on the first row

    def _new_sheet(self):
        self.sheets += 1
        title = self.table.name[:28] if self.sheets == 1 else f"{self.table.name[:24]} ({self.sheets})"
        self.sheet = self.workbook.add_worksheet(title)
        self.sheet.write_row(0, 0, self.table.field_names)
        self.row = 1

    def append(self, values: list):
        if self.row > XLSX_MAX_ROWS:
            self._new_sheet()
        for column, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                self.sheet.write_datetime(self.row, column, _excel(value), self.datetime_format)
            elif isinstance(value, dt.date):
                self.sheet.write_datetime(self.row, column, value, self.date_format)
            elif isinstance(value, bool):
                self.sheet.write_boolean(self.row, column, value)
            elif isinstance(value, int | float):
                self.sheet.write_number(self.row, column, value)
            else:
                self.sheet.write_string(self.row, column, neutralise(value))
        self.row += 1

    def close(self):
        if self.sheets == 0:
            self._new_sheet()
        self.workbook.close()


def _excel(value):
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)  # Excel has no time zones: UTC
    return value


def table_write(table: Table, folder: str) -> tuple[int, dict[str, str]]:
    """Write ``table`` into ``folder`` in every format; returns (rows, {format key: file name})."""
    names = {f.key: f"{table.name}.{f.extension}" for f in FORMATS}
    paths = {k: os.path.join(folder, v) for k, v in names.items()}
    kinds = [f.type for f in table.fields]
    columns = table.field_names
    schema = pa.schema([pa.field(f.name, ARROW_TYPES[f.type]) for f in table.fields])

    csv_file = gzip.open(paths["csv"], "wt", encoding="utf-8", newline="", compresslevel=6)  # noqa: SIM115 - closed below
    jsonl_file = gzip.open(paths["jsonl"], "wt", encoding="utf-8", compresslevel=6)  # noqa: SIM115 - closed below
    xlsx = _Xlsx(paths["xlsx"], table)
    parquet = pq.ParquetWriter(paths["parquet"], schema, compression="zstd")
    writer = csv.writer(csv_file)
    csv_file.write(BOM)
    writer.writerow(columns)
    batch: list[list] = [[] for _ in columns]
    rows = 0

    def flush():
        if batch[0]:
            parquet.write_table(pa.Table.from_arrays([pa.array(col, type=schema.field(i).type)
                                                      for i, col in enumerate(batch)], schema=schema))
            for col in batch:
                col.clear()

    try:
        for row in table.rows():
            typed = [_typed(row.get(name), kind) for name, kind in zip(columns, kinds, strict=True)]
            writer.writerow([neutralise(_text(v)) for v in typed])
            jsonl_file.write(json.dumps(dict(zip(columns, typed, strict=True)), ensure_ascii=False,
                                        default=_json_default) + "\n")
            xlsx.append(typed)
            for i, value in enumerate(typed):
                batch[i].append(value)
            rows += 1
            if rows % BATCH == 0:
                flush()
        flush()
    finally:
        csv_file.close()
        jsonl_file.close()
        parquet.close()
    xlsx.close()
    return rows, names


def read_csv_gz(path: str) -> list[dict]:
    """Every row of a gzipped CSV written here (for tests and checks)."""
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(io.StringIO(handle.read())))
