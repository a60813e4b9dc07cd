"""Indicator pages: render in English and Arabic, show source and licence, offer CSV, bounded queries."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from wsis.indicators.services import observations_import
from wsis.indicators.tests.factories import DATA, IndicatorFactory, internet_indicator, observe
from wsis.taxonomy.models import Goal

pytestmark = pytest.mark.django_db


def url(name, *args, lang="en", query=""):
    with translation.override(lang):
        return reverse(f"indicators:{name}", args=args) + (f"?{query}" if query else "")


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def data():
    indicator = internet_indicator(source="ITU via OWID", licence="CC BY 4.0")
    observations_import(indicator=indicator, data=DATA / "wdi_good.csv", fmt="wdi")
    for iso3, value in (("AFG", 18.0), ("BGD", 38.0), ("FJI", 70.0)):
        observe(indicator, iso3, 2022, value)
    mobile = IndicatorFactory(code="ITU.MOBILE.OWN", name_en="Mobile ownership by sex")
    observe(mobile, "BGD", 2017, 54.3, sex="male")
    observe(mobile, "BGD", 2017, 30.9, sex="female")
    return indicator


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize(("name", "args"), [("list", []), ("detail", ["IT.NET.USER.ZS"]), ("groups", []),
                                            ("divides", []), ("need", [])])
def test_pages_render_with_source_and_licence(client, data, lang, name, args):
    response = client.get(url(name, *args, lang=lang))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html and html.count("<h1") == 1
    if name != "list":
        assert "CC BY 4.0" in html


def test_list_shows_catalogue_and_wsis_targets(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        html = client.get(url("list")).content.decode()
    assert "Individuals using the Internet" in html and "IT.NET.USER.ZS" in html
    assert "Connect villages with ICTs" in html  # a WSIS target with no indicator still listed


def test_detail_has_chart_comparison_sorted_and_country_line(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(url("detail", "IT.NET.USER.ZS", query="sort=-value&country=NPL"))
    html = response.content.decode()
    assert "<svg" in html and "<title" in html and "Nepal" in html
    assert 'aria-sort="descending"' in html
    table = html[html.index('id="comparison-table"'):]
    assert table.index("Fiji") < table.index("Afghanistan")  # 70 before 18 when sorted by value, highest first


def test_detail_comparison_csv_and_htmx_partial(client, data):
    rows = csv_rows(client.get(url("detail", "IT.NET.USER.ZS", query="format=csv&sort=value")))
    assert rows[0] == ["Country or area", "ISO3", "Year", "Value", "Unit"]
    assert rows[1][:4] == ["Afghanistan", "AFG", "2022", "18.0"]
    assert ["Licence", "CC BY 4.0"] in rows
    partial = client.get(url("detail", "IT.NET.USER.ZS"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Afghanistan" in partial


def test_all_observations_csv(client, data):
    rows = csv_rows(client.get(url("observations-csv", "IT.NET.USER.ZS")))
    assert rows[0][:5] == ["iso3", "aggregate_code", "aggregate_name", "year", "value"]
    assert ["", "WLD", "World", "2023", "67.4"] in [r[:5] for r in rows]
    assert ["Licence", "CC BY 4.0"] in rows


def test_unknown_indicator_is_404(client, data):
    assert client.get(url("detail", "NOPE")).status_code == 404


def test_group_page_states_the_method_beside_each_value(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        html = client.get(url("groups", query="indicator=IT.NET.USER.ZS&year=2022")).content.decode()
    assert "Median of 3 of 44 countries reporting (not population-weighted: no population data)" in html
    assert "No population series is loaded" in html
    rows = csv_rows(client.get(url("groups", query="indicator=IT.NET.USER.ZS&year=2022&format=csv")))
    ldc = next(r for r in rows if r and r[0] == "Least developed countries")
    assert ldc[3] == "38.0" and ldc[5] == "3" and ldc[6] == "44"


def test_group_page_with_bad_year_shows_the_error_not_a_500(client, data):
    response = client.get(url("groups", query="year=abc"))
    assert response.status_code == 200 and "Enter a whole number" in response.content.decode()


def test_divides_page_and_csv(client, data):
    html = client.get(url("divides")).content.decode()
    assert "Bangladesh" in html and "23.4" in html
    assert "None of the series shipped with the platform is disaggregated by urban and rural area" in html
    rows = csv_rows(client.get(url("divides", query="table=gender&format=csv")))
    assert rows[1][:2] == ["Bangladesh", "BGD"]


def test_need_page_full_partial_and_csv(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(18):  # constant: filter choices, groups, one query per table part
        html = client.get(url("need", query="group=LDC")).content.decode()
    assert "not per million people" in html and "Afghanistan" in html
    partial = client.get(url("need", query="group=SIDS"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Fiji" in partial and "Afghanistan" not in partial
    rows = csv_rows(client.get(url("need", query="group=LDC&format=csv")))
    assert [r[2] for r in rows[1:4]] == ["AFG", "BGD", "NPL"]


def test_country_section_on_the_country_page(client, data, django_assert_max_num_queries):
    with translation.override("en"):
        page = reverse("taxonomy:country", args=["NPL"])
    with django_assert_max_num_queries(20):
        html = client.get(page).content.decode()
    assert "ict-indicators-heading" in html and "49.6" in html
    assert "Least developed countries" in html
    # The world column is the source's own (population-weighted) value where it publishes one.
    assert "64.4" in html and "World value published by the source" in html


def test_commission_and_goal_sections(client, data):
    with translation.override("en"):
        commission = reverse("taxonomy:commission", args=["escap"])
        goal = reverse("taxonomy:goal", args=[17])
    html = client.get(commission).content.decode()
    assert "ict-commission-heading" in html and "Nepal" in html
    data.sdg_indicator = Goal.objects.get(number=17).targets.get(code="17.8").indicators.get(code="17.8.1")
    data.save()
    assert "ict-goal-heading" in client.get(goal).content.decode()


def test_home_section(client, data):
    with translation.override("en"):
        html = client.get(reverse("core:home")).content.decode()
    assert "ict-home-heading" in html


class TestImportPage:
    def secretariat(self):
        from wsis.accounts.tests.factories import UserFactory
        from wsis.core.permissions import Role, RoleGrant

        user = UserFactory()
        RoleGrant.objects.create(user=user, role=Role.SECRETARIAT)
        return user

    def upload(self, client, name, **extra):
        from django.core.files.uploadedfile import SimpleUploadedFile

        payload = {"indicator": "IT.NET.USER.ZS", "format": "owid",
                   "file": SimpleUploadedFile(name, (DATA / name).read_bytes(), content_type="text/csv"), **extra}
        return client.post(url("import"), payload)

    def test_anonymous_is_sent_to_sign_in_and_others_are_refused(self, client):
        from wsis.accounts.tests.factories import UserFactory

        assert client.get(url("import")).status_code == 302
        client.force_login(UserFactory())
        assert client.get(url("import")).status_code == 403

    def test_bad_file_lists_each_row_and_imports_nothing(self, client):
        from wsis.indicators.models import Observation

        internet_indicator()
        client.force_login(self.secretariat())
        response = self.upload(client, "owid_bad_row.csv")
        html = response.content.decode()
        assert response.status_code == 400 and "Nothing was imported" in html
        assert "<code>forty</code>" in html and "<code>20x2</code>" in html
        assert not Observation.objects.exists()

    def test_good_file_imports_and_lists_skipped_rows(self, client):
        from wsis.indicators.models import Observation

        internet_indicator()
        client.force_login(self.secretariat())
        response = self.upload(client, "owid_good.csv")
        assert response.status_code == 200 and "OWID_KOS" in response.content.decode()
        assert Observation.objects.filter(country__iso3="KEN").count() == 2

    def test_missing_file_error_is_tied_to_its_input(self, client):
        internet_indicator()
        client.force_login(self.secretariat())
        response = client.post(url("import"), {"indicator": "IT.NET.USER.ZS", "format": "owid"})
        html = response.content.decode()
        assert response.status_code == 400
        assert 'aria-describedby="id_file_helptext id_file_error"' in html and 'id="id_file_error"' in html
