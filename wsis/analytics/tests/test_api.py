"""The analytics API: same filters and numbers as the pages, 400 naming a bad parameter."""

import pytest

pytestmark = pytest.mark.django_db


def test_matrix_api_with_combined_filters(client, dataset):
    data = client.get("/api/v1/analytics/matrix", {"region": "002", "ldc": "true", "stakeholder_type": "government",
                                                     "year_from": 2019, "year_to": 2021}).json()
    assert data["total"] == 1
    nonzero = {(c["action_line"], c["goal"]): c["count"] for c in data["cells"] if c["count"]}
    assert nonzero == {("C2", 9): 1}
    assert data["filters"]["ldc"] is True and data["filters"]["region"] == ["002"]  # ldc: a deprecated alias
    assert data["filters"]["group"] == ["ldc"]
    assert len(data["cells"]) == 18 * 17


def test_matrix_api_marks_gap_and_unlinked_cells(client, dataset):
    data = client.get("/api/v1/analytics/matrix").json()
    cells = {(c["action_line"], c["goal"]): c for c in data["cells"]}
    assert cells[("C1", 2)]["state"] == "unlinked" and cells[("C1", 5)]["state"] == "gap"
    assert data["total"] == 6


def test_gaps_api(client, dataset):
    data = client.get("/api/v1/analytics/gaps", {"region": "002"}).json()
    rows = {r["target"]: r for r in data["targets"]}
    assert data["countries"] == 54 and rows["9.c"]["count"] == 2 and rows["9.c"]["countries_reached"] == 3
    assert [a["area"] for a in rows["9.c"]["by_area"]][:1] == ["region:002"]
    bad = client.get("/api/v1/analytics/gaps", {"action_line": "C99"})
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["action_line"]


def test_trends_api(client, dataset):
    data = client.get("/api/v1/analytics/trends", {"year_from": 2015, "year_to": 2022}).json()
    c1 = next(s for s in data["by_action_line"] if s["code"] == "C1")
    assert dict(zip(data["years"], c1["values"], strict=True))[2020] == 1
    assert sum(data["totals"]) == 6


def test_country_profile_api(client, dataset):
    data = client.get("/api/v1/analytics/countries/ken/profile").json()
    assert data["country"] == "KEN" and data["total"] == 2
    assert {r["code"]: r["count"] for r in data["by_action_line"] if r["count"]} == {"C1": 2, "C2": 1, "C5": 1}
    assert data["partners"][0] == {"name": "ITU", "count": 1}
    assert client.get("/api/v1/analytics/countries/XXX/profile").status_code == 404


@pytest.mark.parametrize(("params", "field"), [
    ({"kind": "spaceship"}, "kind"),
    ({"year_from": 2022, "year_to": 2019}, "year_to"),
    ({"year_from": 1800}, "year_from"),
    ({"gender_marker": 7}, "gender_marker"),
    ({"year": "abc"}, "year"),
    ({"country": "XXX"}, "country"),
    ({"region": "a\x00b"}, "region"),
    ({"year_to": "9" * 40}, "year_to"),
])
def test_bad_filter_is_a_400_naming_the_parameter(client, db, params, field):
    response = client.get("/api/v1/analytics/matrix", params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field] and field in response.json()["detail"]
