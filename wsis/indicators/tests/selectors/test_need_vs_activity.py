"""Need versus activity on a hand-made dataset: ranking, under-served flags, filters, per million people."""

import pytest

from wsis.accounts.tests.factories import OrganisationFactory
from wsis.indicators import selectors
from wsis.indicators.services import observations_import
from wsis.indicators.tests.factories import DATA, IndicatorFactory, internet_indicator, observe
from wsis.stocktaking.models import Initiative, InitiativeActionLine
from wsis.taxonomy.models import ActionLine, Country

pytestmark = pytest.mark.django_db


def initiative(iso3s, *, state=Initiative.State.PUBLISHED, action_line="C2"):
    item = Initiative.objects.create(title="An initiative", summary="What it does.", organisation=OrganisationFactory(),
                                     state=state)
    item.countries.set(Country.objects.filter(iso3__in=iso3s))
    InitiativeActionLine.objects.create(initiative=item, action_line=ActionLine.objects.get(code=action_line),
                                        is_primary=True)
    return item


@pytest.fixture
def dataset():
    indicator = internet_indicator()
    # Internet use: Afghanistan 18, Bangladesh 38, Nepal 50, Kenya 41 (older year), Germany 91.
    observe(indicator, "AFG", 2022, 18.0)
    observe(indicator, "BGD", 2022, 38.0)
    observe(indicator, "NPL", 2022, 50.0)
    observe(indicator, "KEN", 2020, 35.0)
    observe(indicator, "KEN", 2021, 41.0)
    observe(indicator, "DEU", 2022, 91.0)
    # Published initiatives: Nepal 3 (one on C7.4), Germany 2, Bangladesh 1 (C7.4), Afghanistan 0, Kenya 0.
    initiative(["NPL"])
    initiative(["NPL", "DEU"])
    initiative(["NPL", "BGD"], action_line="C7.4")
    initiative(["DEU"])
    initiative(["AFG"], state=Initiative.State.DRAFT)  # not published: not counted
    initiative(["KEN"], state=Initiative.State.REJECTED)
    return indicator


def test_countries_are_ranked_most_need_first_beside_their_published_initiatives(dataset):
    table = selectors.need_vs_activity(indicator=dataset)
    assert [(r.rank, r.country.iso3, r.value, r.initiatives) for r in table.rows] == [
        (1, "AFG", 18.0, 0), (2, "BGD", 38.0, 1), (3, "KEN", 41.0, 0), (4, "NPL", 50.0, 3), (5, "DEU", 91.0, 2),
    ]
    assert table.rows[2].year == 2021  # Kenya's latest year
    assert not table.per_million  # no population series: activity is per country
    # Median value 41, median activity 1: needier than the median and no more active than the median.
    assert [r.country.iso3 for r in table.rows if r.under_served] == ["AFG", "BGD"]


def test_values_older_than_five_years_before_the_well_covered_year_are_left_out(dataset):
    observe(dataset, "PRK", 2013, 0.0)  # a stale zero must not rank as the greatest need
    table = selectors.need_vs_activity(indicator=dataset)
    assert table.since == 2017
    assert "PRK" not in {r.country.iso3 for r in table.rows}


def test_group_filter_keeps_only_members(dataset):
    table = selectors.need_vs_activity(indicator=dataset, group="LDC")
    assert [r.country.iso3 for r in table.rows] == ["AFG", "BGD", "NPL"]


def test_action_line_filter_counts_only_initiatives_on_that_line(dataset):
    table = selectors.need_vs_activity(indicator=dataset, action_line="C7.4")
    counts = {r.country.iso3: r.initiatives for r in table.rows}
    assert counts == {"AFG": 0, "BGD": 1, "KEN": 0, "NPL": 1, "DEU": 0}


def test_lower_is_better_indicator_ranks_the_highest_value_first():
    cost = IndicatorFactory(code="A4AI.COST.1GB", unit="percent_income", higher_is_better=False)
    observe(cost, "EGY", 2018, 0.45)
    observe(cost, "TCD", 2018, 23.3)
    table = selectors.need_vs_activity(indicator=cost)
    assert [r.country.iso3 for r in table.rows] == ["TCD", "EGY"]


def test_with_population_activity_is_per_million_people(dataset):
    population = IndicatorFactory(code="SP.POP.TOTL", unit="count", aggregation="sum")
    observations_import(indicator=population, data=DATA / "wdi_population.csv", fmt="wdi")
    table = selectors.need_vs_activity(indicator=dataset, group="LDC")
    assert table.per_million
    per_million = {r.country.iso3: r.per_million for r in table.rows}
    assert per_million == {"AFG": 0.0, "BGD": 1.0, "NPL": pytest.approx(3 / 8)}
