"""The registry that apps fill from ready(): ordering, conflicts, loud failures, and the site's own entries."""

import pytest
from django.apps import apps
from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from django.test import RequestFactory

from wsis.core.navigation import nav_items
from wsis.core.registry import Registry, registry


def _noop(ctx):
    return None


def test_registering_the_same_entry_twice_changes_nothing():
    reg = Registry()
    for _ in range(2):
        reg.add_urls("wsis.core.urls")
        reg.add_nav("core:home", "Home", order=1)
        reg.add_demo_seeder("a", "wsis.core.tests.test_registry._noop", order=1)
    assert [m.__name__ for m in reg.url_modules()] == ["wsis.core.urls"]
    assert [e.url_name for e in reg.nav_entries()] == ["core:home"]
    assert [s.name for s in reg.demo_seeders()] == ["a"]


def test_a_different_entry_under_a_taken_key_raises():
    reg = Registry()
    reg.add_nav("core:home", "Home", order=1)
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        reg.add_nav("core:home", "Home", order=2)
    reg.add_demo_seeder("a", "x.seed", order=1)
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        reg.add_demo_seeder("a", "y.seed", order=1)


def test_a_registered_path_that_does_not_import_raises():
    reg = Registry()
    reg.add_section("home", "wsis.core.no_such_module.home_section")
    reg.add_api_router("wsis.core.views.no_such_router")
    reg.add_urls("wsis.core.no_such_urls")
    with pytest.raises(ImportError):
        reg.section_providers("home")
    with pytest.raises(ImportError):
        reg.api_routers()
    with pytest.raises(ImportError):
        reg.url_modules()


def test_the_system_check_reports_what_cannot_be_loaded():
    reg = Registry()
    reg.add_urls("wsis.core.urls")
    reg.add_section("home", "wsis.core.sections.no_such_provider")
    reg.add_demo_seeder("a", "wsis.core.no_such_module.seed", order=1)
    errors = reg.errors()
    assert [e.id for e in errors] == ["core.E001", "core.E001"]
    assert "demo seeders" in errors[0].msg and "'home' sections" in errors[1].msg
    assert registry.errors() == []


def test_a_url_module_without_a_namespace_raises():
    reg = Registry()
    reg.add_urls("wsis.core.views")  # imports, but is no URLconf with app_name
    with pytest.raises(ImproperlyConfigured, match="app_name"):
        reg.url_modules()


def test_demo_seeders_honour_dependencies_then_order():
    reg = Registry()
    reg.add_demo_seeder("late", "m.seed", order=1, after=["base"])
    reg.add_demo_seeder("base", "m.seed", order=50)
    reg.add_demo_seeder("free", "m.seed", order=10)
    reg.add_demo_seeder("also", "m.seed", order=10)
    assert [s.name for s in reg.demo_seeders()] == ["also", "free", "base", "late"]


def test_a_missing_dependency_or_a_cycle_raises():
    reg = Registry()
    reg.add_demo_seeder("a", "m.seed", order=1, after=["nobody"])
    with pytest.raises(ImproperlyConfigured, match="no app registers"):
        reg.demo_seeders()
    reg = Registry()
    reg.add_demo_seeder("a", "m.seed", order=1, after=["b"])
    reg.add_demo_seeder("b", "m.seed", order=1, after=["a"])
    with pytest.raises(ImproperlyConfigured, match="cycle"):
        reg.demo_seeders()


def test_reading_before_the_apps_are_ready_raises(monkeypatch):
    monkeypatch.setattr(apps, "ready", False)
    with pytest.raises(AppRegistryNotReady):
        Registry().api_routers()


def test_the_site_registers_its_menu_in_order():
    request = RequestFactory().get("/en/analytics/")
    items = nav_items(request)
    assert [str(item["label"]) for item in items] == [
        "Initiatives", "Action lines", "SDGs", "WSIS–SDG Matrix", "Analytics", "ICT indicators", "Countries",
        "Regional reviews", "Reports", "WSIS Forum", "WSIS Prizes", "Road maps", "Open data",
    ]
    assert [item["label"] for item in items if item["active"]] == ["Analytics"]


def test_a_nav_entry_with_a_permission_shows_only_to_whom_it_allows():
    reg = Registry()
    reg.add_nav("core:home", "Everyone", order=2)
    reg.add_nav("admin:index", "Staff", order=1, permission=lambda request: request.user.is_staff)

    class Visitor:
        is_staff = False

    request = RequestFactory().get("/")
    request.user = Visitor()
    assert [e.label for e in reg.nav_entries() if e.visible_to(request)] == ["Everyone"]
    Visitor.is_staff = True
    assert [e.label for e in reg.nav_entries() if e.visible_to(request)] == ["Staff", "Everyone"]


def test_the_site_registers_its_sections_and_seeders():
    modules = {page: [f"{p.__module__}.{p.__name__}" for p in registry.section_providers(page)]
               for page in registry.section_pages()}
    assert modules["home"] == ["wsis.taxonomy.sections.home_section", "wsis.stocktaking.sections.home_section", "wsis.indicators.sections.home_section",
                               "wsis.forum.sections.home_section", "wsis.prizes.sections.home_section"]
    assert modules["commission"] == ["wsis.analytics.sections.commission_section",
                                     "wsis.indicators.sections.commission_section",
                                     "wsis.reviews.sections.commission_section"]
    assert modules["moderation"] == ["wsis.classify.sections.moderation_section"]
    assert [s.name for s in registry.demo_seeders()] == [
        "taxonomy", "accounts", "stocktaking", "indicators", "analytics", "reviews", "reports", "forum",
        "coordination", "prizes",
    ]
