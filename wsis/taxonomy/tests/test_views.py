"""Public taxonomy pages render in English and Arabic, without JavaScript, with bounded queries."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from wsis.taxonomy import models

pytestmark = pytest.mark.django_db

PAGES = [
    ("core:home", []),
    ("taxonomy:action-lines", []),
    ("taxonomy:action-line", ["c7-4"]),
    ("taxonomy:action-line", ["c7"]),
    ("taxonomy:goals", []),
    ("taxonomy:goal", [9]),
    ("taxonomy:target", ["9.c"]),
    ("taxonomy:matrix", []),
    ("taxonomy:matrix-cell", ["c2", 9]),
    ("taxonomy:countries", []),
    ("taxonomy:country", ["NPL"]),
    ("taxonomy:commissions", []),
    ("taxonomy:commission", ["escap"]),
]


def url_in(lang, name, args):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.mark.parametrize(("name", "args"), PAGES)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_page_renders_in_language_with_direction(client, lang, name, args):
    url = url_in(lang, name, args)
    assert url.startswith(f"/{lang}/")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert 'class="skip-link"' in html and 'id="main"' in html
    # The language switcher links every page to its five translations.
    for other in ("ar", "en", "es", "fr", "ru", "zh-hans"):
        assert f'hreflang="{other}"' in html


def test_reference_names_follow_the_language(client):
    assert "Kenya" in client.get(url_in("en", "taxonomy:country", ["KEN"])).content.decode()
    assert "كينيا" in client.get(url_in("ar", "taxonomy:country", ["KEN"])).content.decode()
    assert "肯尼亚" in client.get(url_in("zh-hans", "taxonomy:country", ["KEN"])).content.decode()
    goal = models.Goal.objects.get(number=4)
    assert goal.title_ru in client.get(url_in("ru", "taxonomy:goal", [4])).content.decode()


def test_root_redirects_by_accept_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    assert response.status_code == 302 and response["Location"] == "/es/"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response["Location"] == "/zh-hans/"


def test_matrix_page_lists_every_link(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        html = client.get(url_in("en", "taxonomy:matrix", [])).content.decode()
    version = models.MatrixVersion.objects.get(is_current=True)
    links = models.MatrixLink.objects.filter(version=version).select_related("action_line", "goal", "target")
    cells = {(link.action_line.slug, link.goal.number) for link in links}
    for slug, number in cells:
        assert reverse("taxonomy:matrix-cell", args=[slug, number]) in html
    for link in links.exclude(target=None):
        item = re.search(rf">{re.escape(link.action_line.code)} → SDG {link.goal.number}</a>: ([^<]*)</li>", html)
        assert item and link.target.code in item.group(1).split(", ")
    assert models.ActionLine.objects.filter(is_leaf=True).count() == html.count('<tr><th scope="row"><a href=')


def test_matrix_cell_shows_rationale_and_htmx_partial(client):
    link = models.MatrixLink.objects.filter(action_line__code="C2", target__code="9.c").get()
    url = url_in("en", "taxonomy:matrix-cell", ["c2", 9])
    full = client.get(url).content.decode()
    assert "<html" in full and link.rationale.split("\n")[0][:40] in full
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "9.c" in partial


def test_country_filters(client, django_assert_max_num_queries):
    url = url_in("en", "taxonomy:countries", [])
    with django_assert_max_num_queries(8):
        html = client.get(url, {"commission": "ESCAP", "ldc": "on"}).content.decode()
    assert "Nepal" in html and "Kenya" not in html
    html = client.get(url, {"sids": "on", "region": "019"}).content.decode()
    assert "Jamaica" in html and "Fiji" not in html
    html = client.get(url, {"q": "KEN"}).content.decode()
    assert "Kenya" in html and "1 country or area" in html


def test_country_page_shows_groups_with_list_date(client):
    html = client.get(url_in("en", "taxonomy:country", ["npl"])).content.decode()
    assert "ESCAP" in html and "LDC" in html and "LLDC" in html
    assert "list of" in html


def test_unknown_objects_are_404(client):
    assert client.get(url_in("en", "taxonomy:country", ["XYZ"])).status_code == 404
    assert client.get(url_in("en", "taxonomy:goal", [18])).status_code == 404
    assert client.get(url_in("en", "taxonomy:matrix-cell", ["c7", 4])).status_code == 404


def test_healthz_checks_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
