"""What each app offers to the rest of the site, registered from its own ``AppConfig.ready()``.

Core and ``config/`` read this registry and name no app (the manner of Wagtail's hooks or NetBox's
registry). An app plugs itself in by registering, in ``ready()``:

- ``registry.add_urls("wsis.<app>.urls")``: a URLconf mounted under the language prefix, its
  ``app_name`` as namespace;
- ``registry.add_api_router("wsis.<app>.api.router")``: a django-ninja router added to ``/api/v1/``;
- ``registry.add_nav(url_name, label, order=…, permission=…)``: an entry of the main menu;
- ``registry.add_section(page, "wsis.<app>.sections.<page>_section")``: a provider of a section of a
  shared page (``home``, ``country``, …; see :mod:`wsis.core.sections`);
- ``registry.add_demo_seeder(name, "wsis.<app>.demo.seed", order=…, after=(…))``: a step of
  ``manage.py seed_demo``;
- ``registry.add_warm_paths("wsis.<app>.warm.paths")``: a function ``paths(limit=…)`` giving the app's
  costly public pages as ``(url name, args)``, which ``manage.py warm_cache`` renders once in each
  language so that the first visitors after a deployment or a cache flush do not pay for them.

Code is registered by dotted path and imported when first read, so ``ready()`` imports nothing of
the app's views. A path that does not import raises: nothing registered is ever skipped silently.
Registration is keyed (URL module, router path, URL name, page and provider, seeder name): repeating
an identical entry (a second ``apps.populate()``) changes nothing, a different entry under a taken
key raises :class:`~django.core.exceptions.ImproperlyConfigured`. Entries keep the order in which
apps register them (``INSTALLED_APPS`` order) unless they carry an explicit order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core import checks
from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from django.utils.module_loading import import_string

__all__ = ["DemoSeeder", "NavEntry", "Registry", "SectionProvider", "UrlModule", "check_registry", "registry"]


@dataclass(frozen=True)
class UrlModule:
    module: str  # dotted path of a URLconf with ``app_name`` (its namespace)

    def load(self):
        urlconf = import_module(self.module)
        if not getattr(urlconf, "app_name", None):
            raise ImproperlyConfigured(f"{self.module} is registered as page URLs but sets no app_name (namespace).")
        return urlconf


@dataclass(frozen=True)
class NavEntry:
    url_name: str  # "namespace:name" of a URL without arguments
    label: Any  # a lazy translation
    order: int
    # Who sees the entry: called with the request; None means everyone.
    permission: Callable[[Any], bool] | None = None

    def visible_to(self, request) -> bool:
        return self.permission is None or bool(self.permission(request))


@dataclass(frozen=True)
class SectionProvider:
    page: str
    provider: str  # dotted path of ``callable(**page_kwargs) -> Section | None``

    def load(self) -> Callable[..., Any]:
        return import_string(self.provider)


@dataclass(frozen=True)
class DemoSeeder:
    name: str
    seed: str  # dotted path of ``callable(ctx: DemoContext) -> None``
    order: int
    after: tuple[str, ...] = ()  # seeders that must have run first

    def load(self) -> Callable[[Any], None]:
        return import_string(self.seed)


class Registry:
    """Holds the entries; one instance, :data:`registry`, serves the site (tests may make their own)."""

    def __init__(self) -> None:
        self._urls: dict[str, UrlModule] = {}
        self._api_routers: dict[str, str] = {}
        self._nav: dict[str, NavEntry] = {}
        self._sections: dict[tuple[str, str], SectionProvider] = {}
        self._seeders: dict[str, DemoSeeder] = {}
        self._warm_paths: dict[str, str] = {}
        # Set for a registry built by hand (tests); the site's registry waits for apps.ready.
        self.check_ready = True

    # --- registering (from AppConfig.ready) ---

    @staticmethod
    def _put(table: dict, key, entry, what: str) -> None:
        present = table.get(key)
        if present is not None and present != entry:
            raise ImproperlyConfigured(f"{what} {key!r} is registered twice, differently: {present!r} and {entry!r}.")
        table.setdefault(key, entry)

    def add_urls(self, module: str) -> None:
        self._put(self._urls, module, UrlModule(module), "URL module")

    def add_api_router(self, router: str) -> None:
        self._put(self._api_routers, router, router, "API router")

    def add_nav(self, url_name: str, label, *, order: int, permission: Callable[[Any], bool] | None = None) -> None:
        self._put(self._nav, url_name, NavEntry(url_name, label, order, permission), "Navigation entry")

    def add_section(self, page: str, provider: str) -> None:
        self._put(self._sections, (page, provider), SectionProvider(page, provider), "Section provider")

    def add_demo_seeder(self, name: str, seed: str, *, order: int, after: Iterable[str] = ()) -> None:
        self._put(self._seeders, name, DemoSeeder(name, seed, order, tuple(after)), "Demo seeder")

    def add_warm_paths(self, provider: str) -> None:
        self._put(self._warm_paths, provider, provider, "Warm-path provider")

    # --- reading (config/urls.py, config/api.py, core) ---

    def _ready(self) -> None:
        if self.check_ready and not apps.ready:
            raise AppRegistryNotReady("The registry is read before every app's ready() has run.")

    def url_modules(self) -> list:
        """The URLconf modules, imported, in registration order."""
        self._ready()
        return [entry.load() for entry in self._urls.values()]

    def api_routers(self) -> list:
        """The django-ninja routers, imported, in registration order."""
        self._ready()
        return [import_string(path) for path in self._api_routers.values()]

    def nav_entries(self) -> list[NavEntry]:
        """The menu entries by ``order`` (then registration order)."""
        self._ready()
        return sorted(self._nav.values(), key=lambda entry: entry.order)

    def section_providers(self, page: str) -> list[Callable[..., Any]]:
        """The providers of ``page``'s sections, imported, in registration order."""
        self._ready()
        return [entry.load() for entry in self._sections.values() if entry.page == page]

    def section_pages(self) -> list[str]:
        self._ready()
        return list(dict.fromkeys(entry.page for entry in self._sections.values()))

    def demo_seeders(self) -> list[DemoSeeder]:
        """The seeders in an order that honours every ``after``, the lowest ``order`` first among those
        free to run. A missing dependency or a cycle raises."""
        self._ready()
        pending = dict(self._seeders)
        for seeder in pending.values():
            missing = [name for name in seeder.after if name not in pending]
            if missing:
                raise ImproperlyConfigured(f"Demo seeder {seeder.name!r} runs after {missing}, which no app registers.")
        done: list[DemoSeeder] = []
        names: set[str] = set()
        while pending:
            free = [s for s in pending.values() if names.issuperset(s.after)]
            if not free:
                raise ImproperlyConfigured(f"Demo seeders depend on each other in a cycle: {sorted(pending)}.")
            nxt = min(free, key=lambda s: (s.order, s.name))
            done.append(nxt)
            names.add(nxt.name)
            del pending[nxt.name]
        return done

    def warm_path_providers(self) -> list[Callable[..., Iterable[str]]]:
        """The providers of pages to pre-render (``manage.py warm_cache``), imported, in registration order."""
        self._ready()
        return [import_string(path) for path in self._warm_paths.values()]

    def errors(self) -> list[checks.CheckMessage]:
        """Everything registered, imported once: what ``manage.py check`` reports before a page would."""
        found = []
        readers = [("URL modules", self.url_modules), ("API routers", self.api_routers),
                   ("demo seeders", lambda: [seeder.load() for seeder in self.demo_seeders()]),
                   ("warm-path providers", self.warm_path_providers)]
        readers += [(f"{page!r} sections", lambda page=page: self.section_providers(page))
                    for page in self.section_pages()]
        for what, read in readers:
            try:
                read()
            except (ImportError, ImproperlyConfigured) as exc:
                found.append(checks.Error(f"Registered {what} cannot be loaded: {exc}", id="core.E001"))
        return found


registry = Registry()


def check_registry(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return registry.errors()
