"""Gender and urban/rural gaps, and affordability against the 2 % target, on hand-made data."""

import pytest

from wsis.indicators import selectors
from wsis.indicators.services import observations_import
from wsis.indicators.tests.factories import DATA, IndicatorFactory, internet_indicator, observe

pytestmark = pytest.mark.django_db


def test_gender_gap_uses_each_country_latest_year_with_both_sexes():
    indicator = IndicatorFactory(code="ITU.MOBILE.OWN")
    observe(indicator, "BGD", 2016, 50.0, sex="male")
    observe(indicator, "BGD", 2016, 30.0, sex="female")
    observe(indicator, "BGD", 2017, 54.3, sex="male")
    observe(indicator, "BGD", 2017, 30.9, sex="female")
    observe(indicator, "BLR", 2017, 91.5, sex="male")
    observe(indicator, "BLR", 2017, 95.0, sex="female")
    observe(indicator, "KEN", 2018, 60.0, sex="male")  # no female value: no gap
    rows = selectors.gender_gap()
    assert [(r.country.iso3, r.year, round(r.gap, 1)) for r in rows] == [("BGD", 2017, 23.4), ("BLR", 2017, -3.5)]


def test_urban_rural_gap_found_in_an_imported_sdmx_series():
    indicator = internet_indicator()
    observations_import(indicator=indicator, data=DATA / "sdmx_good.csv", fmt="sdmx")
    found, rows = selectors.area_gap()
    assert found == indicator
    assert [(r.country.iso3, round(r.gap, 1)) for r in rows] == [("KEN", 33.5), ("NPL", 25.3)]


def test_affordability_against_two_percent_of_income():
    indicator = IndicatorFactory(code="A4AI.COST.1GB", unit="percent_income", aggregation="median",
                                 higher_is_better=False)
    observe(indicator, "EGY", 2018, 0.45)
    observe(indicator, "KEN", 2018, 4.61)
    observe(indicator, "TCD", 2018, 23.3)
    _ind, rows = selectors.affordability()
    assert [(r.country.iso3, r.meets_target) for r in rows] == [("TCD", False), ("KEN", False), ("EGY", True)]
    assert rows[0].times_target == pytest.approx(11.65)
