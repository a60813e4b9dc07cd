"""The Atom feed of published documents and the paged /api/v1/documents (issue 20).

Documents are stored rows here (with small files), as the engine leaves them once built: the feed and the
API read rows, and building real PDFs would only slow the test down."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from wsis.reports.models import GeneratedDocument

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make_doc(language: str, title: str, *, version: int = 1, published: int | None = 0, kind: str = "stocktaking",
             key: str = "2025/global") -> GeneratedDocument:
    """A built document; ``published``: how many days ago it was published (None: a draft)."""
    doc = GeneratedDocument(kind=kind, key=key, language=language, version=version, title=title,
                            symbol="WSIS/STOCKTAKING/2025", status=GeneratedDocument.Status.DONE,
                            published_at=None if published is None else timezone.now() - dt.timedelta(days=published))
    for fmt in ("pdf", "docx", "html"):
        doc.file_for(fmt).save(f"report.{fmt}", ContentFile(b"x"), save=False)
        setattr(doc, f"{fmt}_sha256", "0" * 64)
    doc.save()
    return doc


@pytest.fixture
def documents():
    return {
        "en": make_doc("en", "WSIS Stocktaking Report 2025", published=3),
        "ar": make_doc("ar", "تقرير الجرد الخاص بالقمة العالمية لمجتمع المعلومات 2025", published=2),
        "zh": make_doc("zh-hans", "2025年信息社会世界峰会盘点报告", published=1),
        "fr2": make_doc("fr", "Rapport 2025 (corrigé)", version=2, published=0),
        "draft": make_doc("es", "Informe en preparación", published=None),
    }


def entries(response) -> list:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def test_feed_lists_published_documents_newest_first_with_titles_in_their_language(client, documents):
    response = client.get(reverse("reports:feed"))
    feed = ET.fromstring(response.content)
    assert feed.get(LANG) == "en"  # the reader's language for the feed's own text
    items = entries(response)
    titles = [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}title").get(LANG)) for e in items]
    assert titles == [("Rapport 2025 (corrigé)", "fr"), ("2025年信息社会世界峰会盘点报告", "zh-hans"),
                      ("تقرير الجرد الخاص بالقمة العالمية لمجتمع المعلومات 2025", "ar"),
                      ("WSIS Stocktaking Report 2025", "en")]  # the draft is not there
    ar = items[2]
    links = {(link.get("rel"), link.get("type"), link.get("hreflang")): link.get("href")
             for link in ar.findall(f"{ATOM}link")}
    assert links[("alternate", None, None)].endswith(documents["ar"].get_absolute_url())
    assert links[("alternate", "application/pdf", "ar")] == "http://testserver" + reverse(
        "reports:document-file", args=[documents["ar"].pk, "pdf"])
    assert ("alternate", "text/html", "ar") in links and len(links) == 4
    assert ar.find(f"{ATOM}category").get("term") == "stocktaking"
    assert "WSIS/STOCKTAKING/2025" in ar.find(f"{ATOM}summary").text
    # The entry's id does not depend on the reader's language; the feed's text does.
    with translation.override("fr"):
        french = client.get(reverse("reports:feed"))
    assert ET.fromstring(french.content).get(LANG) == "fr"
    assert [e.find(f"{ATOM}id").text for e in entries(french)] == [e.find(f"{ATOM}id").text for e in items]


def test_feed_narrows_by_language_and_kind_and_refuses_bad_input(client, documents):
    make_doc("en", "Success stories 2025", kind="prizes.success_stories", key="2025", published=5)
    only_ar = entries(client.get(reverse("reports:feed"), {"language": "ar"}))
    assert [e.find(f"{ATOM}title").get(LANG) for e in only_ar] == ["ar"]
    prizes = entries(client.get(reverse("reports:feed"), {"kind": "prizes.success_stories"}))
    assert [e.find(f"{ATOM}title").text for e in prizes] == ["Success stories 2025"]
    bad = client.get(reverse("reports:feed"), {"language": "xx"})
    assert bad.status_code == 400 and bad.content.decode().startswith("language: ")
    assert client.get(reverse("reports:feed"), {"kind": "k" * 41}).status_code == 400


def test_documents_page_links_the_feed(client, documents):
    page = client.get(reverse("reports:list")).content.decode()
    assert (f'<link rel="alternate" type="application/atom+xml" title="Published documents" '
            f'href="{reverse("reports:feed")}">') in page
    with translation.override("ar"):
        page = client.get(reverse("reports:list")).content.decode()
        feed = reverse("reports:feed")
    assert feed.startswith("/ar/") and 'type="application/atom+xml"' in page and f'href="{feed}"' in page
    assert 'dir="rtl"' in page


def test_documents_api_pages_and_filters(client, documents):
    data = client.get("/api/v1/documents", {"limit": 2}).json()
    assert data["count"] == 4 and len(data["items"]) == 2
    rest = client.get("/api/v1/documents", {"limit": 2, "offset": 2}).json()["items"]
    assert {d["id"] for d in data["items"] + rest} == {d.pk for k, d in documents.items() if k != "draft"}
    zh = client.get("/api/v1/documents", {"language": "zh-hans"}).json()["items"]
    assert [d["title"] for d in zh] == ["2025年信息社会世界峰会盘点报告"]
    assert {f["format"] for f in zh[0]["files"]} == {"pdf", "docx", "html"}
    bad = client.get("/api/v1/documents", {"language": "xx"})
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    assert list(bad.json()["errors"]) == ["query.language"]
    response = client.get("/api/v1/documents")
    assert client.get("/api/v1/documents", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_feed_carries_review_reports_and_forum_outcomes_registered_by_their_apps(client, documents):
    """reviews and forum sit above reports: they register their published documents as sources."""
    from wsis.forum.models import OutcomeDocument
    from wsis.forum.tests.factories import ForumEditionFactory
    from wsis.reviews.models import ReviewCycle, ReviewReport
    from wsis.reviews.tests.factories import make_cycle, reviewer

    cycle = make_cycle(actor=reviewer("ESCAP"), year=2025)
    ReviewCycle.objects.filter(pk=cycle.pk).update(state=ReviewCycle.State.PUBLISHED, title="Asia-Pacific review 2025")
    report = ReviewReport(cycle=cycle, version=1, language="ru", status=ReviewReport.Status.DONE,
                          narratives={"cover_title": "Региональный обзор 2025"},
                          published_at=timezone.now() - dt.timedelta(hours=1))
    report.pdf_file.save("r.pdf", ContentFile(b"x"), save=False)
    report.save()
    untranslated = ReviewReport.objects.create(cycle=cycle, version=2, language="en", status=ReviewReport.Status.DONE,
                                               published_at=timezone.now() - dt.timedelta(hours=2))
    draft_cycle = make_cycle(actor=reviewer("ECA"), code="ECA", year=2025)  # not published: its report stays out
    ReviewReport.objects.create(cycle=draft_cycle, version=1, language="en", status=ReviewReport.Status.DONE,
                                published_at=timezone.now())
    edition = ForumEditionFactory(year=2031, title="WSIS Forum 2031")
    outcome = OutcomeDocument(edition=edition, status=OutcomeDocument.Status.READY,
                              published_at=timezone.now() - dt.timedelta(minutes=30))
    outcome.pdf.save("o.pdf", ContentFile(b"x"), save=False)
    outcome.save()

    items = entries(client.get(reverse("reports:feed")))
    by_term = {}
    for e in items:
        by_term.setdefault(e.find(f"{ATOM}category").get("term"), []).append(e)
    assert [e.find(f"{ATOM}title").text for e in by_term["reviews.report"]] == [
        "Региональный обзор 2025", "Asia-Pacific review 2025"]
    ru, en = by_term["reviews.report"]
    assert ru.find(f"{ATOM}title").get(LANG) == "ru"
    assert en.find(f"{ATOM}title").get(LANG) == ""  # the review's own title: its language is not recorded
    pdf = [link for link in ru.findall(f"{ATOM}link") if link.get("type") == "application/pdf"]
    assert pdf[0].get("hreflang") == "ru" and pdf[0].get("href").endswith(
        reverse("reviews:report-file", args=[cycle.pk, 1, "pdf"]))
    [forum] = by_term["forum.outcome"]
    assert forum.find(f"{ATOM}title").text == "WSIS Forum 2031: outcome document"
    assert forum.find(f"{ATOM}title").get(LANG) == "en"
    assert [e.find(f"{ATOM}category").get("term") for e in items[:3]] == ["stocktaking", "forum.outcome",
                                                                          "reviews.report"]
    assert len(items) == 4 + 2 + 1
    only = entries(client.get(reverse("reports:feed"), {"kind": "reviews.report", "language": "ru"}))
    assert [e.find(f"{ATOM}title").text for e in only] == ["Региональный обзор 2025"]
    assert untranslated.pk and not entries(client.get(reverse("reports:feed"), {"kind": "forum.outcome",
                                                                                  "language": "fr"}))
