"""The Atom feed of initiatives takes the search page's filters (issue 20) and keeps them in its own
links: rel="self" (what a feed reader stores) and rel="alternate" (the search page listing the same)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from wsis.stocktaking.models import Initiative
from wsis.taxonomy.models import ActionLine, Country

from .factories import make_initiative

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, params=None):
    response = client.get(reverse("stocktaking:feed"), params or {})
    assert response.status_code == 200, response.content
    return ET.fromstring(response.content)


def links(root) -> dict[str, str]:
    return {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}


def test_filtered_feed_lists_the_matching_initiatives_and_keeps_its_filters_in_its_links(client):
    kenya = make_initiative(state=Initiative.State.PUBLISHED, title="Kenya schools broadband",
                            countries=[Country.objects.get(iso3="KEN")],
                            primary_action_line=ActionLine.objects.get(code="C2"))
    make_initiative(state=Initiative.State.PUBLISHED, title="Nepal telemedicine",
                    countries=[Country.objects.get(iso3="NPL")], primary_action_line=ActionLine.objects.get(code="C7.4"))
    root = feed(client, {"country": "KEN", "action_line": "C2"})
    assert [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")] == [kenya.title]
    found = links(root)
    self_url, alternate = urlsplit(found["self"]), urlsplit(found["alternate"])
    assert self_url.path == reverse("stocktaking:feed") and alternate.path == reverse("stocktaking:search")
    for url in (self_url, alternate):
        assert parse_qs(url.query) == {"country": ["KEN"], "action_line": ["C2"]}
    # The self link, followed, gives the same feed.
    again = client.get(f"{self_url.path}?{self_url.query}")
    assert [e.find(f"{ATOM}title").text for e in ET.fromstring(again.content).findall(f"{ATOM}entry")] == [kenya.title]


def test_unfiltered_feed_links_carry_no_query(client):
    make_initiative(state=Initiative.State.PUBLISHED)
    found = links(feed(client))
    assert urlsplit(found["self"]).query == "" and urlsplit(found["alternate"]).query == ""
    assert urlsplit(found["alternate"]).path == reverse("stocktaking:search")
