"""WCAG 2.1 AA in a real browser: axe-core on every public page, English and Arabic, desktop and phone.

One test seeds the demo data once (every app's ``demo.py``) and visits each page in the four
combinations, collecting every serious or critical violation before failing, so one run shows all
there is to fix. The same visit checks that Arabic pages run right to left, that nothing widens a
375 px screen, and that each page's HTML stays within 60 KB compressed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.e2e.helpers import axe_report, axe_violations, login_as

pytestmark = pytest.mark.e2e

KB = 1024
LANGUAGES = ["en", "ar"]
VIEWPORTS = ["desktop", "mobile"]

# Public pages, without the language prefix.
PUBLIC_PAGES = [
    "/",
    "/action-lines/", "/action-lines/c3/", "/action-lines/c7/", "/action-lines/c7-4/",
    "/sdgs/", "/sdgs/4/", "/sdgs/targets/4.4/",
    "/matrix/", "/matrix/c7-4/3/",
    "/countries/", "/countries/?ldc=on&region=002", "/countries/KEN/", "/countries/THA/",
    "/commissions/", "/commissions/escap/",
    "/initiatives/", "/initiatives/?q=digital",
    "/analytics/", "/analytics/gaps/", "/analytics/trends/",
    "/indicators/", "/indicators/divides/",
    "/reviews/",
    "/forum/", "/forum/timeline/",
    "/organisations/",
    "/prizes/", "/prizes/methodology/", "/coordination/", "/reports/", "/data/",
    "/accounts/sign-in/", "/accounts/sign-up/", "/accounts/password/reset/",
]
# List pages whose first detail link (inside <main>) is visited too, whatever its id.
DISCOVER_FROM = ["/initiatives/", "/indicators/", "/reviews/", "/forum/", "/organisations/", "/prizes/",
                 "/coordination/", "/reports/"]
# Pages behind sign-in, visited as the demo submitter (a member of a demo organisation).
SIGNED_IN_PAGES = ["/accounts/", "/initiatives/new/", "/initiatives/mine/"]


def _first_detail_link(page, list_path: str) -> str | None:
    prefix = urlsplit(page.url).path
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        path = urlsplit(href).path
        if path.startswith(prefix) and path != prefix and not urlsplit(href).query and "." not in path:
            return path
    return None


# The deepest element reaching past the screen's edge, so that an overflow failure names its cause.
_WIDEST_ELEMENT_JS = """() => {
  const limit = document.documentElement.clientWidth;
  let found = null;
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width && (box.right > limit + 1 || box.left < -1)) found = el;
  }
  if (!found) return 'no element found';
  const box = found.getBoundingClientRect();
  return `<${found.tagName.toLowerCase()} class="${found.className}"> ${Math.round(box.left)}..${Math.round(box.right)} px: `
    + JSON.stringify((found.textContent || '').trim().slice(0, 60));
}"""


def _check_page(page, url: str, *, lang: str, viewport: str, failures: list[str], sizes: dict) -> None:
    response = page.goto(url)
    if response is None or response.status != 200:
        failures.append(f"{viewport} {url}: HTTP {response.status if response else 'no response'}")
        return
    violations = axe_violations(page)
    if violations:
        failures.append(f"[{viewport}] " + axe_report(violations, where=url))
    direction = page.get_attribute("html", "dir")
    if direction != ("rtl" if lang == "ar" else "ltr"):
        failures.append(f"{viewport} {url}: <html dir={direction!r}>")
    if page.locator("h1").count() != 1:
        failures.append(f"{viewport} {url}: {page.locator('h1').count()} <h1> elements, expected one")
    if viewport == "mobile":
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 376:
            culprit = page.evaluate(_WIDEST_ELEMENT_JS)
            failures.append(f"{viewport} {url}: the page is {width} px wide on a 375 px screen ({culprit})")
    html_bytes = page.evaluate("() => performance.getEntriesByType('navigation')[0].encodedBodySize")
    sizes[urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else "")] = html_bytes
    if html_bytes > 60 * KB:
        failures.append(f"{viewport} {url}: HTML is {html_bytes / KB:.1f} KB compressed (budget 60 KB)")


@pytest.fixture
def demo_data():
    """Every app's demo data, small: pages then show real content (charts, tables, agendas)."""
    call_command("seed_demo", initiatives=40, seed=1, no_input=True, verbosity=0)


def test_public_pages_have_no_serious_accessibility_violations(new_page, demo_data, live_server):
    from django.contrib.auth import get_user_model

    failures: list[str] = []
    sizes: dict[str, int] = {}
    submitter = get_user_model().objects.filter(email__startswith="submitter@").first()
    for viewport in VIEWPORTS:
        page = new_page(viewport)
        signed_in = new_page(viewport)
        if submitter is not None:
            login_as(signed_in, submitter)
        for lang in LANGUAGES:
            pages = [f"/{lang}{path}" for path in PUBLIC_PAGES]
            for list_path in DISCOVER_FROM:
                page.goto(f"/{lang}{list_path}")
                detail = _first_detail_link(page, list_path)
                if detail:
                    pages.append(detail)
            for url in pages:
                _check_page(page, url, lang=lang, viewport=viewport, failures=failures, sizes=sizes)
            if submitter is not None:
                for path in SIGNED_IN_PAGES:
                    _check_page(signed_in, f"/{lang}{path}", lang=lang, viewport=viewport, failures=failures,
                                sizes=sizes)
    print("\nHTML size (compressed) per page:")
    for url, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"  {size / KB:6.1f} KB  {url}")
    assert not failures, f"{len(failures)} problem(s):\n\n" + "\n\n".join(failures)


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page):
    page.goto("/ar/matrix/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused skip link must show a focus ring"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_matrix_cells_work_from_the_keyboard(page):
    page.goto("/en/matrix/")
    cell = page.locator(".matrix-table td.linked a").first
    cell.focus()
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    # With JavaScript the cell's targets load below the grid (HTMX); the rationale is there.
    page.locator("#cell-detail h2").wait_for()
    assert page.locator("#cell-detail table").count() == 1


def test_country_filters_work_from_the_keyboard_and_give_a_shareable_url(page):
    page.goto("/en/countries/")
    page.get_by_label("Name or ISO code").focus()
    page.keyboard.type("Kenya")
    page.keyboard.press("Enter")
    page.wait_for_url("**/countries/?q=Kenya*")
    rows = page.locator("#country-results tbody tr")
    assert rows.count() == 1
    assert "Kenya" in rows.first.inner_text()


def test_pages_work_without_javascript(new_page):
    page = new_page("mobile", java_script_enabled=False)
    page.goto("/ar/matrix/")
    page.locator(".matrix-table td.linked a").first.click()
    assert "/ar/matrix/" in page.url and page.locator("h1").count() == 1
    page.goto("/ar/countries/")
    page.get_by_label("الاسم أو رمز ISO").fill("KEN")
    page.get_by_role("button", name="تصفية").click()
    assert "q=KEN" in page.url
    assert page.locator("#country-results tbody tr").count() == 1


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_arrow_keys_move_between_matrix_cells_in_reading_direction(page, lang):
    page.goto(f"/{lang}/matrix/")
    row = page.locator(".matrix-table tbody tr").first  # C1: linked to several goals
    links = row.locator("td a")
    links.first.focus()
    first_goal = links.first.get_attribute("href").rstrip("/").rsplit("/", 1)[-1]
    # "Forward" along the row is Right in English and Left in Arabic.
    page.keyboard.press("ArrowLeft" if lang == "ar" else "ArrowRight")
    focused = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused == links.nth(1).get_attribute("href")
    assert int(focused.rstrip("/").rsplit("/", 1)[-1]) > int(first_goal)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.closest('tr').rowIndex") > 1


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_forms_showing_errors_stay_accessible(new_page, lang):
    """The main forms, sent empty or wrong: errors are shown, tied to their fields, and axe finds nothing."""
    from wsis.accounts.tests.factories import MembershipFactory

    failures = []
    for viewport in VIEWPORTS:
        page = new_page(viewport)
        for path in ("/accounts/sign-up/", "/accounts/sign-in/"):
            page.goto(f"/{lang}{path}")
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_load_state()
            invalid = page.locator("main [aria-invalid=true]")
            if invalid.count() == 0 and page.locator("main .errorlist, main .error-summary").count() == 0:
                failures.append(f"{viewport} {path}: no error shown for an empty form")
            for i in range(invalid.count()):
                if not invalid.nth(i).get_attribute("aria-describedby"):
                    failures.append(f"{viewport} {path}: invalid field without aria-describedby")
            violations = axe_violations(page)
            if violations:
                failures.append(f"[{viewport}] " + axe_report(violations, where=page.url))
        member = MembershipFactory().user
        signed_in = new_page(viewport)
        login_as(signed_in, member)
        signed_in.goto(f"/{lang}/initiatives/new/")
        signed_in.locator("main form button[type=submit]").first.click()
        signed_in.wait_for_load_state()
        violations = axe_violations(signed_in)
        if violations:
            failures.append(f"[{viewport}] " + axe_report(violations, where=signed_in.url))
    assert not failures, "\n\n".join(failures)
