"""Fixtures for the browser tests: a production-like live server, Debian's Chromium, one page per test.

See tests/e2e/README.md. In short:

- ``live_server`` — the site on http://127.0.0.1:<port>, serving static files the way production does
  (collected, fingerprinted, gzip/brotli-compressed by WhiteNoise) so page weights are real. Each test
  gets a transactional database with the reference taxonomy loaded.
- ``page`` (1280 × 800), ``mobile_page`` (375 × 740, touch) and ``new_page(viewport=…, locale=…)``.
- Every e2e test is marked ``e2e`` (``make e2e`` runs them; ``make test`` leaves them out).
- When a test fails, a full-page screenshot of each page it opened goes to ``test-results/``.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "mobile": {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True},
}
E2E_DIR = Path(__file__).resolve().parent
RESULTS_DIR = E2E_DIR.parents[1] / "test-results"


@pytest.hookimpl(tryfirst=True)  # before the mark plugin deselects by ``-m``, so the marker counts
def pytest_collection_modifyitems(config, items):
    """Every test under tests/e2e is an e2e test, even if its module forgot ``pytestmark``."""
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- the server -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _e2e_settings(tmp_path_factory, django_db_blocker):
    """Static files as in production: collected into a temporary STATIC_ROOT with hashed names and
    .gz/.br siblings, served by WhiteNoise (not by the finders). Also lets the ORM run in the main
    thread while Playwright's event loop exists (Playwright's sync API is not async code that
    touches the database; Django only sees a loop and would refuse)."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    overrides = override_settings(
        STATIC_ROOT=static_root,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    )
    overrides.enable()
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    call_command("collectstatic", interactive=False, verbosity=0)
    yield static_root
    overrides.disable()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _no_static_handler(app):
    """WhiteNoise (in MIDDLEWARE) serves /static/ itself, compressed, as in production."""
    return app


@pytest.fixture(scope="session")
def live_server(_e2e_settings, request):
    """pytest-django's live server, but with static files served by WhiteNoise from STATIC_ROOT.

    Named ``live_server`` so that pytest-django gives each test a transactional database.
    """
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "127.0.0.1"
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _no_static_handler
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _e2e_reference_data(request):
    """Transactional tests flush every table afterwards, so load the reference taxonomy again when
    it is missing (load_reference is idempotent and cheap when nothing changed)."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    from wsis.taxonomy.models import Goal

    if not Goal.objects.exists():
        call_command("load_reference", verbosity=0)
    yield


@pytest.fixture
def e2e_url(live_server):
    """``e2e_url("/en/matrix/")`` → the absolute URL on the live server."""

    def build(path: str) -> str:
        return f"{live_server.url}{path}"

    return build


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _playwright(_e2e_settings):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set E2E_CHROMIUM).")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _screenshot_name(nodeid: str, index: int) -> str:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1])[:150]
    module = Path(nodeid.split("::", 1)[0]).stem
    return f"{module}__{name}__{index}.png"


@pytest.fixture
def new_page(browser, live_server, request):
    """Factory: ``new_page(viewport="mobile", locale="ar")`` opens a page in a fresh browser context
    (empty cache and cookies). ``locale`` sets the browser's Accept-Language. Closed after the test;
    screenshotted into test-results/ if the test failed."""
    contexts = []

    def open_page(viewport: str = "desktop", locale: str = "en-GB", **context_args):
        options = {**VIEWPORTS[viewport], "locale": locale, "device_scale_factor": 1, **context_args}
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(15_000)
        context.e2e_base_url = live_server.url  # for helpers.login_as
        contexts.append(context)
        return context.new_page()

    yield open_page
    failed = any(getattr(request.node, f"rep_{when}", None) and getattr(request.node, f"rep_{when}").failed
                 for when in ("setup", "call"))
    for context in contexts:
        if failed:
            RESULTS_DIR.mkdir(exist_ok=True)
            for index, pg in enumerate(context.pages):
                # A screenshot that cannot be taken must never hide the real failure.
                with contextlib.suppress(Exception):
                    pg.screenshot(path=str(RESULTS_DIR / _screenshot_name(request.node.nodeid, index)),
                                  full_page=True)
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop page (1280 × 800), English Accept-Language; ``page.goto("/en/")`` works (base URL set)."""
    return new_page("desktop")


@pytest.fixture
def mobile_page(new_page):
    """A phone-sized page (375 × 740, touch)."""
    return new_page("mobile")
