"""Finding 7 of the outside probe: input that used to answer 500 is refused, naming the field."""

import json

import pytest
from django.urls import reverse

from wsis.api.pagination import MAX_OFFSET
from wsis.stocktaking.imports import COLUMN_MAX_LENGTHS
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative, member
from wsis.stocktaking.tests.test_import_export import csv_upload, row

pytestmark = pytest.mark.django_db
State = Initiative.State
UNICODE_DIGITS = ["²", "٢٠٢٠", "２０２０", "¹⁰", "৪"]


@pytest.mark.parametrize("name", ["goal", "year", "gender_marker", "year_from", "year_to"])
def test_unicode_digits_in_integer_filters_are_refused_everywhere(client, name):
    make_initiative(state=State.PUBLISHED)
    for value in UNICODE_DIGITS:
        page = client.get(reverse("stocktaking:search"), {name: value})
        assert page.status_code == 200 and len(page.context["filter_errors"]) == 1
        for address in (reverse("stocktaking:export", args=["csv"]), reverse("stocktaking:export", args=["json"]),
                        reverse("stocktaking:feed")):
            response = client.get(address, {name: value})
            assert response.status_code == 400, address
            assert response.content.decode().startswith(f"{name}: ")
        response = client.get("/api/v1/initiatives", {name: value})
        assert response.status_code == 400 and list(response.json()["errors"]) == [name]


class TestImport:
    def _post(self, client, upload):
        user = member()
        client.force_login(user)
        org = user.memberships.get().organisation
        return client.post(reverse("stocktaking:import"), {"organisation": org.pk, "file": upload}), org

    def test_a_web_address_longer_than_its_column_names_row_and_column(self, client):
        limit = COLUMN_MAX_LENGTHS["website"]
        website = "https://example.org/" + "a" * limit  # a valid URL, longer than the column
        response, org = self._post(client, csv_upload([row(title="Fine"), row(title="Long", website=website)]))
        assert response.status_code == 400
        assert (f"Row 3, column &#x27;website&#x27;: longer than {limit} characters"
                in response.content.decode())
        assert not Initiative.objects.filter(organisation=org).exists()

    def test_nul_bytes_are_refused_naming_the_column(self, client):
        rows = [row(title="Fine"), row(title="Nul\x00title", partners="A\x00B")]
        response, org = self._post(client, csv_upload(rows))
        html = response.content.decode()
        assert response.status_code == 400
        assert "Row 3, column &#x27;title&#x27;: contains a NUL byte or another control character" in html
        assert "Row 3, column &#x27;partners&#x27;: contains a NUL byte" in html
        assert not Initiative.objects.filter(organisation=org).exists()

    def test_unicode_digits_in_goals_are_an_unknown_sdg(self, client):
        response, _org = self._post(client, csv_upload([row(goals="4;²")]))
        assert response.status_code == 400
        assert "Row 2, column &#x27;goals&#x27;: unknown SDG &#x27;²&#x27;" in response.content.decode()


class TestApiBodies:
    API = "/api/v1/initiatives"

    def test_nul_bytes_in_a_json_body_are_a_422_naming_the_field(self, client):
        user = member()
        org = user.memberships.get().organisation
        client.force_login(user)
        response = client.post(self.API, json.dumps({"organisation": org.slug, "title": "Open\x00data",
                                                     "countries": ["KEN", "K\x00N"]}),
                               content_type="application/json")
        assert response.status_code == 422
        assert response.json()["errors"] == {
            "body.title": ["Contains a control character (such as a NUL byte) or an unpaired surrogate."],
            "body.countries.1": ["Contains a control character (such as a NUL byte) or an unpaired surrogate."]}
        assert "body.title" in response.json()["detail"]
        assert not Initiative.objects.exists()

    def test_an_unpaired_surrogate_in_a_json_body_is_a_422(self, client):
        initiative = make_initiative()
        client.force_login(initiative.created_by)
        response = client.patch(f"{self.API}/{initiative.pk}", '{"summary": "broken \\ud800 text"}',
                                content_type="application/json")
        assert response.status_code == 422 and list(response.json()["errors"]) == ["body.summary"]

    @pytest.mark.parametrize(("path", "params"), [
        ("/api/v1/organisations", {"q": "a\x00b", "country": "K\x00N"}),
        ("/api/v1/reviews", {"commission": "x\x00"}),
        ("/api/v1/indicators/IT.NET.USER.ZS/observations", {"country": "\x00"}),
    ])
    def test_nul_bytes_in_any_query_parameter_are_a_400_naming_it(self, client, path, params):
        response = client.get(path, params)
        assert response.status_code == 400
        assert set(response.json()["errors"]) == set(params)

    def test_offset_just_past_the_bound_is_refused(self, client):
        assert client.get("/api/v1/organisations", {"offset": MAX_OFFSET}).status_code == 200
        assert client.get("/api/v1/organisations", {"offset": MAX_OFFSET + 1}).status_code == 422
