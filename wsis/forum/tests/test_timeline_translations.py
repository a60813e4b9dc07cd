"""The timeline's milestones in six languages: shipped translations, their marks, and the English fallback."""

import re

import pytest
from django.test import Client

from wsis.forum.history import history_load
from wsis.forum.models import Milestone
from wsis.taxonomy.models import Provenance

pytestmark = pytest.mark.django_db

LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def test_every_shipped_milestone_has_a_title_and_description_in_each_language():
    history_load()
    shipped = Milestone.objects.exclude(slug__startswith="hlpf-").exclude(slug__startswith="wsis-forum-")
    assert shipped.count() >= 15
    for m in shipped:
        for suffix in ("fr", "es", "ru", "ar", "zh_hans"):
            assert getattr(m, f"title_{suffix}"), (m.slug, suffix)
            assert getattr(m, f"description_{suffix}") or not m.description_en, (m.slug, suffix)
    # Provenance: the platform's own translations are marked unofficial; the 2030 Agenda's title is the
    # resolution's official title in each language.
    agenda = Milestone.objects.get(slug="agenda-2030")
    rows = {(p.field, p.language): p.status for p in Provenance.objects.filter(object_id=agenda.pk,
                                                                               field__in=["title", "description"])}
    assert rows[("title", "zh-hans")] == "official" and rows[("description", "zh-hans")] == "unofficial_translation"
    assert Provenance.objects.filter(field="title", language="ar", status="unofficial_translation").count() >= 14
    # A second load changes nothing.
    assert history_load()["milestones"] == 0


@pytest.mark.parametrize("language", ["ar", "zh-hans"])
def test_timeline_shows_translated_milestones_marked_unofficial(language):
    history_load()
    html = Client().get(f"/{language}/forum/timeline/?kind=resolution").content.decode()
    title = Milestone.objects.get(slug="unga-56-183").title_ar if language == "ar" else "联合国大会核可信息社会世界峰会"
    assert title in html
    assert "fact-mark-unofficial_translation" in html
    # The shipped milestones' own texts hold no English words. Document references (A/RES/56/183, "ITU
    # Resolution 73 (Minneapolis, 1998)") and provenance citations are sources, quoted as published.
    main = html[html.index("<ol class=\"timeline\">"):html.index("</main>") if "</main>" in html else None]
    main = re.sub(r'<span class="fact-source">.*?</span>|<p class="reference">.*?</p>|title="[^"]*"', " ", main,
                  flags=re.S)
    texts = re.findall(r"<h3>(.*?)</h3>|<p(?: [^>]*)?>(.*?)</p>", main, re.S)
    words = [w for h, p in texts for w in LATIN_WORD.findall(re.sub(r"<[^>]+>", " ", h or p))
             if not re.search(r"RES|ITU|WSIS", w)]
    assert "English" not in html.split("fact-mark-fallback")[0] or "fact-mark-fallback" not in html
    assert not [w for w in words if w.lower() in {"the", "and", "of", "assembly", "general", "summit"}], words


def test_a_milestone_without_a_translation_says_it_is_shown_in_english():
    history_load()
    m = Milestone.objects.get(slug="unga-56-183")
    m.title_ar = ""
    m.save()
    html = Client().get("/ar/forum/timeline/?kind=resolution").content.decode()
    assert 'lang="en" dir="ltr">UN General Assembly endorses the World Summit' in html
    assert "fact-mark-fallback" in html
