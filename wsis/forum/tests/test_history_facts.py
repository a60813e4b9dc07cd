"""Issue 23 in the forum's history: provenance of every edition, phase and milestone, and the corrected facts
(findings 5, 7 and 10), each checked so that the content shipped before the fix fails."""

import datetime as dt
import shutil

import pytest
import yaml
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from wsis.forum.history import DATA_DIR, HistoryError, history_load, history_parse
from wsis.forum.models import ConsultationPhase, ForumEdition, Milestone
from wsis.taxonomy.models import Provenance

pytestmark = pytest.mark.django_db


def rows_of(obj):
    ct = ContentType.objects.get_for_model(type(obj))
    return {(p.field, p.language): p for p in Provenance.objects.filter(content_type=ct, object_id=obj.pk)}


@pytest.fixture
def history():
    history_load()


def test_every_edition_phase_and_shipped_milestone_has_provenance(history):
    slugs = {m["slug"] for m in yaml.safe_load((DATA_DIR / "milestones.yaml").read_text("utf-8"))["milestones"]}
    for edition in ForumEdition.objects.filter(is_demo=False):
        rows = rows_of(edition)
        assert ("record", "") in rows, edition
        if edition.theme:
            assert ("theme", "en") in rows, edition
        for phase in edition.phases.all():
            assert ("record", "") in rows_of(phase), phase
    for milestone in Milestone.objects.filter(slug__in=slugs):
        row = rows_of(milestone)[("record", "")]
        assert row.source and row.status and row.checked_on, milestone


def test_5_the_2025_event_has_no_theme(history, client):
    assert ForumEdition.objects.get(year=2025).theme == ""
    with translation.override("en"):
        html = client.get(reverse("forum:edition", args=[2025])).content.decode()
    assert "Review of 20 years" not in html.split("<dt>Theme</dt>", 1)[-1][:200]


def test_7_a_res_70_299_sets_the_themes_from_2017(history):
    description = Milestone.objects.get(slug="unga-70-299").description_en
    assert "2017–2019" in description and "2016–2019" not in description


def test_10_editions_2009_to_2012_and_2014_with_the_2016_theme(history):
    years = set(ForumEdition.objects.values_list("year", flat=True))
    assert {2009, 2010, 2011, 2012, 2014} <= years
    assert ForumEdition.objects.get(year=2011).venue == "ILO conference centre, Geneva"
    e2012 = ForumEdition.objects.get(year=2012)
    assert [p.starts_on for p in e2012.phases.order_by("number")][0] == dt.date(2011, 10, 11)
    assert ForumEdition.objects.get(year=2016).theme == "WSIS Action Lines: Supporting the Implementation of SDGs"
    first = ConsultationPhase.objects.get(edition__year=2024, number=2)
    assert first.starts_on == dt.date(2023, 10, 11)
    # The editions now stand on the timeline themselves; the milestones that stood in for them are gone.
    assert not Milestone.objects.filter(slug__in=["first-wsis-forum-2009", "wsis-plus-10-hle-2014"]).exists()
    assert Milestone.objects.filter(slug="wsis-forum-2014").exists()


def test_10_every_edition_spans_its_main_week(history):
    for edition in ForumEdition.objects.filter(is_demo=False):
        assert (edition.end_date - edition.start_date).days <= 7, edition


def test_10_phase_numbers_follow_the_opening_as_phase_one(history):
    assert list(ConsultationPhase.objects.filter(edition__year=2025).order_by("number")
                .values_list("number", "name")) == [
        (4, "Third consultation meeting"),
        (5, "Deadline for High-Level Event session proposals and action line feedback"),
        (6, "Fourth consultation meeting (the last before the final brief)"),
    ]


def test_10_the_loader_refuses_the_old_2025_numbering(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "editions.yaml"
    text = path.read_text(encoding="utf-8").replace(
        '{number: 4, kind: meeting, name: "Third consultation meeting"',
        '{number: 3, kind: meeting, name: "Third consultation meeting"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HistoryError, match="third meeting comes after the opening"):
        history_parse(data)


def test_a_renumbered_phase_does_not_linger(history):
    edition = ForumEdition.objects.get(year=2025)
    ConsultationPhase.objects.create(edition=edition, number=3, kind="meeting", name="Stale", starts_on=dt.date(
        2025, 2, 11), ends_on=dt.date(2025, 2, 11))
    history_load()
    assert not edition.phases.filter(number=3).exists()


def test_a_milestone_without_provenance_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "milestones.yaml"
    doc = path.read_text(encoding="utf-8")
    start = doc.index("    provenance:\n", doc.index("slug: unga-56-183"))
    end = doc.index("\n", doc.index("- {field: record", start)) + 1
    path.write_text(doc[:start] + doc[end:], encoding="utf-8")
    with pytest.raises(HistoryError, match="no provenance for 'record'"):
        history_parse(data)


def test_timeline_and_edition_pages_mark_unverified_facts(history, client):
    with translation.override("en"):
        html = client.get(reverse("forum:timeline")).content.decode()
    assert "fact-mark-unverified" in html  # e.g. ITU Resolution 73 (1998), dated from general knowledge
    api = client.get("/api/v1/forum/editions/2012").json()
    assert api["provenance"][0]["status"] == "official"
    assert all(p["provenance"] for p in api["phases"])
