"""The WDI 2025 series on hand-made data: tidy files, vintage precedence, population weighting, series
breaks, latest-year selection and Internet use by sex."""

import pytest
from django.test import Client

from wsis.core.charts import PALETTE
from wsis.indicators import selectors
from wsis.indicators.aggregates import Method
from wsis.indicators.breaks import detect_breaks
from wsis.indicators.models import Indicator, Observation
from wsis.indicators.services import (
    CatalogueError,
    ImportFailed,
    indicators_load_reference,
    observations_import,
)
from wsis.indicators.tests.factories import IndicatorFactory, internet_indicator, observe

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------------------ series breaks

def test_a_reporting_jump_out_of_a_calm_series_is_a_break():
    # Fiji's mobile subscriptions per 100 people, as published: steady, then 111.7 → 361.0 → 574.2.
    fiji = [(2016, 103.0), (2017, 106.5), (2018, 108.0), (2019, 110.3), (2020, 109.1), (2021, 112.5),
            (2022, 111.7), (2023, 361.0), (2024, 574.2)]
    found = detect_breaks(fiji)
    assert [(b.year_before, b.year) for b in found] == [(2022, 2023), (2023, 2024)]
    assert found[0].value_before == 111.7 and found[0].value == 361.0 and found[0].ratio > 3


def test_steady_diffusion_is_not_a_break_however_steep():
    # An S-curve: fast growth year after year is a trend, not a break.
    curve = [(2000 + i, v) for i, v in enumerate([1, 2, 4, 7, 12, 19, 28, 38, 48, 57, 64, 70, 74])]
    assert detect_breaks(curve) == []


def test_a_fall_and_rebound_is_flagged_and_tiny_or_short_series_are_not():
    ghana = [(2015, 30.0), (2016, 33.0), (2017, 37.0), (2018, 43.0), (2019, 22.1), (2020, 62.5), (2021, 66.0)]
    assert {(b.year_before, b.year) for b in detect_breaks(ghana)} == {(2018, 2019), (2019, 2020)}
    # Wobbles of a tiny series (subscriptions per 100 below one) are below the one-unit minimum.
    assert detect_breaks([(2015, 0.1), (2016, 0.1), (2017, 0.6), (2018, 0.2), (2019, 0.2), (2020, 0.3)]) == []
    # Four points give no neighbours to judge by.
    assert detect_breaks([(2020, 1.0), (2021, 1.0), (2022, 50.0), (2023, 50.0)]) == []
    # A change spread over six unreported years is not sudden.
    assert detect_breaks([(2010, 10), (2011, 11), (2012, 12), (2013, 13), (2019, 80), (2020, 81)]) == []


def test_country_line_is_not_drawn_across_a_break_and_the_break_is_listed(client):
    indicator = IndicatorFactory(code="IT.CEL.SETS.P2", name_en="Mobile subscriptions", unit=Indicator.Unit.PER_100)
    for year, value in [(2016, 103.0), (2017, 106.5), (2018, 108.0), (2019, 110.3), (2020, 109.1),
                        (2021, 112.5), (2022, 111.7), (2023, 361.0), (2024, 574.2)]:
        observe(indicator, "FJI", year, value)
        observe(indicator, "NZL", year, 120.0 + year - 2016)
    html = client.get("/en/indicators/IT.CEL.SETS.P2/?country=FJI").content.decode()
    assert "series break between 2022 and 2023 (111.7 → 361.0)" in html
    assert 'id="breaks"' in html and "badge-break" in html
    # Fiji's line (the fifth series: world, LDC, LLDC and SIDS come first) is split into runs at the
    # breaks: 2016–2022 is one polyline; the lone points 2023 and 2024 have no segment into them.
    svg = html[html.index('<svg'):html.index('</svg>')]
    fiji_colour = PALETTE[4]
    runs = [p for p in svg.split("<polyline")[1:] if f'stroke="{fiji_colour}"' in p.split("/>")[0]]
    assert len(runs) == 1 and runs[0].split('points="')[1].split('"')[0].count(",") == 7


def test_country_page_marks_a_recent_break_beside_the_latest_value():
    indicator = IndicatorFactory(code="IT.CEL.SETS.P2", name_en="Mobile subscriptions", unit=Indicator.Unit.PER_100)
    for year, value in [(2018, 108.0), (2019, 110.3), (2020, 109.1), (2021, 112.5), (2022, 111.7), (2023, 361.0)]:
        observe(indicator, "FJI", year, value)
    html = Client().get("/en/countries/FJI/").content.decode()
    assert "Series break:" in html and "2022 → 2023: 111.7 → 361.0" in html


# ------------------------------------------------------------------------------------ latest-year selection

def test_latest_year_is_each_countrys_newest_value_and_the_group_year_the_last_well_covered_one():
    indicator = internet_indicator()
    for iso3 in ("AFG", "BGD", "NPL", "FJI", "DEU"):
        observe(indicator, iso3, 2021, 10.0)
        observe(indicator, iso3, 2022, 20.0)
    observe(indicator, "NPL", 2023, 55.8)  # one early reporter in 2023
    latest = {r.country.iso3: (r.year, r.value) for r in selectors.latest_by_country(indicator=indicator)}
    assert latest["NPL"] == (2023, 55.8) and latest["DEU"] == (2022, 20.0)
    # 2023 has 1 of 5 countries: the group comparison uses 2022, the last year with 80 % coverage.
    assert selectors.default_year(indicator=indicator) == 2022
    nepal = next(r for r in selectors.country_profile(country=observe(indicator, "KEN", 2020, 1.0).country)
                 if r.indicator == indicator)
    assert nepal.year == 2020
    profile = {r.indicator.code: r for r in selectors.country_profile(
        country=Observation.objects.get(country__iso3="NPL", year=2023).country)}
    assert profile["IT.NET.USER.ZS"].year == 2023 and profile["IT.NET.USER.ZS"].value == 55.8


# ---------------------------------------------------------------------------------- population weighting

def test_group_values_are_weighted_by_population_of_the_same_year_and_the_method_is_shown(client):
    indicator = internet_indicator()
    population = IndicatorFactory(code="SP.POP.TOTL", name_en="Population", unit=Indicator.Unit.COUNT,
                                  aggregation=Indicator.Aggregation.SUM)
    observe(indicator, "AFG", 2022, 18.0)   # LDC, LLDC
    observe(indicator, "BGD", 2022, 38.0)   # LDC
    observe(indicator, "NPL", 2022, 50.0)   # LDC, LLDC
    observe(indicator, "TUV", 2022, 70.0)   # reports, but has no population figure
    observe(population, "AFG", 2022, 40e6)
    observe(population, "BGD", 2022, 170e6)
    observe(population, "NPL", 2021, 30e6)  # a year older: the nearest earlier year is used
    observe(population, "NPL", 2015, 1.0)   # never used: 2021 is nearer
    _year, rows = selectors.group_comparison(indicator=indicator, year=2022, kinds=("world", "status"))
    ldc = next(r for r in rows if r.group.code == "LDC").aggregate
    expected = (18 * 40 + 38 * 170 + 50 * 30) / 240
    assert ldc.method == Method.WEIGHTED_MEAN and ldc.value == pytest.approx(expected)
    members = {r.group.code: r for r in rows}["LDC"].aggregate.members
    assert ldc.description.startswith(f"Population-weighted mean of 3 of {members} countries reporting")
    html = client.get("/en/indicators/groups/?indicator=IT.NET.USER.ZS&year=2022").content.decode()
    assert "Method: shares are combined as population-weighted means" in html
    assert f"{expected:.1f}" in html or f"{expected:.2f}" in html


# ------------------------------------------------------------------------------- tidy files and vintages

def test_tidy_file_with_a_sex_loads_as_that_disaggregation_and_rejects_bad_rows():
    indicator = internet_indicator()
    observations_import(indicator=indicator, data="iso3,year,value\nDEU,2023,91.48\nKEN,2019,20.23\n", fmt="tidy",
                        dims={"sex": "female"})
    assert set(Observation.objects.values_list("country__iso3", "sex")) == {("DEU", "female"), ("KEN", "female")}
    with pytest.raises(ImportFailed) as exc:
        observations_import(indicator=indicator, data="iso3,year,value\nDEU,20x3,91\nZZZ,2023,4\n", fmt="tidy")
    assert [str(e) for e in exc.value.errors] == [
        "row 2, column 'year', value '20x3': not a year between 1900 and 2100",
        "row 3, column 'iso3', value 'ZZZ': unknown country or area (no UN M49 code, ISO code, name or alias matches)",
    ]


def test_a_newer_vintage_replaces_each_series_whole_and_a_reload_changes_nothing(tmp_path):
    (tmp_path / "old.csv").write_text("iso3,year,value\nNPL,2019,30\nNPL,2020,37\nNPL,2021,49\nKEN,2020,29\n")
    (tmp_path / "new.csv").write_text("iso3,year,value\nNPL,2020,38\nNPL,2021,50\nNPL,2023,55.77\n")
    (tmp_path / "catalogue.yaml").write_text("""
indicators:
  - code: IT.NET.USER.ZS
    names: {en: Individuals using the Internet}
    unit: percent
    source: test
    vintage: "New 2025: data to 2023"
    licence: CC BY 4.0
    files:
      - {path: old.csv, format: tidy, source: old vintage}
      - {path: new.csv, format: tidy, source: new vintage}
""")
    result = indicators_load_reference(data_dir=tmp_path)
    rows = set(Observation.objects.values_list("country__iso3", "year", "value", "source"))
    # Nepal comes whole from the new file (its 2019 value of the old vintage is not mixed in); Kenya,
    # which the new file lacks, stays from the old one.
    assert rows == {("NPL", 2020, 38.0, "new vintage"), ("NPL", 2021, 50.0, "new vintage"),
                    ("NPL", 2023, 55.77, "new vintage"), ("KEN", 2020, 29.0, "old vintage")}
    assert Indicator.objects.get(code="IT.NET.USER.ZS").vintage == "New 2025: data to 2023"
    assert result.changed
    assert not indicators_load_reference(data_dir=tmp_path).changed


# ---------------------------------------------------------------------------------------- gender divide

def test_internet_use_by_sex_per_country_and_group(client):
    indicator = internet_indicator()
    population = IndicatorFactory(code="SP.POP.TOTL", name_en="Population", unit=Indicator.Unit.COUNT,
                                  aggregation=Indicator.Aggregation.SUM)
    for iso3, year, women, men, people in [("AFG", 2021, 6.0, 28.0, 40e6), ("BGD", 2022, 33.0, 45.0, 170e6),
                                           ("DEU", 2023, 91.5, 93.5, 83e6)]:
        observe(indicator, iso3, year, women, sex="female")
        observe(indicator, iso3, year, men, sex="male")
        observe(population, iso3, year, people)
    divide = selectors.internet_gender_divide()
    assert divide.latest == 2023 and divide.since == 2018
    assert [r.country.iso3 for r in divide.countries] == ["AFG", "BGD", "DEU"]  # widest gap against women first
    assert divide.countries[0].gap == pytest.approx(22.0)
    ldc = next(g for g in divide.groups if g.group.code == "LDC")
    assert ldc.women.value == pytest.approx((6 * 40 + 33 * 170) / 210)
    assert ldc.men.value == pytest.approx((28 * 40 + 45 * 170) / 210)
    assert ldc.women.method == Method.WEIGHTED_MEAN and ldc.parity < 1
    html = client.get("/en/indicators/divides/").content.decode()
    assert "Women and men using the Internet" in html and 'id="internet-by-sex"' in html
    csv = b"".join(client.get("/en/indicators/divides/?table=internet-gender&format=csv").streaming_content)
    assert "Afghanistan" in csv.decode("utf-8-sig")


def test_indicator_descriptions_load_in_six_languages_and_are_marked_unofficial(tmp_path):
    (tmp_path / "catalogue.yaml").write_text("""
indicators:
  - code: IT.NET.USER.ZS
    names: {en: Individuals using the Internet, zh-hans: 使用互联网的个人}
    unit: percent
    description: Share of the population who used the Internet.
    descriptions: {zh-hans: 使用过互联网的人口比例。, ar: نسبة السكان الذين استخدموا الإنترنت.}
    source: test
    licence: CC BY 4.0
    files: []
""", encoding="utf-8")
    indicators_load_reference(data_dir=tmp_path)
    indicator = Indicator.objects.get(code="IT.NET.USER.ZS")
    assert indicator.description_en == "Share of the population who used the Internet."
    assert indicator.description_ar == "نسبة السكان الذين استخدموا الإنترنت."
    html = Client().get("/zh-hans/indicators/IT.NET.USER.ZS/").content.decode()
    assert "使用过互联网的人口比例。" in html and "fact-mark-unofficial_translation" in html
    assert "Unofficial" not in Client().get("/en/indicators/IT.NET.USER.ZS/").content.decode().split("<h1>")[1][:200]
    # A language the catalogue does not know is refused, naming the indicator.
    (tmp_path / "catalogue.yaml").write_text((tmp_path / "catalogue.yaml").read_text(encoding="utf-8").replace(
        "ar: نسبة", "de: nope, ar: نسبة"), encoding="utf-8")
    with pytest.raises(CatalogueError, match="IT.NET.USER.ZS: unknown description language"):
        indicators_load_reference(data_dir=tmp_path)
