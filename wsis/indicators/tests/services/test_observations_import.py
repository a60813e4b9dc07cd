"""observations_import: each format's good file, a file with a bad row (nothing imported, row named), unknown countries."""

import pytest

from wsis.core.models import AuditLog
from wsis.indicators.models import Observation
from wsis.indicators.services import ImportFailed, observations_import
from wsis.indicators.tests.factories import DATA, IndicatorFactory, internet_indicator

pytestmark = pytest.mark.django_db


def values(indicator, **filters):
    return {
        (o.country.iso3 if o.country_id else o.group_code, o.year, o.sex, o.area, o.age): o.value
        for o in Observation.objects.filter(indicator=indicator, **filters).select_related("country")
    }


def import_file(indicator, name, fmt, **kwargs):
    return observations_import(indicator=indicator, data=DATA / name, fmt=fmt, **kwargs)


class TestOwidImport:
    def test_semicolon_file_with_crlf_imports_countries_names_and_aggregates(self):
        indicator = internet_indicator()
        result = import_file(indicator, "owid_good.csv", "owid")
        stored = values(indicator)
        assert stored[("KEN", 2022, "total", "total", "total")] == 40.8
        assert stored[("CPV", 2022, "total", "total", "total")] == 69.8  # "Cape Verde" is an alias
        assert stored[("SYR", 2022, "total", "total", "total")] == 36.2  # no code: matched by the UN name
        # Aggregates published by the source are stored as aggregates, not rejected as unknown countries.
        assert stored[("WLD", 2022, "total", "total", "total")] == 64.4
        assert stored[("low-income-countries", 2022, "total", "total", "total")] == 26.0
        assert stored[("africa-itu", 2022, "total", "total", "total")] == 37.0
        assert result.country_rows == 4 and result.aggregate_rows == 3
        # Kosovo is not an M49 area: skipped and listed with the reason; Nepal's empty cell is no value.
        assert [(s.line, s.value) for s in result.skipped] == [(9, "OWID_KOS")]
        assert result.missing_values == 1
        assert ("NPL", 2022, "total", "total", "total") not in stored

    def test_second_import_of_the_same_file_changes_nothing(self):
        indicator = internet_indicator()
        first = import_file(indicator, "owid_good.csv", "owid")
        second = import_file(indicator, "owid_good.csv", "owid")
        assert first.created == 7 and second.created == 0 and second.updated == 0 and second.unchanged == 7
        assert AuditLog.objects.filter(action="indicators.observation.import").count() == 1

    def test_file_with_bad_rows_imports_nothing_and_names_each_row_and_column(self):
        indicator = internet_indicator()
        with pytest.raises(ImportFailed) as caught:
            import_file(indicator, "owid_bad_row.csv", "owid")
        errors = {(e.line, e.column, e.value) for e in caught.value.errors}
        assert errors == {
            (3, "Individuals using the Internet (% of population)", "forty"),
            (5, "Year", "20x2"),
        }
        assert not Observation.objects.filter(indicator=indicator).exists()  # Kenya 2021 and Nepal were valid

    def test_unknown_country_is_reported_with_row_column_and_value(self):
        indicator = internet_indicator()
        with pytest.raises(ImportFailed) as caught:
            import_file(indicator, "owid_unknown.csv", "owid")
        [error] = caught.value.errors
        assert (error.line, error.column, error.value) == (3, "Entity", "ATL")
        assert "unknown country" in str(error)
        assert not Observation.objects.filter(indicator=indicator).exists()

    def test_skip_unknown_imports_the_rest_and_lists_the_skipped_row(self):
        indicator = internet_indicator()
        result = import_file(indicator, "owid_unknown.csv", "owid", skip_unknown=True)
        assert set(values(indicator)) == {("KEN", 2022, "total", "total", "total"),
                                          ("NPL", 2022, "total", "total", "total")}
        assert [(s.line, s.column, s.value) for s in result.skipped] == [(3, "Entity", "ATL")]

    def test_repeated_year_header_over_shorter_rows_is_read(self):
        indicator = IndicatorFactory(code="A4AI.COST.1GB", unit="percent_income", aggregation="median")
        import_file(indicator, "owid_repeated_year.csv", "owid")
        assert values(indicator)[("EGY", 2018, "total", "total", "total")] == 0.45

    def test_several_value_columns_need_a_choice_then_map_to_sex(self):
        indicator = IndicatorFactory(code="ITU.MOBILE.OWN")
        with pytest.raises(ImportFailed) as caught:
            import_file(indicator, "owid_by_sex.csv", "owid")
        assert "several value columns" in caught.value.file_error
        import_file(indicator, "owid_by_sex.csv", "owid", columns={
            "Both sexes (%)": {}, "Females (%)": {"sex": "female"}, "Males (%)": {"sex": "male"}})
        stored = values(indicator)
        assert stored[("BGD", 2017, "female", "total", "total")] == 30.91
        assert stored[("BGD", 2017, "male", "total", "total")] == 54.3
        assert stored[("BGD", 2017, "total", "total", "total")] == 42.51

    def test_lines_known_to_be_wrong_are_left_out_once_each_with_their_reason(self):
        indicator = IndicatorFactory(code="ITU.MOBILE.OWN")
        result = import_file(indicator, "owid_by_sex.csv", "owid", exclude_lines={3: "Source error."}, columns={
            "Both sexes (%)": {}, "Females (%)": {"sex": "female"}, "Males (%)": {"sex": "male"}})
        assert [(s.line, s.column, s.value, s.message) for s in result.skipped] == [
            (3, "Entity", "BGD", "Source error.")]
        assert {key[0] for key in values(indicator)} == {"KEN", "BLR"}


class TestWdiImport:
    def test_wide_file_with_preamble_imports_the_indicator_series_only(self):
        indicator = internet_indicator()
        result = import_file(indicator, "wdi_good.csv", "wdi")
        stored = values(indicator)
        assert stored[("NPL", 2021, "total", "total", "total")] == 51.6
        assert stored[("WLD", 2023, "total", "total", "total")] == 67.4
        assert stored[("SRC-LDC", 2022, "total", "total", "total")] == 35.0
        assert result.other_series == 4  # the mobile-subscriptions row's four year cells
        assert len(stored) == 11

    def test_bad_row_imports_nothing_and_is_named(self):
        indicator = internet_indicator()
        with pytest.raises(ImportFailed) as caught:
            import_file(indicator, "wdi_bad_row.csv", "wdi")
        [error] = caught.value.errors
        assert (error.line, error.column, error.value) == (7, "2022", "140.2")
        assert "cannot exceed 100" in error.message
        assert not Observation.objects.exists()

    def test_unknown_country_code_is_reported(self):
        indicator = internet_indicator()
        with pytest.raises(ImportFailed) as caught:
            import_file(indicator, "wdi_unknown.csv", "wdi")
        assert [(e.line, e.column, e.value) for e in caught.value.errors] == [(7, "Country Code", "RUR")]

    def test_file_without_the_wdi_header_is_refused_whole(self):
        with pytest.raises(ImportFailed) as caught:
            import_file(internet_indicator(), "owid_unknown.csv", "wdi")
        assert "Country Name" in caught.value.file_error


class TestItuImport:
    def test_long_file_imports_values_and_notes(self):
        indicator = internet_indicator()
        import_file(indicator, "itu_good.csv", "itu")
        kenya = Observation.objects.get(indicator=indicator, country__iso3="KEN")
        assert (kenya.year, kenya.value, kenya.note, kenya.source) == (2022, 40.8, "ITU estimate", "ITU")
        assert values(indicator)[("CIV", 2022, "total", "total", "total")] == 38.4

    def test_negative_value_fails_the_import_naming_the_row(self):
        with pytest.raises(ImportFailed) as caught:
            import_file(internet_indicator(), "itu_bad_row.csv", "itu")
        assert [(e.line, e.column, e.value) for e in caught.value.errors] == [(3, "dataValue", "-3")]
        assert not Observation.objects.exists()

    def test_unknown_name_without_code_is_reported(self):
        with pytest.raises(ImportFailed) as caught:
            import_file(internet_indicator(), "itu_unknown.csv", "itu")
        assert [(e.line, e.value) for e in caught.value.errors] == [(3, "Neverland")]


class TestSdmxImport:
    def test_disaggregations_by_sex_area_and_age_and_m49_codes(self):
        indicator = internet_indicator()
        result = import_file(indicator, "sdmx_good.csv", "sdmx")
        stored = values(indicator)
        assert stored[("KEN", 2022, "female", "total", "total")] == 36.1
        assert stored[("KEN", 2022, "total", "rural", "total")] == 28.5
        assert stored[("NPL", 2022, "total", "total", "15-24")] == 80.1
        assert stored[("WLD", 2022, "total", "total", "total")] == 67.0  # M49 001 is the world
        assert result.country_rows == 8 and result.aggregate_rows == 1
        assert Observation.objects.get(indicator=indicator, country__iso3="KEN", area="urban").note == "survey"

    def test_bad_code_and_duplicate_rows_are_all_reported(self):
        with pytest.raises(ImportFailed) as caught:
            import_file(internet_indicator(), "sdmx_bad_row.csv", "sdmx")
        errors = [(e.line, e.column, e.value) for e in caught.value.errors]
        assert errors == [(3, "SEX", "X"), (4, "TIME_PERIOD", "2022")]
        assert "duplicate of row 2" in caught.value.errors[1].message
        assert not Observation.objects.exists()

    def test_unknown_m49_code_is_reported(self):
        with pytest.raises(ImportFailed) as caught:
            import_file(internet_indicator(), "sdmx_unknown.csv", "sdmx")
        assert [(e.line, e.column, e.value) for e in caught.value.errors] == [(3, "REF_AREA", "999")]

    def test_file_with_several_series_asks_for_one(self):
        text = ("DATAFLOW,SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE\n"
                "DF,IT_USE_ii99,404,2022,40.8\nDF,IT_MOB_OWN,404,2022,60.1\n")
        indicator = internet_indicator()
        with pytest.raises(ImportFailed) as caught:
            observations_import(indicator=indicator, data=text, fmt="sdmx")
        assert "several series" in caught.value.file_error
        result = observations_import(indicator=indicator, data=text, fmt="sdmx", series="IT_MOB_OWN")
        assert result.created == 1 and result.other_series == 1
        assert values(indicator)[("KEN", 2022, "total", "total", "total")] == 60.1


class TestImportPermission:
    def test_only_the_secretariat_may_import_and_the_audit_row_names_them(self):
        from django.core.exceptions import PermissionDenied

        from wsis.accounts.tests.factories import UserFactory
        from wsis.core.permissions import Role, RoleGrant

        indicator = internet_indicator()
        with pytest.raises(PermissionDenied):
            import_file(indicator, "owid_good.csv", "owid", actor=UserFactory())
        assert not Observation.objects.exists()
        secretariat = UserFactory()
        RoleGrant.objects.create(user=secretariat, role=Role.SECRETARIAT)
        import_file(indicator, "owid_good.csv", "owid", actor=secretariat)
        assert AuditLog.objects.get(action="indicators.observation.import").actor == secretariat
