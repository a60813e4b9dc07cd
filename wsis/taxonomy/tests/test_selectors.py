"""Taxonomy selectors: country groups mean "any of" everywhere; filter codes checked against cached sets."""

import pytest
from django.core.cache import cache

from wsis.taxonomy.models import Country, StakeholderType
from wsis.taxonomy.selectors import (
    REFERENCE_CODES_KEY,
    CountryFilters,
    countries_in_groups,
    countries_matching,
    country_list,
    reference_codes,
)
from wsis.taxonomy.services import reference_load

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


def test_reference_codes_are_read_from_the_cache_after_the_first_request(django_assert_num_queries):
    reference_codes("country", ["NPL"])  # fills the cache
    with django_assert_num_queries(0):
        assert reference_codes("country", ["NPL", "KEN"]) == {"NPL", "KEN"}
        assert reference_codes("action_line", ["C7.4"]) == {"C7.4"}
        assert reference_codes("region", ["142"]) == {"142"}


def test_a_code_missing_from_the_cached_set_is_looked_up_before_it_is_refused(django_assert_num_queries):
    reference_codes("stakeholder_type", ["government"])  # fills the cache
    StakeholderType.objects.create(code="new-type", name_en="A type added since")
    with django_assert_num_queries(1):
        assert reference_codes("stakeholder_type", ["new-type", "no-such-type"]) == {"new-type"}


def test_loading_reference_data_forgets_the_cached_codes(django_capture_on_commit_callbacks):
    reference_codes("country", ["NPL"])
    assert cache.get(REFERENCE_CODES_KEY) is not None
    with django_capture_on_commit_callbacks(execute=True):
        reference_load()
    assert cache.get(REFERENCE_CODES_KEY) is None
