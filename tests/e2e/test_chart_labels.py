"""No chart label is clipped, in any language, at desktop width and at 375 px.

Chart labels are laid out on the server without a font engine (``wsis.core.charts`` measures them per
script); this test measures them in a real browser: every ``<text>`` of every chart must lie inside
its SVG's box. Chinese SDG names ran off the left edge of the country page before the measurement
knew that a Chinese character is a full em wide.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction

from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative, member
from wsis.taxonomy.models import Country, Goal

pytestmark = pytest.mark.e2e

LANGUAGES = ["en", "fr", "es", "ru", "ar", "zh-hans"]
PAGES = [
    "/{lang}/countries/NPL/",
    "/{lang}/indicators/IT.CEL.SETS.P2/?country=FJI",
    "/{lang}/indicators/groups/?indicator=IT.NET.USER.ZS",
    "/{lang}/indicators/divides/",
    "/{lang}/action-lines/c7-4/",
]

CLIPPED = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg.chart-svg')) {
    const box = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll('text')) {
      const r = text.getBoundingClientRect();
      if (!r.width) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        out.push(`${svg.closest('figure')?.id}: "${text.textContent}" [${Math.round(r.left)}–${Math.round(r.right)}]` +
                 ` outside [${Math.round(box.left)}–${Math.round(box.right)}]`);
      }
    }
  }
  return out;
}"""


@pytest.fixture
def chart_data(live_server):
    call_command("load_indicators", verbosity=0)
    user = member()
    nepal = Country.objects.get(iso3="NPL")
    with transaction.atomic():
        for numbers in ([1, 3, 4, 5], [8, 9, 10, 17], [11, 13, 16]):
            make_initiative(state=Initiative.State.PUBLISHED, user=user, countries=[nepal],
                            goals=list(Goal.objects.filter(number__in=numbers)), targets=[])


def test_no_chart_label_is_clipped_in_any_language_or_width(chart_data, new_page):
    problems, charts_seen = [], 0
    for viewport in ("desktop", "mobile"):
        page = new_page(viewport)
        for lang in LANGUAGES:
            for path in PAGES:
                url = path.format(lang=lang)
                page.goto(url)
                charts_seen += page.locator("svg.chart-svg").count()
                problems += [f"{viewport} {url} {p}" for p in page.evaluate(CLIPPED)]
    assert charts_seen >= 2 * len(LANGUAGES) * 5, charts_seen
    assert not problems, "clipped chart labels:\n" + "\n".join(problems[:40])
