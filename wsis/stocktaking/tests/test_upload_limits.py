"""Finding 5 (issue 13): XLSX uploads are refused on their unpacked size and their rows and columns
before anything parses them. A 307 KB workbook holding one 300 MB shared string raised the server's
memory by 260 MB; now it is refused from the archive's directory alone."""

import io
import re
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from wsis.stocktaking.imports import MAX_COLUMNS, MAX_SHEET_ROWS
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import member
from wsis.stocktaking.tests.test_import_export import HEADER, row, xlsx_upload

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def workbook_bytes(fill=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(row())
    if fill:
        fill(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def with_member(data: bytes, name: str, write) -> bytes:
    """A copy of the XLSX ``data`` whose member ``name`` is written by ``write(file)`` (streamed)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info.filename))
        with target.open(name, "w", force_zip64=True) as member_file:
            write(member_file)
    return out.getvalue()


SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def shared_string_bomb(megabytes: int) -> bytes:
    """A workbook whose first cell (the "title" header) is one shared string of ``megabytes`` MB of
    one letter: the probe's file, small on the wire."""
    data = workbook_bytes()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" '
                                                      f'ContentType="{SST}"/></Types>'.encode())
            elif info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"</Relationships>", f'<Relationship Type="{SST_REL}" '
                                          f'Target="sharedStrings.xml" Id="rId99"/></Relationships>'.encode())
            elif info.filename == "xl/worksheets/sheet1.xml":
                content, n = re.subn(rb'<c r="A1" t="inlineStr"><is><t>title</t></is></c>',
                                     b'<c r="A1" t="s"><v>0</v></c>', content)
                assert n == 1
            target.writestr(info, content)
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')
            chunk = b"A" * MB
            for _ in range(megabytes):
                f.write(chunk)
            f.write(b"</t></si></sst>")
    return out.getvalue()


def post(client, content: bytes, name="initiatives.xlsx"):
    user = member()
    client.force_login(user)
    org = user.memberships.get().organisation
    response = client.post(reverse("stocktaking:import"),
                           {"organisation": org.pk, "file": SimpleUploadedFile(name, content)})
    return response, org


def test_a_workbook_with_a_100_mb_shared_string_is_refused_without_reading_it(client, monkeypatch):
    # The probe's file held 300 MB; 100 MB (twice the limit) shows the same and builds faster.
    bomb = shared_string_bomb(100)
    assert len(bomb) < 2 * MB  # small on the wire: the 10 MB cap on the upload does not catch it

    def no_parsing(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", no_parsing)
    tracemalloc.start()
    try:
        response, org = post(client, bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    html = response.content.decode()
    assert response.status_code == 400
    assert "Unpacked, the file would take 100.0\xa0MB; an upload may unpack to at most 50.0\xa0MB." in html
    assert peak < 30 * MB  # before the fix: more than 100 MB
    assert not Initiative.objects.filter(organisation=org).exists()


def test_one_part_that_expands_too_many_times_is_refused(client):
    bomb = shared_string_bomb(20)  # under the total, but 20 MB of one letter packs about 1000 times
    response, _org = post(client, bomb)
    assert response.status_code == 400
    assert re.search(r"A part of the file \(xl/sharedStrings.xml\) expands more than 100 times",
                     response.content.decode())


def test_a_sheet_declaring_too_many_rows_or_columns_is_refused(client):
    response, _org = post(client, workbook_bytes(lambda ws: ws.cell(row=MAX_SHEET_ROWS + 1, column=1, value="x")))
    assert response.status_code == 400
    assert f"The sheet has more than {MAX_SHEET_ROWS} rows" in response.content.decode()

    response, _org = post(client, workbook_bytes(lambda ws: ws.cell(row=2, column=MAX_COLUMNS + 1, value="x")))
    assert response.status_code == 400
    assert f"The sheet has more than {MAX_COLUMNS} columns" in response.content.decode()


def test_a_sheet_that_hides_its_rows_behind_a_small_dimension_is_refused_while_reading(client):
    def fill(ws):
        for n in range(3, MAX_SHEET_ROWS + 3):
            ws.cell(row=n, column=1, value=" ")

    data = workbook_bytes(fill)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    lying = re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:R2"/>', sheet)
    assert lying != sheet
    response, org = post(client, with_member(data, "xl/worksheets/sheet1.xml", lambda f: f.write(lying)))
    assert response.status_code == 400
    assert f"The sheet has more than {MAX_SHEET_ROWS} rows" in response.content.decode()
    assert not Initiative.objects.filter(organisation=org).exists()


def test_an_ordinary_workbook_still_imports(client):
    response, org = post(client, xlsx_upload([row(title="Within every limit")]).read())
    assert response.status_code == 302
    assert Initiative.objects.filter(organisation=org, title="Within every limit").exists()


def test_indicator_import_refuses_a_workbook_or_zip_before_reading_it():
    from wsis.indicators.forms import ImportForm

    form = ImportForm(data={"format": "owid"}, files={"file": SimpleUploadedFile("data.csv", shared_string_bomb(1))})
    assert not form.is_valid()
    assert form.errors["file"] == ["This is an XLSX workbook or a ZIP archive; upload the CSV file itself."]
