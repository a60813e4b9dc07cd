"""The "success stories" publication of winners and champions, on the document engine (HTML, PDF, DOCX)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from wsis.prizes import documents
from wsis.prizes.models import Entry
from wsis.reports import services as report_services
from wsis.reports.models import GeneratedDocument
from wsis.reports.tests.readback import docx_parts, flat, pdf_pages

from .factories import make_contest, make_entry, secretariat, voter

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished():
    contest = make_contest(None, year=2031)
    winner = make_entry(contest, code="C4", state=Entry.State.NOMINATED, title="Rural schools online",
                        impact="12,000 pupils connected.")
    champion = make_entry(contest, code="C4", state=Entry.State.NOMINATED, title="Coding clubs in libraries")
    Entry.objects.filter(pk=winner.pk).update(finalist=True, outcome="winner")
    Entry.objects.filter(pk=champion.pk).update(finalist=True, outcome="champion")
    return contest


def _publish_results(contest):
    from django.utils import timezone

    contest.results_published_at = timezone.now()
    contest.save()
    return contest


def test_refused_until_the_results_are_published(finished):
    with pytest.raises(ValidationError, match="not published yet"):
        documents.success_stories_request(actor=secretariat(), contest=finished, languages=["en"])


def test_only_the_secretariat_generates(finished):
    _publish_results(finished)
    with pytest.raises(PermissionDenied):
        documents.success_stories_request(actor=voter(), contest=finished, languages=["en"])
    with pytest.raises(ValidationError, match="at least one language"):
        documents.success_stories_request(actor=secretariat(), contest=finished, languages=[])


def test_built_with_winners_and_champions_then_published(finished, django_capture_on_commit_callbacks, client):
    _publish_results(finished)
    staff = secretariat()
    with django_capture_on_commit_callbacks(execute=True):
        [doc] = documents.success_stories_request(actor=staff, contest=finished, languages=["en"])
    doc.refresh_from_db()
    assert doc.status == "done", doc.messages
    assert doc.data["winners"] == 1 and doc.data["champions"] == 1
    text = flat(" ".join(pdf_pages(doc.pdf_file.open("rb").read())))
    assert "WSIS Stocktaking: Success Stories 2031" in text and "WSIS/PRIZES/2031/SUCCESS-STORIES" in text
    assert "Winner: Rural schools online" in text and "Champion: Coding clubs in libraries" in text
    assert "Impact: 12,000 pupils connected." in text and "Draft" in text
    assert "word/document.xml" in docx_parts(doc.docx_file.open("rb").read())
    assert b"Rural schools online" in doc.html_file.open("rb").read()
    # Not listed on the results page until published; then linked in every format.
    page = client.get(reverse("prizes:results", args=[2031])).content.decode()
    assert reverse("reports:document-file", args=[doc.pk, "pdf"]) not in page
    report_services.document_publish(document=GeneratedDocument.objects.get(pk=doc.pk), actor=staff)
    page = client.get(reverse("prizes:results", args=[2031])).content.decode()
    assert reverse("reports:document-file", args=[doc.pk, "pdf"]) in page
    doc.refresh_from_db()
    assert "Draft" not in flat(" ".join(pdf_pages(doc.pdf_file.open("rb").read())))


def test_the_secretariat_requests_it_from_the_results_page(finished, client, django_capture_on_commit_callbacks):
    _publish_results(finished)
    client.force_login(secretariat())
    page = client.get(reverse("prizes:results", args=[2031])).content.decode()
    assert "Generate the success stories in" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("prizes:success-stories", args=[2031]), {"languages": ["en", "ar"]})
    docs = GeneratedDocument.objects.filter(kind=documents.KIND, key="2031").order_by("language")
    assert [d.language for d in docs] == ["ar", "en"] and all(d.status == "done" for d in docs)
    assert response.status_code == 302 and response["Location"] == docs.get(language="en").get_absolute_url()
    ar = flat(" ".join(pdf_pages(docs.get(language="ar").pdf_file.open("rb").read())))
    assert "Rural schools online" in ar
