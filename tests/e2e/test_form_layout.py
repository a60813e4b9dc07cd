"""Form and layout in Chromium (issue 14): the initiative form, the search page and the moderation pages at
375 px and on a desktop, in English and Arabic.

- axe-core finds no violation at all (minor and moderate included) on the form, the search page (filters
  closed and open, a facet's full list) and the moderation queue and decision page;
- a checkbox sits on the first line of its label's text, before it (after it, on the left, in Arabic);
- the country picker: regions that open without JavaScript, a type-ahead with JavaScript that knows the six
  languages' names and aliases;
- the search page on a phone: "Skip to results" is the first Tab stop, the first result is three Tab presses
  away, the results come before the filters, which sit behind "Filters (n)" (with and without JavaScript);
- the main menu on a phone shows every section (behind "Menu"), none off the side of the screen.

With ``E2E_SCREENSHOTS=1`` each page is also saved to test-results/layout/ (to look at, not compared).
"""

from __future__ import annotations

import os
import re

import pytest

from tests.e2e.conftest import RESULTS_DIR
from tests.e2e.helpers import axe_report, axe_violations, login_as

pytestmark = pytest.mark.e2e

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS") == "1"


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        (RESULTS_DIR / "layout").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(RESULTS_DIR / "layout" / f"{name}.png"), full_page=True)


@pytest.fixture
def people(live_server):
    """A member of an organisation, a moderator, published initiatives in a few countries and one waiting."""
    from wsis.stocktaking.models import Initiative
    from wsis.stocktaking.tests.factories import make_initiative, member, moderator
    from wsis.taxonomy.models import Country

    submitter = member()
    countries = list(Country.objects.order_by("iso3")[:24])  # more than the country facet shows at first
    for i in range(6):
        make_initiative(state=Initiative.State.PUBLISHED, title=f"Rural broadband project {i}",
                        countries=countries[i * 4:(i + 1) * 4])
    waiting = make_initiative(state=Initiative.State.SUBMITTED, title="Telehealth for mountain clinics",
                              user=submitter, countries=[Country.objects.get(iso3="NPL")])
    return {"submitter": submitter, "moderator": moderator(), "waiting": waiting}


def _check(page, where: str, failures: list[str], *, mobile: bool) -> None:
    violations = axe_violations(page, impacts=ALL_IMPACTS)
    if violations:
        failures.append(axe_report(violations, where=where))
    if mobile:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 376:
            failures.append(f"{where}: the page is {width} px wide on a 375 px screen")


def test_form_search_and_moderation_pages_have_no_axe_violations(new_page, people):
    failures: list[str] = []
    waiting = people["waiting"].pk
    for viewport in ("desktop", "mobile"):
        mobile = viewport == "mobile"
        submitter, moderator, public = new_page(viewport), new_page(viewport), new_page(viewport)
        login_as(submitter, people["submitter"])
        login_as(moderator, people["moderator"])
        for lang in ("en", "ar"):
            tag = f"{viewport}-{lang}"
            # The form: empty, then with the type-ahead in use, a region open and a country ticked.
            submitter.goto(f"/{lang}/initiatives/new/")
            _check(submitter, f"[{tag}] form", failures, mobile=mobile)
            _shot(submitter, f"form-{tag}")
            submitter.locator(".choice-filter input").fill("ken")
            submitter.locator(".grouped-choices li:not([hidden]) input").first.check()
            _check(submitter, f"[{tag}] form, type-ahead", failures, mobile=mobile)
            submitter.goto(f"/{lang}/initiatives/{waiting}/edit/")
            _check(submitter, f"[{tag}] edit form", failures, mobile=mobile)
            # Search: filters closed (phone) or in the side column (desktop), then open, then a full list.
            public.goto(f"/{lang}/initiatives/?goal=4")
            _check(public, f"[{tag}] search", failures, mobile=mobile)
            _shot(public, f"search-{tag}")
            if mobile:
                public.locator("#filters > summary").click()
                public.locator("#main-menu > summary").click()
                _check(public, f"[{tag}] search, filters and menu open", failures, mobile=mobile)
                _shot(public, f"search-open-{tag}")
            public.goto(f"/{lang}/initiatives/?all=country")
            _check(public, f"[{tag}] search, every country", failures, mobile=mobile)
            public.goto(f"/{lang}/initiatives/?q=zzzzqqq")
            _check(public, f"[{tag}] search, nothing found", failures, mobile=mobile)
            # Moderation: the queue and the decision page.
            moderator.goto(f"/{lang}/moderation/")
            _check(moderator, f"[{tag}] moderation queue", failures, mobile=mobile)
            moderator.goto(f"/{lang}/moderation/{waiting}/")
            _check(moderator, f"[{tag}] moderation page", failures, mobile=mobile)
            _shot(moderator, f"moderation-{tag}")
    assert not failures, f"{len(failures)} problem(s):\n\n" + "\n\n".join(failures)


BOX_AND_TEXT = """(label) => {
  const box = label.querySelector('input') || document.getElementById(label.htmlFor);
  const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode()) && !node.textContent.trim()) {}
  const range = document.createRange();
  range.selectNodeContents(node);
  // The text's first line: every box of it (Latin and Arabic runs of one line are separate boxes).
  const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
  const first = rects.reduce((a, r) => (r.top < a.top ? r : a), rects[0]);
  const onLine = rects.filter(r => Math.abs(r.top - first.top) < first.height / 2);
  const line = {left: Math.min(...onLine.map(r => r.left)), right: Math.max(...onLine.map(r => r.right)),
                top: first.top, bottom: first.bottom};
  const b = box.getBoundingClientRect();
  return {box: {left: b.left, right: b.right, top: b.top, bottom: b.bottom},
          text: {left: line.left, right: line.right, top: line.top, bottom: line.bottom}};
}"""


def _beside(geometry: dict, rtl: bool) -> str | None:
    box, text = geometry["box"], geometry["text"]
    centre = (box["top"] + box["bottom"]) / 2
    if not text["top"] - 2 <= centre <= text["bottom"] + 2:
        return f"the box (centre {centre:.0f}) is not on the text's first line ({text['top']:.0f}–{text['bottom']:.0f})"
    if rtl and not box["left"] >= text["right"] - 1:
        return "in Arabic the box is not to the right of its text"
    if not rtl and not box["right"] <= text["left"] + 1:
        return "the box is not to the left of its text"
    if abs((text["left"] if not rtl else box["left"]) - (box["right"] if not rtl else text["right"])) > 16:
        return "the box is far from its text"
    return None


def test_checkboxes_sit_beside_their_labels(new_page, people):
    failures = []
    for lang, viewport in [(lang, viewport) for lang in ("en", "ar") for viewport in ("mobile", "desktop")]:
        page = new_page(viewport)
        login_as(page, people["submitter"])
        page.goto(f"/{lang}/initiatives/new/")
        page.locator(".grouped-choices summary").first.click()
        labels = {
            "action line": page.locator("label.choice:has(input[name=action_lines])").first,
            "SDG": page.locator("label.choice:has(input[name=goals])").last,
            "target group": page.locator("label.choice:has(input[name=target_groups])").first,
            "country": page.locator(".grouped-choices details[open] label").first,
            "gender marker (radio)": page.locator("label.choice:has(input[name=gender_marker])").last,
        }
        for name, label in labels.items():
            problem = _beside(label.evaluate(BOX_AND_TEXT), rtl=lang == "ar")
            if problem:
                failures.append(f"{lang} {viewport} {name}: {problem}")
        page.goto(f"/{lang}/initiatives/")
        if viewport == "mobile":
            page.locator("#filters > summary").click()
        facet = page.locator("#facet-country label").first
        problem = _beside(facet.evaluate(BOX_AND_TEXT), rtl=lang == "ar")
        if problem:
            failures.append(f"{lang} {viewport} search facet: {problem}")
    assert not failures, "\n".join(failures)


def test_country_picker_type_ahead(new_page, people):
    from wsis.stocktaking.models import Initiative

    page = new_page("desktop")
    login_as(page, people["submitter"])
    page.goto("/en/initiatives/new/")
    finder = page.get_by_label("Find a country")
    visible = page.locator(".grouped-choices li:not([hidden])")
    for typed, expected in (("vietnam", "VNM"), ("Turkey", "TUR"), ("türkiye", "TUR"), ("cote d'iv", "CIV"),
                            ("Côte d’Ivoire", "CIV"), ("Кения", "KEN"), ("npl", "NPL"), ("尼泊尔", "NPL")):
        finder.fill(typed)
        assert visible.count() == 1, f"{typed!r}: {visible.all_inner_texts()}"
        assert visible.first.locator("input").get_attribute("value") == expected, typed
        assert visible.first.is_visible(), f"{typed!r}: the match's region did not open"
    # Enter in the filter does not send the form.
    finder.fill("viet")
    url = page.url
    finder.press("Enter")
    assert page.url == url and page.locator("#error-summary").count() == 0
    page.get_by_role("checkbox", name="Viet Nam").check()
    finder.fill("")
    assert visible.count() > 200  # every country again
    asia = page.locator(".grouped-choices details", has=page.get_by_role("checkbox", name="Viet Nam"))
    assert asia.locator("summary .chosen").inner_text().strip() == ": Viet Nam"
    # Nothing matches: said so, for screen readers too (role=status).
    finder.fill("qqqq")
    assert visible.count() == 0
    assert page.locator(".choice-filter [role=status]").inner_text() == "Nothing matches."
    finder.fill("")
    page.locator("#id_title").fill("Picked by typing")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    initiative = Initiative.objects.get(title="Picked by typing")
    assert list(initiative.countries.values_list("iso3", flat=True)) == ["VNM"]

    # In Arabic, by its Arabic name.
    page.goto("/ar/initiatives/new/")
    page.locator(".choice-filter input").fill("كينيا")
    assert visible.count() == 1 and visible.first.locator("input").get_attribute("value") == "KEN"


def test_country_picker_without_javascript(new_page, people):
    from wsis.stocktaking.models import Initiative

    page = new_page("mobile", java_script_enabled=False)
    login_as(page, people["submitter"])
    page.goto("/en/initiatives/new/")
    assert page.locator(".choice-filter").count() == 0  # the type-ahead needs JavaScript; the regions do not
    kenya = page.get_by_role("checkbox", name="Kenya")
    assert not kenya.is_visible()
    page.locator(".grouped-choices summary", has_text="Africa").click()
    kenya.check()
    page.locator(".grouped-choices summary", has_text="Asia").click()
    page.get_by_role("checkbox", name="Nepal").check()
    page.locator("#id_title").fill("Picked without JavaScript")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    initiative = Initiative.objects.get(title="Picked without JavaScript")
    assert set(initiative.countries.values_list("iso3", flat=True)) == {"KEN", "NPL"}
    page.goto(f"/en/initiatives/{initiative.pk}/edit/")
    assert page.locator(".grouped-choices details[open] summary").all_inner_texts() == ["Africa: Kenya", "Asia: Nepal"]


def test_search_on_a_phone_puts_results_first_and_the_first_result_three_tabs_away(new_page, people):
    for lang in ("en", "ar"):
        _search_on_a_phone(new_page, lang)


def _search_on_a_phone(new_page, lang):
    page = new_page("mobile")
    page.goto(f"/{lang}/initiatives/")
    heading = page.locator("#results-heading")
    assert heading.bounding_box()["y"] < 740, "the results do not start on the first screen"
    assert not page.locator("#facet-country").is_visible()  # behind "Filters (0)"
    page.keyboard.press("Tab")
    skip = page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert skip == ["skip-link", "#results-heading"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "results-heading"
    presses = 1
    while not page.evaluate("() => !!document.activeElement.closest('.result-list')"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 4, "the first result is more than a few Tab presses away"
    # With JavaScript a ticked facet swaps the results in (HTMX); the disclosure stays open and counts it.
    page.locator("#filters > summary").click()
    with page.expect_response(lambda r: "country=" in r.url):
        page.locator("#facet-country input").first.check()
    page.wait_for_function("() => document.querySelector('#filters > summary').textContent.includes('1')")
    assert page.locator("#filters").get_attribute("open") is not None
    # On a desktop the filters are the side column, shown from the start.
    desktop = new_page("desktop")
    desktop.goto(f"/{lang}/initiatives/")
    assert desktop.locator("#facet-country").is_visible()
    box, results = desktop.locator("#facet-country").bounding_box(), heading_box(desktop)
    assert (box["x"] > results["x"]) if lang == "ar" else (box["x"] < results["x"])


def heading_box(page):
    return page.locator("#results-heading").bounding_box()


def test_search_filters_disclosure_without_javascript(new_page, people):
    page = new_page("mobile", java_script_enabled=False)
    page.goto("/en/initiatives/")
    summary = page.locator("#filters > summary")
    assert summary.inner_text().strip() == "Filters (0)"
    summary.click()
    page.locator("#facet-country input").first.check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"country="))
    assert page.locator("#filters > summary").inner_text().strip() == "Filters (1)"
    # The country facet's hidden values: a link to the full list, which opens the disclosure.
    page.goto("/en/initiatives/")
    page.locator("#filters > summary").click()
    page.locator("#facet-country").get_by_role("link", name=re.compile("more values")).click()
    page.wait_for_url(re.compile(r"all=country"))
    assert page.locator("#facet-country input").count() == 24
    page.locator("#facet-country input").last.scroll_into_view_if_needed()
    assert page.locator("#facet-country input").last.is_visible()
    # On a desktop the filters show without JavaScript too.
    desktop = new_page("desktop", java_script_enabled=False)
    desktop.goto("/en/initiatives/")
    assert desktop.locator("#facet-country").is_visible()


def test_main_menu_shows_every_section_on_a_phone(new_page):
    for lang in ("en", "ar"):
        for javascript in (True, False):
            _main_menu(new_page, lang, javascript)


def _main_menu(new_page, lang, javascript):
    page = new_page("mobile", java_script_enabled=javascript)
    page.goto(f"/{lang}/")
    links = page.locator(".main-nav ul a")
    count = links.count()
    assert count >= 8
    menu = page.locator("#main-menu > summary")
    assert menu.is_visible()
    menu.click()
    for i in range(count):
        link = links.nth(i)
        assert link.is_visible(), link.inner_text()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375 + 0.5, f"{link.inner_text()} is off-screen: {box}"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 376
    scroller = page.evaluate("() => { const u = document.querySelector('.main-nav ul');"
                             " return u.scrollWidth - u.clientWidth; }")
    assert scroller <= 1, "the menu scrolls sideways"
    # On a desktop: every section in view at once, no "Menu" button.
    desktop = new_page("desktop", java_script_enabled=javascript)
    desktop.goto(f"/{lang}/")
    assert not desktop.locator("#main-menu > summary").is_visible()
    for i in range(count):
        assert desktop.locator(".main-nav ul a").nth(i).is_visible()
