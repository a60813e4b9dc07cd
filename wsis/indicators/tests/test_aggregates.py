"""Group values computed by hand: weighted mean, median with count, sum, and the fallback that is never silent."""

import pytest

from wsis.indicators.aggregates import Aggregate, Method, aggregate


def test_share_with_population_is_the_population_weighted_mean():
    # (10 × 1 + 20 × 1 + 60 × 8) / 10 = 51, where an unweighted mean would say 30.
    result = aggregate({1: 10.0, 2: 20.0, 3: 60.0}, members={1, 2, 3, 4}, aggregation="share",
                       population={1: 1e6, 2: 1e6, 3: 8e6})
    assert result.value == pytest.approx(51.0)
    assert (result.method, result.reporting, result.members) == (Method.WEIGHTED_MEAN, 3, 4)
    assert result.description == "Population-weighted mean of 3 of 4 countries reporting"


def test_share_weights_the_countries_with_population_and_counts_those_left_out():
    # Country 3 has no population figure: (10 × 1 + 20 × 3) / 4 = 17.5 over the two that have one.
    result = aggregate({1: 10.0, 2: 20.0, 3: 60.0}, members={1, 2, 3, 4}, aggregation="share",
                       population={1: 1e6, 2: 3e6})
    assert result.value == pytest.approx(17.5)
    assert result.method == Method.WEIGHTED_MEAN and result.unweighted == 1
    assert result.description == ("Population-weighted mean of 2 of 4 countries reporting "
                                  "(1 without population data left out)")


def test_share_without_any_population_falls_back_to_the_median_and_says_so():
    result = aggregate({1: 10.0, 2: 20.0, 3: 60.0}, members={1, 2, 3}, aggregation="share",
                       population={9: 1e6})  # none of the reporting countries has a population
    assert result.value == 20.0
    assert result.method == Method.MEDIAN and result.weighted_fallback
    assert "not population-weighted" in result.description


def test_median_of_an_even_number_of_countries_and_non_members_ignored():
    result = aggregate({1: 10.0, 2: 20.0, 3: 30.0, 4: 70.0, 99: 1000.0}, members={1, 2, 3, 4, 5},
                       aggregation="median")
    assert result.value == 25.0
    assert result.description == "Median of 4 of 5 countries reporting"


def test_counts_are_summed_over_reporting_countries():
    result = aggregate({1: 1_000.0, 2: 2_500.0}, members={1, 2, 3}, aggregation="sum")
    assert result.value == 3_500.0 and result.method == Method.SUM
    assert "countries without data are not included" in result.description


def test_no_reporting_country_gives_no_value():
    result = aggregate({7: 5.0}, members={1, 2}, aggregation="share")
    assert result == Aggregate(None, Method.NONE, 0, 2, None)
    assert result.description == "No data for any of 2 countries"
