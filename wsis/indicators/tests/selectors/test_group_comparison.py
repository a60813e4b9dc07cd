"""group_comparison and group_series on hand-made observations: the LDC value checked by hand."""

import pytest

from wsis.indicators import selectors
from wsis.indicators.aggregates import Method
from wsis.indicators.services import observations_import
from wsis.indicators.tests.factories import DATA, IndicatorFactory, internet_indicator, observe

pytestmark = pytest.mark.django_db


def row(rows, code):
    return next(r for r in rows if r.group.code == code)


def test_ldc_value_is_the_median_of_reporting_members_with_their_count():
    indicator = internet_indicator()
    observe(indicator, "AFG", 2022, 18.0)   # LDC, LLDC
    observe(indicator, "BGD", 2022, 38.0)   # LDC
    observe(indicator, "NPL", 2022, 50.0)   # LDC, LLDC
    observe(indicator, "FJI", 2022, 85.0)   # SIDS
    observe(indicator, "DEU", 2022, 91.0)   # neither
    year, rows = selectors.group_comparison(indicator=indicator, year=2022)
    ldc, lldc, sids, world = row(rows, "LDC"), row(rows, "LLDC"), row(rows, "SIDS"), row(rows, "WLD")
    assert year == 2022
    assert (ldc.aggregate.value, ldc.aggregate.reporting, ldc.aggregate.members) == (38.0, 3, 44)
    assert lldc.aggregate.value == 34.0  # median of 18 and 50
    assert sids.aggregate.value == 85.0 and sids.aggregate.reporting == 1
    assert world.aggregate.value == 50.0 and world.aggregate.reporting == 5
    assert ldc.aggregate.method == Method.MEDIAN and ldc.aggregate.weighted_fallback
    escap = row(rows, "ESCAP")
    assert escap.aggregate.reporting == 4  # AFG, BGD, NPL, FJI are ESCAP members; Germany is not


def test_with_a_population_series_shares_are_population_weighted():
    indicator = internet_indicator()
    observe(indicator, "AFG", 2022, 18.0)
    observe(indicator, "BGD", 2022, 38.0)
    observe(indicator, "NPL", 2022, 50.0)
    population = IndicatorFactory(code="SP.POP.TOTL", unit="count", aggregation="sum")
    observations_import(indicator=population, data=DATA / "wdi_population.csv", fmt="wdi")
    _year, rows = selectors.group_comparison(indicator=indicator, year=2022)
    ldc = row(rows, "LDC")
    # (18 × 1 + 38 × 1 + 50 × 8) / 10 = 45.6
    assert ldc.aggregate.value == pytest.approx(45.6)
    assert ldc.aggregate.method == Method.WEIGHTED_MEAN


def test_default_year_skips_a_thin_latest_year():
    indicator = internet_indicator()
    for iso3 in ("AFG", "BGD", "NPL", "KEN", "FJI"):
        observe(indicator, iso3, 2021, 40.0)
    observe(indicator, "KEN", 2022, 41.0)  # one early reporter
    assert selectors.default_year(indicator=indicator) == 2021


def test_published_world_value_is_shown_beside_the_computed_one():
    indicator = internet_indicator()
    observations_import(indicator=indicator, data=DATA / "wdi_good.csv", fmt="wdi")
    _year, rows = selectors.group_comparison(indicator=indicator, year=2022)
    world, ldc = row(rows, "WLD"), row(rows, "LDC")
    assert world.published == 64.4 and world.aggregate.value == pytest.approx((40.8 + 49.6) / 2)
    assert ldc.published == 35.0 and ldc.published_name == "Least developed countries: UN classification"


def test_group_series_gives_one_aggregate_per_year_and_group():
    indicator = internet_indicator()
    observe(indicator, "AFG", 2020, 10.0)
    observe(indicator, "AFG", 2021, 12.0)
    observe(indicator, "NPL", 2021, 40.0)
    groups, series = selectors.group_series(indicator=indicator)
    assert [g.code for g in groups] == ["WLD", "LDC", "LLDC", "SIDS"]
    assert series[2020]["LDC"].value == 10.0 and series[2021]["LDC"].value == 26.0
    assert series[2021]["SIDS"].value is None
