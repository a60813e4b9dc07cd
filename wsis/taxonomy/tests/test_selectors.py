"""Country groups as a filter mean "any of" everywhere: one selector says so."""

import pytest

from wsis.taxonomy.models import Country
from wsis.taxonomy.selectors import CountryFilters, countries_in_groups, countries_matching, country_list

pytestmark = pytest.mark.django_db


def test_countries_in_groups_is_any_of():
    ldc, sids = set(Country.objects.filter(ldc=True)), set(Country.objects.filter(sids=True))
    assert ldc - sids and sids - ldc  # the groups differ, so OR and AND would disagree
    assert set(countries_in_groups(["ldc", "sids"])) == ldc | sids
    assert set(countries_in_groups(["sids"])) == sids
    assert not countries_in_groups([]).exists() and not countries_in_groups(["g77"]).exists()


def test_country_list_reads_groups_the_same_way():
    both = {c.iso3 for c in country_list(CountryFilters(ldc=True, sids=True))}
    assert both == set(countries_in_groups(["ldc", "sids"]).values_list("iso3", flat=True))
    assert "HTI" in both and "FJI" in both and "NPL" in both  # LDC and SIDS; SIDS only; LDC only


def test_countries_matching_combines_filters_on_the_same_country():
    assert countries_matching() is None
    oceania_sids = set(countries_matching(region=["009"], group=["sids"]).values_list("iso3", flat=True))
    assert "FJI" in oceania_sids and "HTI" not in oceania_sids
    assert set(countries_matching(iso3=["ken", "FRA"], commission=["eca"]).values_list("iso3", flat=True)) == {"KEN"}
