"""Import (all or nothing, errors by row and column) and export (streamed, formula injection neutralised)."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from wsis.stocktaking.imports import COLUMNS, EXAMPLE_ROW
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative, member

pytestmark = pytest.mark.django_db
State = Initiative.State
HEADER = [c.name for c in COLUMNS]


def row(**changes):
    values = dict(EXAMPLE_ROW, **changes)
    return [values[c] for c in HEADER]


def csv_upload(rows, name="initiatives.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("initiatives.xlsx", buffer.getvalue())


def body(response) -> bytes:
    if isinstance(response, StreamingHttpResponse | FileResponse):
        return b"".join(response.streaming_content)
    return response.content


class TestImport:
    def setup_user(self, client):
        user = member()
        client.force_login(user)
        return user, user.memberships.get().organisation

    def test_valid_csv_imports_every_row_into_moderation(self, client):
        user, org = self.setup_user(client)
        upload = csv_upload([row(title="First school network"), row(title="Second clinic network")])
        response = client.post(reverse("stocktaking:import"), {"organisation": org.pk, "file": upload})
        assert response.status_code == 302
        imported = Initiative.objects.filter(organisation=org)
        assert imported.count() == 2
        assert set(imported.values_list("state", flat=True)) == {State.SUBMITTED}
        first = imported.get(title="First school network")
        assert sorted(first.target_tags.values_list("target__code", flat=True)) == ["4.a", "9.c"]

    def test_one_bad_row_imports_nothing_and_names_row_and_column(self, client):
        user, org = self.setup_user(client)
        upload = csv_upload([row(title="Good one"), row(title="Good two"), row(title="Bad", countries="KEN;XXZ")])
        response = client.post(reverse("stocktaking:import"), {"organisation": org.pk, "file": upload})
        assert response.status_code == 400
        assert "Row 4, column &#x27;countries&#x27;: unknown ISO3 code &#x27;XXZ&#x27;" in response.content.decode()
        assert not Initiative.objects.filter(organisation=org).exists()

    def test_xlsx_with_missing_required_value_reports_it(self, client):
        user, org = self.setup_user(client)
        upload = xlsx_upload([row(primary_action_line=""), row(start_date="2024-13-45")])
        response = client.post(reverse("stocktaking:import"), {"organisation": org.pk, "file": upload})
        html = response.content.decode()
        assert response.status_code == 400
        assert "Row 2, column &#x27;primary_action_line&#x27;" in html
        assert "Row 3, column &#x27;start_date&#x27;" in html
        assert not Initiative.objects.filter(organisation=org).exists()

    def test_unknown_column_or_wrong_file_type_is_refused(self, client):
        user, org = self.setup_user(client)
        bad = SimpleUploadedFile("x.csv", b"title,colour\nA,red\n")
        response = client.post(reverse("stocktaking:import"), {"organisation": org.pk, "file": bad})
        assert response.status_code == 400 and "colour" in response.content.decode()
        response = client.post(reverse("stocktaking:import"),
                                {"organisation": org.pk, "file": SimpleUploadedFile("x.pdf", b"%PDF")})
        assert response.status_code == 400

    def test_cannot_import_into_another_organisation(self, client):
        user, org = self.setup_user(client)
        other = member().memberships.get().organisation
        response = client.post(reverse("stocktaking:import"), {"organisation": other.pk, "file": csv_upload([row()])})
        assert response.status_code == 400
        assert not Initiative.objects.filter(organisation=other).exists()

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_templates_download_with_every_column(self, client, fmt):
        response = client.get(reverse("stocktaking:import-template", args=[fmt]))
        content = body(response)
        if fmt == "csv":
            header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        else:
            header = [c.value for c in next(load_workbook(io.BytesIO(content)).active.iter_rows())]
        assert header == HEADER


class TestExport:
    def test_csv_is_streamed_and_formulas_are_neutralised(self, client):
        make_initiative(state=State.PUBLISHED, title="=HYPERLINK(\"http://evil\")", summary="+1 trick",
                        partners="@SUM(A1)\n-2")
        make_initiative(state=State.SUBMITTED, title="Not public")
        response = client.get(reverse("stocktaking:export", args=["csv"]))
        assert isinstance(response, StreamingHttpResponse)
        rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
        assert len(rows) == 1
        assert rows[0]["title"] == "'=HYPERLINK(\"http://evil\")"
        assert rows[0]["summary"] == "'+1 trick"
        assert rows[0]["partners"].startswith("'@SUM")

    def test_xlsx_neutralises_formulas_and_honours_filters(self, client):
        make_initiative(state=State.PUBLISHED, title="=1+1")
        make_initiative(state=State.PUBLISHED, title="Elsewhere", countries=[], coverage="global")
        response = client.get(reverse("stocktaking:export", args=["xlsx"]), {"country": "KEN"})
        assert isinstance(response, FileResponse)
        sheet = load_workbook(io.BytesIO(body(response))).active
        values = [[c.value for c in r] for r in sheet.iter_rows()]
        title_col = values[0].index("title")
        assert [r[title_col] for r in values[1:]] == ["'=1+1"]

    def test_json_export_is_streamed_valid_json(self, client):
        make_initiative(state=State.PUBLISHED, title="JSON entry")
        response = client.get(reverse("stocktaking:export", args=["json"]), {"q": "json"})
        assert isinstance(response, StreamingHttpResponse)
        data = json.loads(body(response))
        assert [d["title"] for d in data] == ["JSON entry"]
        assert data[0]["primary_action_line"] == "C4"

    def test_unknown_format_is_404(self, client):
        assert client.get(reverse("stocktaking:export", args=["pdf"])).status_code == 404
