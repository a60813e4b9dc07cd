"""The indicators API: catalogue, one indicator, observations with country, group, aggregate and year filters."""

import pytest

from wsis.indicators.services import observations_import
from wsis.indicators.tests.factories import DATA, internet_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    indicator = internet_indicator()
    observations_import(indicator=indicator, data=DATA / "wdi_good.csv", fmt="wdi")
    observations_import(indicator=indicator, data=DATA / "sdmx_good.csv", fmt="sdmx", series="IT_USE_ii99")
    return indicator


def test_catalogue_lists_indicators_with_coverage(client, loaded, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        data = client.get("/api/v1/indicators").json()
    item = next(i for i in data if i["code"] == "IT.NET.USER.ZS")
    assert item["country_count"] == 2 and item["first_year"] == 2020 and item["last_year"] == 2022
    assert item["licence"] == "CC BY 4.0" and item["unit"] == "percent"


def test_one_indicator_and_404(client, loaded):
    assert client.get("/api/v1/indicators/IT.NET.USER.ZS").json()["wsis_targets"] == []
    assert client.get("/api/v1/indicators/NOPE").status_code == 404


def test_observations_filtered_by_country_and_years(client, loaded):
    data = client.get("/api/v1/indicators/IT.NET.USER.ZS/observations",
                      {"country": "npl", "year_from": 2021, "year_to": 2021}).json()
    assert data["count"] == 1 and data["results"][0]["value"] == 51.6
    assert data["source"] == "Test source"


def test_observations_of_a_group_are_its_member_countries_and_disaggregations(client, loaded):
    data = client.get("/api/v1/indicators/IT.NET.USER.ZS/observations", {"group": "LDC", "year_from": 2022}).json()
    assert {r["country"] for r in data["results"]} == {"NPL"}
    assert {(r["area"], r["age"]) for r in data["results"]} == {
        ("total", "total"), ("urban", "total"), ("rural", "total"), ("total", "15-24")}


def test_published_aggregate_filter(client, loaded):
    data = client.get("/api/v1/indicators/IT.NET.USER.ZS/observations", {"aggregate": "WLD"}).json()
    assert [(r["year"], r["value"]) for r in data["results"]] == [(2020, 59.3), (2021, 62.2), (2022, 67.0),
                                                                  (2023, 67.4)]
    assert data["results"][0]["aggregate_name"] == "World"


def test_bad_parameters_are_422(client, loaded):
    url = "/api/v1/indicators/IT.NET.USER.ZS/observations"
    assert client.get(url, {"limit": 0}).status_code == 422
    assert client.get(url, {"year_from": 2023, "year_to": 2020}).status_code == 422
    assert client.get(url, {"year_from": "soon"}).status_code == 422


def test_group_values_carry_their_method_and_counts(client, loaded, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        data = client.get("/api/v1/indicators/IT.NET.USER.ZS/groups", {"year": 2022}).json()
    by_code = {g["code"]: g for g in data}
    assert by_code["LDC"]["value"] == 49.6 and by_code["LDC"]["reporting"] == 1 and by_code["LDC"]["members"] == 44
    assert by_code["LDC"]["method"] == "median" and "not population-weighted" in by_code["LDC"]["description"]
    assert by_code["WLD"]["published"] == 67.0
    assert {"ESCAP", "M49-002"} <= set(by_code)
    assert client.get("/api/v1/indicators/NOPE/groups").status_code == 404
    assert client.get("/api/v1/indicators/IT.NET.USER.ZS/groups", {"year": 3000}).status_code == 422
