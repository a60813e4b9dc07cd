"""The /api/v1/initiatives endpoints: public search with cursor paging, member-only writes."""

import json

import pytest

from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative, member

pytestmark = pytest.mark.django_db
State = Initiative.State
API = "/api/v1/initiatives"


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def patch(client, path, body):
    return client.patch(path, json.dumps(body), content_type="application/json")


class TestRead:
    def test_list_shows_only_published_with_filters(self, client):
        make_initiative(state=State.PUBLISHED, title="Published Kenyan")
        make_initiative(state=State.SUBMITTED, title="Waiting")
        body = client.get(API).json()
        assert [i["title"] for i in body["items"]] == ["Published Kenyan"]
        assert body["items"][0]["primary_action_line"] == "C4"
        assert client.get(API, {"country": "NPL"}).json()["items"] == []
        assert len(client.get(API, {"country": "KEN", "goal": 4, "q": "kenyan"}).json()["items"]) == 1

    def test_cursor_pagination_walks_every_row_once(self, client):
        made = {make_initiative(state=State.PUBLISHED, title=f"Entry {n}").pk for n in range(5)}
        seen, cursor = [], None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            body = client.get(API, params).json()
            seen += [i["id"] for i in body["items"]]
            cursor = body["next_cursor"]
            if not cursor:
                break
        assert sorted(seen) == sorted(made) and len(seen) == 5

    def test_bad_cursor_is_a_400(self, client):
        assert client.get(API, {"cursor": "nonsense"}).status_code == 400

    def test_detail_hides_drafts_from_anonymous_and_other_organisations(self, client):
        draft = make_initiative()
        assert client.get(f"{API}/{draft.pk}").status_code == 404
        client.force_login(member())
        assert client.get(f"{API}/{draft.pk}").status_code == 404
        client.force_login(draft.created_by)
        assert client.get(f"{API}/{draft.pk}").json()["state"] == "draft"


class TestWrite:
    def test_anonymous_cannot_write(self, client):
        assert post(client, API, {"title": "x", "organisation": "x"}).status_code == 401

    def test_member_creates_patches_and_submits(self, client):
        user = member()
        org = user.memberships.get().organisation
        client.force_login(user)
        response = post(client, API, {"organisation": org.slug, "title": "Open data portal",
                                      "countries": ["KEN"], "primary_action_line": "C3"})
        assert response.status_code == 201, response.content
        pk = response.json()["id"]
        response = post(client, f"{API}/{pk}/submit", {})
        assert response.status_code == 422
        assert "summary" in response.json()["errors"]
        response = patch(client, f"{API}/{pk}", {"summary": "Opens government data.", "start_date": "2024-05-01",
                                                  "goals": [16], "matrix_targets": ["16.10"]})
        assert response.status_code == 200, response.content
        assert {"code": "16.10", "source": "matrix", "confirmed": False} in response.json()["targets"]
        response = post(client, f"{API}/{pk}/submit", {})
        assert response.status_code == 200
        assert response.json()["state"] == "submitted"

    def test_unknown_codes_are_reported_by_field(self, client):
        user = member()
        client.force_login(user)
        response = post(client, API, {"organisation": user.memberships.get().organisation.slug, "title": "x",
                                      "countries": ["XXZ"]})
        assert response.status_code == 422
        assert response.json()["errors"]["countries"] == ["Unknown code 'XXZ'."]

    def test_member_of_another_organisation_gets_403_or_404_on_every_write(self, client):
        published = make_initiative(state=State.PUBLISHED)
        draft = make_initiative()
        client.force_login(member())
        assert post(client, API, {"organisation": published.organisation.slug, "title": "x"}).status_code == 403
        assert patch(client, f"{API}/{published.pk}", {"title": "Hijack"}).status_code == 403
        assert post(client, f"{API}/{published.pk}/submit", {}).status_code in (403, 422)
        assert patch(client, f"{API}/{draft.pk}", {"title": "Hijack"}).status_code == 404
        assert post(client, f"{API}/{draft.pk}/submit", {}).status_code == 404
        published.refresh_from_db()
        assert published.title != "Hijack"

    def test_duplicate_title_is_a_409_until_confirmed(self, client):
        first = make_initiative(state=State.PUBLISHED, title="Rural broadband backbone")
        second = make_initiative(user=first.created_by, title="Rural Broadband Backbone")
        client.force_login(first.created_by)
        response = post(client, f"{API}/{second.pk}/submit", {})
        assert response.status_code == 409
        assert first.get_absolute_url() in response.json()["errors"]["duplicates"]
        assert post(client, f"{API}/{second.pk}/submit", {"confirm_distinct": True}).status_code == 200


def test_list_query_count_does_not_grow_with_the_page(client, django_assert_max_num_queries):
    for n in range(8):
        make_initiative(state=State.PUBLISHED, title=f"Entry {n}")
    with django_assert_max_num_queries(12):
        body = client.get(API, {"limit": 8}).json()
    assert len(body["items"]) == 8
