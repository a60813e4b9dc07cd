"""import_indicators and load_indicators from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from wsis.indicators import selectors
from wsis.indicators.models import Indicator, Observation, WSISTargetIndicator
from wsis.indicators.tests.factories import DATA, internet_indicator

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
    assert year == 2022 and set(by_code) == {"WLD", "LDC", "LLDC", "SIDS"}
    for code in ("WLD", "LDC", "LLDC", "SIDS"):
        assert by_code[code].aggregate.value is not None and by_code[code].aggregate.reporting >= 25
    # LDCs are far behind the world; the source's own world value (population-weighted) sits beside ours.
    assert by_code["LDC"].aggregate.value < by_code["WLD"].aggregate.value - 30
    assert by_code["WLD"].published == 64.4
    # Source errors in the shipped files are left out with their reason, not loaded.
    assert not Observation.objects.filter(indicator__code="ITU.MOBILE.OWN", country__iso3="ZAF", year=2015).exists()
    assert WSISTargetIndicator.objects.count() == 6
    status = {(s.target.number, link.link.indicator.code): link.status
              for s in selectors.wsis_target_status() for link in s.links}
    assert status[(10, "IT.NET.USER.ZS")] == "met" and status[(2, "UIS.SCHOOLS.NET.PRIMARY")] == "not_met"
    out, _err = run("load_indicators")
    assert "nothing changed" in out
