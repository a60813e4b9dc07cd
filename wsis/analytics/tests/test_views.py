"""Analytics pages: full page and HTMX partial, filters in the URL, CSV, query counts, sections."""

import pytest
from django.urls import reverse
from django.utils import translation

from wsis.stocktaking.filters import InitiativeFilters

pytestmark = pytest.mark.django_db


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(name, args=args)


PAGES = [
    ("analytics:coverage", []),
    ("analytics:cell", ["c2", 9]),
    ("analytics:gaps", []),
    ("analytics:trends", []),
    ("analytics:country", ["KEN"]),
    ("analytics:region", ["002"]),
    ("analytics:commission", ["eca"]),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_page_renders_full_and_as_htmx_partial(client, dataset, name, args, lang, django_assert_max_num_queries):
    address = url(name, *args, lang=lang) + "?region=002&stakeholder_type=government&year_from=2015"
    with django_assert_max_num_queries(40):
        full = client.get(address)
    assert full.status_code == 200
    html = full.content.decode()
    assert html.count("<h1") == 1 and f'dir="{"rtl" if lang == "ar" else "ltr"}"' in html
    partial = client.get(address, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()


def test_coverage_page_shows_counts_gaps_and_links_to_the_search(client, dataset, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = client.get(url("analytics:coverage") + "?region=002&group=ldc&stakeholder_type=government"
                              "&year_from=2019&year_to=2021")
    html = response.content.decode()
    assert "1 published initiative in this selection." in html
    # The selection is spelled out, so a printed or shared page says what it counts.
    assert ("Region: Africa · Country group: Least developed countries (LDC) · Stakeholder type: Government"
            in html)
    # The list behind the page carries the same filters to the stocktaking search.
    assert "region=002" in html and "group=ldc" in html and "stakeholder_type=government" in html
    assert "ldc=on" not in html
    cell = url("analytics:cell", "c2", 9)
    assert (f'href="{cell}?region=002&amp;group=ldc&amp;stakeholder_type=government&amp;year_from=2019&amp;year_to=2021"'
            in html)
    assert 'class="heat-0 gap"' in html and "◆" in html


def test_matrix_page_query_count_does_not_grow_with_data(client, dataset, django_assert_max_num_queries):
    from .factories import make_initiative, organisation

    org = organisation("academia", "FRA")
    for n in range(10):
        make_initiative(org=org, countries=["FRA"], action_lines=["C3", "C4"], goals=sorted({4, 9, n % 17 + 1}))
    with django_assert_max_num_queries(12):
        assert client.get(url("analytics:coverage")).status_code == 200


def test_bad_year_range_names_the_field_and_is_ignored(client, dataset):
    response = client.get(url("analytics:coverage") + "?year_from=2022&year_to=2019")
    html = response.content.decode()
    assert response.status_code == 200
    assert "The end year must not be before the start year." in html
    assert 'aria-describedby="id_year_to_error"' in html
    assert "1 published initiative in this selection." in html  # only the bad end year is dropped (I6, 2022)


def test_unknown_choice_is_reported_not_a_500(client, dataset):
    response = client.get(url("analytics:coverage") + "?kind=spaceship&year_from=abc")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unknown value: spaceship." in html and "not “abc”" in html


def test_matrix_csv_download(client, dataset):
    response = client.get(url("analytics:coverage") + "?format=csv&chart=coverage-matrix")
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Action line,SDG 1,SDG 2")
    c1 = next(line for line in lines if line.startswith("C1 "))
    assert c1.split(",")[1:3] == ["3", "1"] and c1.split(",")[-1] == "4"


def test_chart_csv_download_and_unknown_chart(client, dataset):
    response = client.get(url("analytics:trends") + "?year_from=2015&year_to=2022&format=csv&chart=trend-regions")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Year,")
    assert client.get(url("analytics:trends") + "?format=csv&chart=nope").status_code == 404


def test_country_page_gets_the_analytics_section(client, dataset):
    html = client.get(url("taxonomy:country", "KEN")).content.decode()
    assert "ICT initiatives in this country" in html
    assert url("analytics:country", "KEN") in html
    assert 'class="chart-svg"' in html and 'role="group"' in html  # charts whose bars are links are groups


def test_commission_and_action_line_pages_get_sections(client, dataset):
    assert "ICT initiatives in the member states" in client.get(url("taxonomy:commission", "eca")).content.decode()
    html = client.get(url("taxonomy:action-line", "c5")).content.decode()
    assert "Coverage of this action line" in html


def test_search_links_speak_the_one_spelling(db):
    from wsis.analytics.selectors import search_url

    link = search_url(InitiativeFilters(year_from=2019, group=["ldc"], year_to=2021), action_line="C5")
    assert link.endswith("?group=ldc&year_from=2019&year_to=2021&action_line=C5")


def test_filters_round_trip_as_query_parameters(db):
    from wsis.stocktaking.filters import parse_filters

    f = InitiativeFilters(region=["002"], group=["ldc"], year_from=2019, gender_marker=[0])
    assert f.as_query() == [("region", "002"), ("group", "ldc"), ("year_from", "2019"), ("gender_marker", "0")]
    assert parse_filters(dict(f.as_query())).filters == f
