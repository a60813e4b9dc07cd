"""Bulk downloads: every table in four formats, descriptors that validate, checksums, stable URLs, DCAT."""

import base64
import gzip
import hashlib
import io
import json
import os
import tempfile

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from rdflib import Graph
from rdflib.namespace import DCAT, RDF

from wsis.accounts.tests.factories import UserFactory, grant_role
from wsis.core.permissions import Role
from wsis.indicators.tests.factories import internet_indicator, observe
from wsis.opendata.models import Dump
from wsis.opendata.services import dump_build, dump_request
from wsis.opendata.tables import TABLES
from wsis.opendata.writers import read_csv_gz
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative

pytestmark = pytest.mark.django_db
State = Initiative.State


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def data():
    published = [make_initiative(state=State.PUBLISHED, title=f"Open entry {n}") for n in range(3)]
    make_initiative(state=State.PUBLISHED, title="=cmd|' /C calc'!A0")
    make_initiative(state=State.SUBMITTED, title="Not yet public")
    indicator = internet_indicator()
    observe(indicator, "KEN", 2022, 29.5)
    observe(indicator, "FRA", 2022, 85.3)
    return published


@pytest.fixture
def dump(data):
    dump = dump_request(actor=None, trigger=Dump.Trigger.NIGHTLY, enqueue=False)
    dump = dump_build(dump_id=dump.pk)
    assert dump.state == Dump.State.DONE, dump.error
    return dump


def _download(client, name) -> tuple[bytes, object]:
    response = client.get(reverse("opendata:latest", args=[name]))
    assert response.status_code == 200, name
    return body(response), response


def test_every_table_in_every_format_with_the_same_rows(client, dump):
    entries = {e["name"]: e for e in dump.files}
    for table in TABLES:
        csv_bytes, response = _download(client, f"{table.name}.csv.gz")
        assert int(response["Content-Length"]) == len(csv_bytes) == entries[f"{table.name}.csv.gz"]["size"]
        assert response["Access-Control-Allow-Origin"] == "*"
        csv_rows = list(__import__("csv").DictReader(io.StringIO(gzip.decompress(csv_bytes).decode("utf-8-sig"))))
        jsonl = [json.loads(line) for line in gzip.decompress(_download(client, f"{table.name}.jsonl.gz")[0])
                 .decode().splitlines()]
        parquet = pq.read_table(io.BytesIO(_download(client, f"{table.name}.parquet")[0]))
        sheet = load_workbook(io.BytesIO(_download(client, f"{table.name}.xlsx")[0]), read_only=True).worksheets[0]
        xlsx_rows = list(sheet.iter_rows(values_only=True))
        expected = entries[f"{table.name}.csv.gz"]["rows"]
        assert len(csv_rows) == len(jsonl) == parquet.num_rows == len(xlsx_rows) - 1 == expected, table.name
        assert list(xlsx_rows[0]) == table.field_names
        assert parquet.schema.names == table.field_names
    titles = [r["title"] for r in read_csv_gz_bytes(_download(client, "initiatives.csv.gz")[0])]
    assert sorted(titles) == sorted([f"Open entry {n}" for n in range(3)] + ["'=cmd|' /C calc'!A0"])
    assert "Not yet public" not in titles
    observations = [json.loads(line) for line in
                    gzip.decompress(_download(client, "indicator_observations.jsonl.gz")[0]).decode().splitlines()]
    assert {(o["country"], o["value"]) for o in observations} == {("KEN", 29.5), ("FRA", 85.3)}
    tags = read_csv_gz_bytes(_download(client, "initiative_tags.csv.gz")[0])
    assert {"vocabulary": "sdg_target", "code": "4.4", "uri": "http://metadata.un.org/sdg/4.4"}.items() <= next(
        t for t in tags if t["vocabulary"] == "sdg_target").items()


def read_csv_gz_bytes(content: bytes) -> list[dict]:
    with tempfile.NamedTemporaryFile(suffix=".csv.gz", delete=False) as handle:
        handle.write(content)
    try:
        return read_csv_gz(handle.name)
    finally:
        os.unlink(handle.name)


def test_checksums_validators_and_stable_urls(client, dump):
    entry = next(e for e in dump.files if e["name"] == "organisations.parquet")
    content, response = _download(client, "organisations.parquet")
    assert hashlib.sha256(content).hexdigest() == entry["sha256"]
    assert response["Repr-Digest"] == f"sha-256=:{base64.b64encode(hashlib.sha256(content).digest()).decode()}:"
    assert response["ETag"] == f'"{entry["sha256"]}"'
    again = client.get(reverse("opendata:latest", args=["organisations.parquet"]), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get(reverse("opendata:dump-file", args=[dump.pk, "organisations.parquet"])).status_code == 200
    assert client.get(reverse("opendata:latest", args=["nothing.csv"])).status_code == 404
    # A newer build takes over the "latest" URLs.
    newer = dump_build(dump_id=dump_request(actor=None, enqueue=False).pk)
    page = client.get(reverse("opendata:downloads"))
    assert page.status_code == 200
    newer_entry = next(e for e in newer.files if e["name"] == "initiatives.csv.gz")
    assert newer_entry["sha256"].encode() in page.content
    api = client.get("/api/v1/opendata/downloads").json()
    assert api["id"] == newer.pk
    assert {f["name"] for f in api["files"]} >= {"datapackage.json", "initiatives.parquet"}


def test_datapackage_validates_with_frictionless(client, dump, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    for entry in dump.files:
        if entry["format"] == "csv" or entry["name"] == "datapackage.json":
            (tmp_path / entry["name"]).write_bytes(_download(client, entry["name"])[0])
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert {r["name"] for r in descriptor["resources"]} == {t.name.replace("_", "-") for t in TABLES}
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])
    dictionary = _download(client, "data-dictionary.csv")[0].decode()
    assert "initiatives,gender_marker,integer," in dictionary


def test_dcat_catalogue_parses_as_rdf(client, dump):
    for fmt, parser in (("jsonld", "json-ld"), ("ttl", "turtle")):
        response = client.get(reverse("opendata:catalogue", args=[fmt]))
        assert response.status_code == 200
        graph = Graph().parse(data=response.content.decode(), format=parser)
        catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
        assert len(catalogues) == 1
        datasets = list(graph.objects(catalogues[0], DCAT.dataset))
        assert len(datasets) == len(TABLES)
        urls = {str(u) for u in graph.objects(None, DCAT.downloadURL)}
        assert any(u.endswith("/data/latest/initiatives.parquet") for u in urls)


def test_nightly_command_and_on_demand_rebuild(client, data, django_capture_on_commit_callbacks):
    call_command("opendata_dump", "--now", stdout=io.StringIO())
    assert Dump.objects.get().state == Dump.State.DONE
    user = UserFactory()
    client.force_login(user)
    assert client.post(reverse("opendata:rebuild")).status_code == 403
    grant_role(user, Role.SECRETARIAT)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("opendata:rebuild")).status_code == 302
    assert Dump.objects.filter(state=Dump.State.DONE, trigger=Dump.Trigger.ON_DEMAND).count() == 1
