"""import_indicators and load_indicators from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from wsis.indicators import selectors
from wsis.indicators.models import Indicator, Observation, WSISTargetIndicator
from wsis.indicators.tests.factories import DATA, internet_indicator
from wsis.taxonomy.models import Country

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_good_file_reports_counts():
    internet_indicator()
    out, _err = run("import_indicators", "--format", "owid", "--indicator", "IT.NET.USER.ZS",
                    str(DATA / "owid_good.csv"))
    assert "7 created" in out and "3 published aggregates" in out
    assert "skipped row 9, column 'Entity', value 'OWID_KOS'" in out


def test_import_bad_file_fails_listing_rows_and_writes_nothing():
    internet_indicator()
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing imported: 2 error"):
        call_command("import_indicators", "--format", "owid", "--indicator", "IT.NET.USER.ZS",
                     str(DATA / "owid_bad_row.csv"), stdout=StringIO(), stderr=err)
    assert "row 3, column 'Individuals using the Internet (% of population)', value 'forty': not a number" in (
        err.getvalue())
    assert not Observation.objects.exists()


def test_import_unknown_country_fails_unless_skip_unknown():
    internet_indicator()
    args = ["import_indicators", "--format", "wdi", "--indicator", "IT.NET.USER.ZS", str(DATA / "wdi_unknown.csv")]
    with pytest.raises(CommandError):
        call_command(*args, stdout=StringIO(), stderr=StringIO())
    out, _err = run(*args, "--skip-unknown")
    assert "skipped row 7, column 'Country Code', value 'RUR'" in out
    assert Observation.objects.filter(country__iso3="KEN").count() == 1


def test_import_unknown_indicator_and_missing_file_are_clear_errors():
    with pytest.raises(CommandError, match="Unknown indicator 'NOPE'"):
        call_command("import_indicators", "--format", "owid", "--indicator", "NOPE", str(DATA / "owid_good.csv"))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_indicators", "--format", "owid", "--indicator", "NOPE", "/no/such.csv")


def test_load_indicators_ships_internet_use_for_190_countries_and_the_group_comparison():
    out, _err = run("load_indicators")
    assert "Indicators loaded" in out
    internet = Indicator.objects.get(code="IT.NET.USER.ZS")
    assert internet.sdg_indicator.code == "17.8.1"
    countries = Observation.objects.filter(indicator=internet, country__isnull=False).values("country").distinct()
    assert countries.count() >= 190
    year, rows = selectors.group_comparison(indicator=internet, kinds=("world", "status"))
    by_code = {r.group.code: r for r in rows}
    # The WDI 2025 series run to 2024; 2023 is the latest year with good coverage.
    assert year == 2023 and set(by_code) == {"WLD", "LDC", "LLDC", "SIDS"}
    for code in ("WLD", "LDC", "LLDC", "SIDS"):
        agg = by_code[code].aggregate
        assert agg.value is not None and agg.reporting >= 25
        # The shipped population series weights every group value.
        assert agg.method == "weighted_mean", (code, agg.description)
    # LDCs are far behind the world; the weighted world value is close to the one the source publishes.
    assert by_code["LDC"].aggregate.value < by_code["WLD"].aggregate.value - 20
    assert 60 < by_code["WLD"].aggregate.value < 80
    # Source errors in the shipped files are left out with their reason, not loaded.
    assert not Observation.objects.filter(indicator__code="ITU.MOBILE.OWN", country__iso3="ZAF", year=2015).exists()
    assert WSISTargetIndicator.objects.count() == 6
    status = {(s.target.number, link.link.indicator.code): link.status
              for s in selectors.wsis_target_status() for link in s.links}
    assert status[(10, "IT.NET.USER.ZS")] == "met" and status[(2, "UIS.SCHOOLS.NET.PRIMARY")] == "not_met"
    # Current data: Nepal's Internet use for 2023 or later, on its country page too.
    nepal = Country.objects.get(iso3="NPL")
    profile = {r.indicator.code: r for r in selectors.country_profile(country=nepal)}
    assert profile["IT.NET.USER.ZS"].year >= 2023 and profile["IT.NET.USER.ZS"].value == pytest.approx(55.77, abs=0.01)
    assert profile["IT.NET.BBND.P2"].year == 2024 and profile["IT.CEL.SETS.P2"].year == 2024
    page = Client().get("/en/countries/NPL/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Individuals using the Internet" in html and "55.8" in html and "2023" in html
    # The source and its vintage are on the indicator's page and in its chart's caption.
    detail = Client().get("/en/indicators/IT.NET.USER.ZS/?country=NPL").content.decode()
    assert detail.count("WDI 2025 release: data to 2024") >= 2
    # Fiji's mobile series jumps from 111.7 (2022) to 361.0 (2023): flagged as a break, not a trend.
    fiji = Country.objects.get(iso3="FJI")
    mobile = Indicator.objects.get(code="IT.CEL.SETS.P2")
    assert (2022, 2023) in {(b.year_before, b.year) for b in selectors.series_breaks(indicator=mobile, country=fiji)}
    # Internet use by sex to 2023, with group values from the same countries.
    divide = selectors.internet_gender_divide()
    assert divide.latest == 2023 and len(divide.countries) >= 100
    world = next(g for g in divide.groups if g.group.code == "WLD")
    assert world.women.value < world.men.value and world.women.method == "weighted_mean"
    assert Observation.objects.filter(indicator=internet, sex="female", country__iso3="DEU", year=2023).exists()
    out, _err = run("load_indicators")
    assert "nothing changed" in out
