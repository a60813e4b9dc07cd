"""The one download helper: byte-order mark, formula neutralisation, Arabic, streaming, file names."""

import csv
import io
from decimal import Decimal

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from wsis.core.downloads import csv_response, csv_text, download_filename, neutralise, xlsx_response

ARABIC = "تقرير الاستعراض الإقليمي"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(("value", "expected"), [
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"), ("+1", "'+1"), ("-2", "'-2"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("=" + ARABIC, "'=" + ARABIC), ("plain", "plain"), ("a=b", "a=b"), ("", ""),
    (None, ""), (-3, -3), (2.5, 2.5), (Decimal("-1.5"), Decimal("-1.5")),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_neutralise_turns_lazy_text_into_text():
    assert neutralise(gettext_lazy("Source")) == "Source"


def test_csv_starts_with_the_byte_order_mark_and_arabic_round_trips():
    response = csv_response("report", ["name", "n"], [[ARABIC, 3], ["=HYPERLINK(\"http://x\")", -1]])
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = _body(response)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [["name", "n"], [ARABIC, "3"], ["'=HYPERLINK(\"http://x\")", "-1"]]


def test_csv_is_streamed_row_by_row():
    consumed = []

    def rows():
        for i in range(3):
            consumed.append(i)
            yield [i]

    response = csv_response("lazy", ["i"], rows())
    assert consumed == []  # nothing read before the response is sent
    chunks = iter(response.streaming_content)
    assert next(chunks) == "\ufeffi\r\n".encode()
    assert next(chunks) == b"0\r\n" and consumed == [0]
    assert list(chunks) == [b"1\r\n", b"2\r\n"]


@pytest.mark.parametrize(("name", "expected"), [
    ("report", 'attachment; filename="report.csv"'),
    ("report.csv", 'attachment; filename="report.csv"'),
    ('evil"\r\nSet-Cookie: x', 'attachment; filename="evil-set-cookie-x.csv"'),
    ("", 'attachment; filename="data.csv"'),
    ("تقرير", "attachment; filename*=utf-8''%D8%AA%D9%82%D8%B1%D9%8A%D8%B1.csv"),
])
def test_content_disposition_is_safe(name, expected):
    assert csv_response(name, ["a"], [])["Content-Disposition"] == expected


def test_download_filename_keeps_a_plain_name():
    assert download_filename("wsis-forum-2025-consultation.csv", "csv") == "wsis-forum-2025-consultation.csv"
    assert download_filename("../../etc/passwd", "csv") == "etcpasswd.csv"


def test_csv_text_is_the_whole_file():
    assert csv_text(["a"], [["=1"]]) == "\ufeffa\r\n'=1\r\n"


def test_xlsx_neutralises_formulas_keeps_numbers_and_arabic():
    response = xlsx_response("sheet", ["name", "n"], [["=1+1", 4], [ARABIC, None]], sheet="figures")
    assert isinstance(response, FileResponse)
    assert response["Content-Disposition"] == 'attachment; filename="sheet.xlsx"'
    workbook = load_workbook(io.BytesIO(_body(response)))
    assert workbook.sheetnames == ["figures"]
    values = [[c.value for c in row] for row in workbook.active.iter_rows()]
    assert values == [["name", "n"], ["'=1+1", 4], [ARABIC, None]]
