"""Form and layout of the stocktaking pages without JavaScript (issue 14): the country picker (regions with a
checkbox per country), checkboxes beside their labels, the search page's "Skip to results" link and its
filters behind a "Filters (n)" disclosure after which the results come. The same pages in a real browser, at
375 px and on a desktop, are in tests/e2e/test_form_layout.py."""

import re

import pytest
from django.urls import reverse

from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative, member
from wsis.taxonomy.models import Country, Region

pytestmark = pytest.mark.django_db
State = Initiative.State


def url(name, *args):
    return reverse(f"stocktaking:{name}", args=args)


def form_data(org, **extra):
    data = {
        "organisation": org.pk, "title": "Mobile clinics on the road", "summary": "Clinics in vans.",
        "language": "en", "kind": "project", "status": "ongoing", "coverage": "national",
        "primary_action_line": "C7.4", "goals": ["3"], "gender_marker": "0", "action": "save",
    }
    data.update(extra)
    return data


def picker(html: str) -> str:
    """The country picker's HTML: from its fieldset to the end of that fieldset."""
    start = html.index('<fieldset class="form-row choice-group grouped')
    return html[start:html.index("</fieldset>", start)]


class TestCountryPicker:
    def test_countries_are_checkboxes_grouped_by_region_not_a_ctrl_click_list(self, client):
        user = member()
        client.force_login(user)
        html = client.get(url("create")).content.decode()
        assert not re.search(r'<select[^>]*name="countries"', html)
        assert "Ctrl" not in html
        part = picker(html)
        assert "<legend" in part and "Countries" in part
        boxes = re.findall(r'<input type="checkbox" name="countries" value="([A-Z]{3})"', part)
        assert len(boxes) == Country.objects.count() and len(set(boxes)) == len(boxes)
        summaries = re.findall(r'<span class="group-name">([^<]+)</span>', part)
        regions = set(Region.objects.filter(level=Region.Level.REGION).values_list("name_en", flat=True))
        assert regions <= set(summaries)
        assert len(summaries) == len(set(summaries))
        # Kenya is under Africa, each box in its own label (the text beside the box).
        africa = part[part.index('<span class="group-name">Africa</span>'):]
        africa = africa[:africa.index("</details>")]
        assert re.search(r'<label for="id_countries_\d+_\d+"><input type="checkbox" name="countries" value="KEN"'
                         r'[^>]*>\s*Kenya</label>', africa)
        # Nothing chosen yet: every region is closed.
        assert "<details open>" not in part

    def test_a_chosen_country_opens_its_region_and_is_named_in_its_summary(self, client):
        user = member()
        client.force_login(user)
        org = user.memberships.get().organisation
        initiative = make_initiative(user=user, organisation=org, countries=[
            Country.objects.get(iso3="KEN"), Country.objects.get(iso3="NPL")])
        part = picker(client.get(url("edit", initiative.pk)).content.decode())
        opened = re.findall(r'<details open>\s*<summary><span class="group-name">([^<]+)</span>'
                            r'<span class="chosen">: ([^<]*)</span>', part)
        assert dict(opened) == {"Africa": "Kenya", "Asia": "Nepal"}
        assert re.search(r'value="KEN"[^>]*checked', part) and re.search(r'value="NPL"[^>]*checked', part)

    def test_ticked_boxes_are_saved_without_javascript(self, client):
        user = member()
        client.force_login(user)
        org = user.memberships.get().organisation
        response = client.post(url("create"), form_data(org, countries=["KEN", "NPL", "VNM"]))
        assert response.status_code == 302
        initiative = Initiative.objects.get(title="Mobile clinics on the road")
        assert set(initiative.countries.values_list("iso3", flat=True)) == {"KEN", "NPL", "VNM"}

    def test_an_unknown_country_is_refused_with_the_field_named_and_nothing_saved(self, client):
        user = member()
        client.force_login(user)
        org = user.memberships.get().organisation
        response = client.post(url("create"), form_data(org, countries=["KEN", "XXX"]))
        assert response.status_code in (200, 400)
        html = response.content.decode()
        assert 'href="#id_countries"' in html and "Countries" in html
        assert 'id="id_countries"' in html  # the link's target: the picker itself
        assert not Initiative.objects.filter(title="Mobile clinics on the road").exists()

    def test_the_type_ahead_knows_names_in_six_languages_and_aliases(self, client):
        user = member()
        client.force_login(user)
        part = picker(client.get(url("create")).content.decode())

        def keys(iso3):
            return re.search(rf'value="{iso3}"[^>]*data-keys="([^"]*)"', part).group(1).split()

        assert "vietnam" in keys("VNM")
        assert any("turkey" in k for k in keys("TUR")) and any("turkiye" in k for k in keys("TUR"))
        assert any("cotedivoire" in k for k in keys("CIV"))
        kenya = keys("KEN")
        assert {"kenya", "кения", "كينيا", "肯尼亚"} <= set(kenya)  # "ken", the ISO code, is inside "kenya"
        assert "npl" in keys("NPL")
        # No key is inside another key of the same country (the attribute stays short).
        for iso3 in ("VNM", "TUR", "KEN", "GBR", "USA"):
            ks = keys(iso3)
            assert not [a for a in ks for b in ks if a != b and a in b], iso3

    def test_the_picker_is_in_the_page_language_with_arabic_names(self, client):
        user = member()
        client.force_login(user)
        html = client.get(reverse("stocktaking:create").replace("/en/", "/ar/", 1)).content.decode()
        part = picker(html)
        kenya = Country.objects.get(iso3="KEN")
        assert re.search(rf'value="KEN"[^>]*>\s*{kenya.name_ar}</label>', part)
        africa = Region.objects.get(level=Region.Level.REGION, name_en="Africa")
        assert f'<span class="group-name">{africa.name_ar}</span>' in part


class TestCheckboxesBesideLabels:
    def test_choice_checkboxes_sit_inside_their_labels(self, client):
        user = member()
        client.force_login(user)
        html = client.get(url("create")).content.decode()
        # A group of choices (further action lines, SDGs, target groups): each box inside its label.
        assert re.search(r'<label class="choice" for="id_action_lines_\d+"><input type="checkbox" '
                         r'name="action_lines" value="C1"[^>]*> C1', html)
        assert re.search(r'<label class="choice" for="id_goals_\d+"><input type="checkbox" name="goals"', html)
        # No checkbox of the form is left without a label naming it.
        for box_id in re.findall(r'<input type="checkbox"[^>]*id="([^"]+)"', html):
            assert f'for="{box_id}"' in html, box_id


class TestSearchLayout:
    def test_skip_to_results_is_the_first_link_and_points_at_the_results(self, client):
        make_initiative(state=State.PUBLISHED, title="Rural broadband")
        html = client.get(url("search")).content.decode()
        body = html[html.index("<body"):]
        first_link = re.search(r"<a [^>]*>", body).group(0)
        assert 'href="#results-heading"' in first_link and "skip-link" in first_link
        assert "Skip to results" in body[:body.index("</a>")]
        assert re.search(r'<h2 id="results-heading"[^>]*tabindex="-1"', html)
        # The generic skip link is still there, after it.
        assert body.index('href="#results-heading"') < body.index('href="#main"')

    def test_filters_are_a_closed_disclosure_before_the_results_counting_active_filters(self, client):
        make_initiative(state=State.PUBLISHED, title="Telehealth in Kenya")
        html = client.get(url("search"), {"q": "telehealth", "country": "KEN", "goal": "4",
                                          "sort": "title"}).content.decode()
        details = re.search(r'<details class="filters-panel" id="filters"( open)?>\s*<summary[^>]*>([^<]+)</summary>',
                            html)
        assert details, "the filters are not in a <details> disclosure"
        assert details.group(1) is None  # closed: on a phone the results come first
        assert details.group(2).strip() == "Filters (2)"  # country and goal; the words and the sort are not filters
        # Every facet is inside the disclosure, and the results follow it.
        end = html.index("</details>", details.start())
        assert html.index('id="facet-country"') < end
        assert html.index('id="results-heading"') > end
        assert "Telehealth in Kenya" in html[end:]

    def test_no_filter_counts_zero(self, client):
        make_initiative(state=State.PUBLISHED)
        html = client.get(url("search")).content.decode()
        assert re.search(r"<summary[^>]*>\s*Filters \(0\)\s*</summary>", html)

    def test_a_facets_full_list_opens_the_disclosure_without_javascript(self, client):
        make_initiative(state=State.PUBLISHED, title="Many countries",
                        countries=list(Country.objects.order_by("iso3")[:30]))
        html = client.get(url("search")).content.decode()
        more = re.search(r'<a href="\?all=country#facet-country">', html)
        assert more, "the country facet's hidden values have no link"
        full = client.get(url("search"), {"all": "country"}).content.decode()
        assert re.search(r'<details class="filters-panel" id="filters" open>', full)
        facet = full[full.index('id="facet-country"'):]
        facet = facet[:facet.index("</fieldset>")]
        assert len(re.findall(r'name="country"', facet)) == 30

    def test_the_htmx_fragment_keeps_the_disclosure_and_the_results_target(self, client):
        make_initiative(state=State.PUBLISHED)
        html = client.get(url("search"), {"country": "KEN"}, HTTP_HX_REQUEST="true").content.decode()
        assert "<html" not in html
        assert 'id="filters"' in html and "Filters (1)" in html and 'id="results-heading"' in html

    def test_downloads_follow_the_results_so_the_first_result_is_a_few_tabs_away(self, client):
        make_initiative(state=State.PUBLISHED, title="Rural broadband")
        html = client.get(url("search")).content.decode()
        section = html[html.index('id="results-heading"'):]
        links_before_first_result = section[:section.index("Rural broadband")]
        # Between the results heading and the first result: the sort menu and nothing else to tab through.
        assert "<a " not in links_before_first_result.split('class="result-list"')[0]
        assert section.index("Download these results") > section.index("Rural broadband")


class TestMainMenu:
    def test_every_section_is_a_link_of_the_main_menu(self, client):
        response = client.get(url("search"))
        html = response.content.decode()
        nav = html[html.index('class="main-nav"'):]
        nav = nav[:nav.index("</nav>")]
        items = response.context["NAV_ITEMS"]
        assert len(items) >= 8
        for item in items:
            assert f'<a href="{item["url"]}"' in nav, item["label"]
        for label in ("Initiatives", "Countries", "Regional reviews", "WSIS Forum"):
            assert label in [str(i["label"]) for i in items]
