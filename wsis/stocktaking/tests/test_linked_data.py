"""Linked identifiers: schema.org JSON-LD in initiative pages, SDG URIs and M49 in the API (issue 20)."""

import json
import re

import pytest
from django.urls import reverse

from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative

pytestmark = pytest.mark.django_db


def test_a_published_initiative_page_carries_schema_org_json_ld(client):
    initiative = make_initiative(state=Initiative.State.PUBLISHED, title="Skills </script><b>x</b>")
    html = client.get(reverse("stocktaking:detail", args=[initiative.pk])).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    assert len(blocks) == 1
    assert "</script><b>" not in blocks[0]  # escaped inside the data block
    data = json.loads(blocks[0])
    assert data["@type"] == "Project" and data["name"] == "Skills </script><b>x</b>"
    ids = {term.get("@id") for term in data["about"]}
    assert {"http://metadata.un.org/sdg/4", "http://metadata.un.org/sdg/4.4"} <= ids
    assert data["areaServed"][0]["identifier"] == "KEN"
    assert data["areaServed"][0]["sameAs"] == "http://unstats.un.org/unsd/methodology/m49/404"


def test_a_draft_page_has_no_json_ld(client):
    initiative = make_initiative(state=Initiative.State.DRAFT)
    client.force_login(initiative.created_by)
    assert b"application/ld+json" not in client.get(reverse("stocktaking:detail", args=[initiative.pk])).content


def test_the_api_gives_sdg_uris_and_m49(client):
    goal = client.get("/api/v1/sdgs/4").json()
    assert goal["uri"] == "http://metadata.un.org/sdg/4"
    assert {"code": "4.4", "uri": "http://metadata.un.org/sdg/4.4"}.items() <= next(
        t for t in goal["targets"] if t["code"] == "4.4").items()
    country = client.get("/api/v1/countries/KEN").json()
    assert country["m49"] == "404" and country["m49_uri"].endswith("/m49/404") and country["iso2"] == "KE"
