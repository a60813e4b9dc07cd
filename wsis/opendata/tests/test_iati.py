"""IATI 2.03: the export validates against the schema, a file round-trips, hostile files are refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wsis.opendata import iati
from wsis.opendata.selectors import iati_initiatives
from wsis.opendata.services import iati_import
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.snapshots import data_from_initiative
from wsis.stocktaking.tests.factories import make_initiative, member
from wsis.taxonomy.models import ActionLine, Country, Goal, Target

pytestmark = pytest.mark.django_db
State = Initiative.State


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def user():
    return member()


@pytest.fixture
def published(user):
    organisation = user.memberships.first().organisation
    organisation.iati_identifier = "XM-DAC-41114"
    organisation.save()
    return [
        make_initiative(state=State.PUBLISHED, user=user, organisation=organisation),
        make_initiative(
            state=State.PUBLISHED, user=user, organisation=organisation, title="Ciberseguridad & <escuelas>",
            summary="Formación en seguridad digital.", description="Talleres \"prácticos\" en 3 países.",
            language="es", kind="capacity_building", status="completed", coverage="regional",
            start_date=__import__("datetime").date(2020, 3, 1), end_date=__import__("datetime").date(2023, 6, 30),
            countries=[Country.objects.get(iso3="ARG"), Country.objects.get(iso3="CHL")],
            primary_action_line=ActionLine.objects.get(code="C5"), action_lines=[ActionLine.objects.get(code="C4")],
            goals=[Goal.objects.get(number=4), Goal.objects.get(number=16)],
            targets=[Target.objects.get(code="4.4"), Target.objects.get(code="16.10")],
            target_groups=["youth", "women_girls"], gender_marker=2, partners="Universidad de Chile\nITU",
            website="https://example.org/ciber"),
    ]


def _export(client, **params) -> bytes:
    response = client.get(reverse("opendata:iati-export"), params)
    assert response.status_code == 200
    return body(response)


def test_export_validates_against_the_iati_203_schema(client, published):
    xml = _export(client)
    assert iati.xsd_errors(xml) == []
    text = xml.decode()
    assert 'vocabulary="2" code="16"' in text and 'vocabulary="3" code="16.10"' in text
    assert f'vocabulary="99" vocabulary-uri="{iati.action_line_vocabulary_uri()}" code="C5"' in text
    assert '<policy-marker vocabulary="1" code="1" significance="2"/>' in text
    assert "<iati-identifier>XM-DAC-41114-WSIS-" in text
    assert "Ciberseguridad &amp; &lt;escuelas&gt;" in text
    assert '<recipient-country code="AR"/>' in text


def test_export_takes_the_search_filters(client, published):
    text = _export(client, country="ARG").decode()
    assert text.count("<iati-activity ") == 1


def test_export_over_the_cap_points_to_the_bulk_downloads(client, published, settings):
    settings.EXPORT_DIRECT_MAX_ROWS = 1
    response = client.get(reverse("opendata:iati-export"))
    assert response.status_code == 200 and not response.streaming
    assert reverse("opendata:downloads").encode() in response.content


FIELDS = ("title", "summary", "description", "language", "kind", "status", "start_date", "end_date", "coverage",
          "gender_marker", "partners", "website")


def _content(initiative):
    data = data_from_initiative(initiative)
    return ({f: getattr(data, f) for f in FIELDS},
            sorted(c.iso3 for c in data.countries), data.primary_action_line.code,
            sorted(a.code for a in data.action_lines), sorted(g.number for g in data.goals),
            sorted(t.code for t in data.targets), sorted(data.target_groups))


def test_round_trip_into_an_empty_registry(client, published, user):
    xml = "".join(iati.activities_xml(iati_initiatives())).encode()
    before = sorted((_content(i) for i in Initiative.objects.all()), key=lambda c: c[0]["title"])
    organisation = user.memberships.first().organisation
    Initiative.objects.all().delete()
    report, created = iati_import(user=user, organisation=organisation, data=xml)
    assert report.errors == []
    assert len(created) == 2
    assert all(i.state == State.DRAFT for i in created)
    assert sorted((_content(i) for i in Initiative.objects.all()), key=lambda c: c[0]["title"]) == before


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&lol3;</iati-identifier></iati-activity></iati-activities>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&xxe;</iati-identifier></iati-activity></iati-activities>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE, b"<iati-activities><unclosed></iati-activities>"],
                         ids=["entity-expansion", "external-entity", "malformed"])
def test_hostile_files_are_refused_with_a_message_and_nothing_written(client, user, payload):
    client.force_login(user)
    organisation = user.memberships.first().organisation
    before = Initiative.objects.count()
    response = client.post(reverse("opendata:iati-import"), {
        "organisation": organisation.pk, "file": SimpleUploadedFile("a.xml", payload, content_type="text/xml")})
    assert response.status_code == 400
    assert b"nothing was imported" in response.content or b"not well-formed" in response.content
    assert Initiative.objects.count() == before


def test_errors_per_activity_and_all_or_nothing(client, published, user):
    xml = "".join(iati.activities_xml(iati_initiatives()))
    xml = xml.replace('vocabulary="3" code="16.10"', 'vocabulary="3" code="99.9"')
    before = Initiative.objects.count()
    client.force_login(user)
    response = client.post(reverse("opendata:iati-import"), {
        "organisation": user.memberships.first().organisation.pk,
        "file": SimpleUploadedFile("a.xml", xml.encode(), content_type="text/xml")})
    assert response.status_code == 400
    assert "unknown SDG target &#x27;99.9&#x27;" in response.content.decode()
    assert "-WSIS-" in response.content.decode()  # the activity is named by its identifier
    assert Initiative.objects.count() == before


def test_a_file_that_is_not_iati_is_refused(client, user):
    with pytest.raises(iati.IatiFileError):
        iati.activities_parse(b"<iati-activities version='2.03'><nope/></iati-activities>")


def test_a_valid_import_creates_drafts_and_redirects(client, published, user):
    xml = "".join(iati.activities_xml(iati_initiatives())).encode()
    client.force_login(user)
    response = client.post(reverse("opendata:iati-import"), {
        "organisation": user.memberships.first().organisation.pk,
        "file": SimpleUploadedFile("a.xml", xml, content_type="text/xml")})
    assert response.status_code == 302
    assert Initiative.objects.filter(state=State.DRAFT).count() == 2
