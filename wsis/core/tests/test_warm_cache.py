"""``manage.py warm_cache``: the apps' costly public pages rendered once into the shared caches."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from wsis.core.registry import registry
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative

pytestmark = pytest.mark.django_db


def warm(*args) -> list[str]:
    out = io.StringIO()
    call_command("warm_cache", *args, stdout=out)
    return out.getvalue().splitlines()


def test_every_app_registers_its_costly_pages():
    names = {f"{p.__module__}.{p.__name__}" for p in registry.warm_path_providers()}
    assert {"wsis.core.warm.paths", "wsis.stocktaking.warm.paths", "wsis.analytics.warm.paths"} <= names


@override_settings(DATA_CACHE_SECONDS=3600, PUBLIC_PAGE_CACHE_SECONDS=60)
def test_the_pages_are_rendered_then_served_from_the_cache(client):
    make_initiative(state=Initiative.State.PUBLISHED)  # in Kenya: the country with the most initiatives
    lines = warm("--limit", "1", "--languages", "en", "fr")
    rendered = [line.split()[1] for line in lines if line.startswith("200 ")]
    for path in ("/en/", "/en/initiatives/", "/en/feeds/initiatives.atom", "/en/countries/KEN/",
                 "/en/analytics/", "/en/analytics/countries/KEN/", "/fr/", "/fr/countries/KEN/"):
        assert path in rendered
    assert lines[-1].startswith(f"Rendered {len(rendered)} page(s)")
    # A first visitor now gets the anonymous copy instead of computing the page.
    for path in ("/en/", "/en/initiatives/", "/en/countries/KEN/", "/fr/"):
        assert client.get(path)["X-Page-Cache"] == "hit", path


def test_without_initiatives_only_the_fixed_pages():
    rendered = [line.split()[1] for line in warm("--limit", "5") if line.startswith("200 ")]
    assert rendered == ["/en/", "/en/initiatives/", "/en/feeds/initiatives.atom", "/en/analytics/"]


def test_bad_options_are_refused_by_name():
    with pytest.raises(CommandError, match="--languages: unknown code"):
        warm("--languages", "xx")
    with pytest.raises(CommandError, match="--limit"):
        warm("--limit", "-1")
