import pytest

from wsis.taxonomy import models

pytestmark = pytest.mark.django_db


def test_action_lines(client):
    data = client.get("/api/v1/action-lines").json()
    assert len(data) == 18
    c1 = next(a for a in data if a["code"] == "C1")
    assert {"agency": "UNDESA", "role": "lead"} in c1["facilitators"]


def test_goal_with_targets(client):
    data = client.get("/api/v1/sdgs/17").json()
    assert data["number"] == 17 and len(data["targets"]) == 19


def test_matrix(client):
    data = client.get("/api/v1/matrix").json()
    assert data["version"] == "2019"
    assert len(data["links"]) == models.MatrixLink.objects.count()


def test_countries_filter_and_detail(client):
    data = client.get("/api/v1/countries", {"commission": "ECLAC", "sids": True}).json()
    assert "JAM" in {c["iso3"] for c in data}
    fra = client.get("/api/v1/countries/fra").json()
    assert sorted(fra["commissions"]) == ["ECE", "ECLAC", "ESCAP"]
    assert client.get("/api/v1/countries/XXX").status_code == 404


def test_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/matrix" in schema["paths"]
