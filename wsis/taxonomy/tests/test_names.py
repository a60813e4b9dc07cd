"""Country and reference names as people type them: aliases, accents, hyphens, case and typos."""

import pytest
from django.urls import reverse

from wsis.taxonomy.names import Term, key, lookup, nearest
from wsis.taxonomy.selectors import CountryFilters, country_list

pytestmark = pytest.mark.django_db

# What people type on the countries page → the country it must find (and the list stays short).
COUNTRY_QUERIES = [
    ("Nepal", "NPL"), ("Nepl", "NPL"), ("nepal", "NPL"), ("Vietnam", "VNM"), ("Viet Nam", "VNM"),
    ("Việt Nam", "VNM"), ("Вьетнам", "VNM"), ("越南", "VNM"), ("Turkey", "TUR"), ("Türkiye", "TUR"),
    ("Turkiye", "TUR"), ("Cote d'Ivoire", "CIV"), ("Côte d’Ivoire", "CIV"), ("cote divoire", "CIV"),
    ("Ivory Coast", "CIV"), ("Laos", "LAO"), ("Bolivia", "BOL"), ("Russia", "RUS"), ("Россия", "RUS"),
    ("Iran", "IRN"), ("Syria", "SYR"), ("Tanzania", "TZA"), ("Tanzanai", "TZA"), ("UK", "GBR"),
    ("USA", "USA"), ("United States", "USA"), ("DRC", "COD"), ("Kenia", "KEN"), ("Кения", "KEN"),
    ("كينيا", "KEN"), ("肯尼亚", "KEN"), ("Sénégal", "SEN"), ("senegal", "SEN"), ("Timor Leste", "TLS"),
]


@pytest.mark.parametrize(("typed", "iso3"), COUNTRY_QUERIES)
def test_country_list_finds_what_people_type(typed, iso3):
    found = [c.iso3 for c in country_list(CountryFilters(q=typed))]
    assert iso3 in found
    assert len(found) <= 3, found


def test_countries_page_searches_the_same_way(client):
    for typed, iso3 in [("Nepl", "NPL"), ("Vietnam", "VNM"), ("Turkey", "TUR"), ("Cote d'Ivoire", "CIV")]:
        response = client.get(reverse("taxonomy:countries"), {"q": typed})
        assert [c.iso3 for c in response.context["countries"]] == [iso3], typed


def test_keys_ignore_accents_case_hyphens_and_apostrophes():
    assert key("Côte d’Ivoire") == key("cote d'ivoire") == key("COTE DIVOIRE") == "cotedivoire"
    assert key("E-health") == key("eHealth") == key("ehealth")
    assert key("C7.4") == "c74"


def test_action_lines_and_goals_by_code_name_and_number():
    assert lookup("C7.4") == lookup("e-health") == lookup("eHealth") == lookup("Cybersanté") == {
        Term("action_line", "C7.4")}
    assert Term("action_line", "C7.4") in lookup("C7")  # the parent stands for its sub-lines
    assert lookup("SDG 3") == lookup("sdg3") == lookup("ODD 3") == lookup("Good health and well-being") == {
        Term("goal", "3")}
    assert lookup("Quality education") == {Term("goal", "4")}


def test_two_letter_aliases_only_in_capitals_and_no_typo_below_four_letters():
    assert lookup("UK") == {Term("country", "GBR")}
    assert lookup("us") == set()
    assert lookup("US") == {Term("country", "USA")}
    assert nearest("Ken") is None
    assert nearest("Nepal") is None  # exact names are not typos
    assert nearest("Nepl")[1] == {Term("country", "NPL")}
