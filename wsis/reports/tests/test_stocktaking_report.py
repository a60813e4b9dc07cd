"""The yearly WSIS Stocktaking Report: figures from the registry, background build with progress,
checksums, narrative edits, publication (immutable, per language), pages, downloads and the API."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from wsis.accounts.tests.factories import OrganisationFactory, UserFactory, grant_role
from wsis.analytics.services import coverage_refresh
from wsis.core.models import AuditLog
from wsis.core.permissions import Role
from wsis.reports import services, stocktaking_report
from wsis.reports.models import GeneratedDocument
from wsis.stocktaking.models import Initiative, InitiativeActionLine, InitiativeGoal
from wsis.taxonomy.models import ActionLine, Country, Goal

from .readback import docx_parts, flat, pdf_pages

pytestmark = pytest.mark.django_db


def _initiative(iso3, year, al="C4", goal=4, title=None):
    org = OrganisationFactory(country=Country.objects.get(iso3=iso3))
    i = Initiative.objects.create(title=title or f"{iso3} {al} initiative {year}", summary=f"Summary of {iso3} {al}.",
                                  organisation=org, state="published", year=year)
    i.countries.add(Country.objects.get(iso3=iso3))
    InitiativeActionLine.objects.create(initiative=i, action_line=ActionLine.objects.get(code=al), is_primary=True)
    InitiativeGoal.objects.create(initiative=i, goal=Goal.objects.get(number=goal))
    return i


@pytest.fixture
def registry_2025():
    made = [_initiative("THA", 2025, "C4", 4, "Digital skills for rural teachers"), _initiative("NPL", 2025, "C4", 4),
            _initiative("KEN", 2025, "C7.4", 3), _initiative("FRA", 2024, "C4", 4), _initiative("THA", 2025, "C2", 9)]
    coverage_refresh(initiative_ids=[i.pk for i in made])
    return made


@pytest.fixture
def secretariat():
    user = UserFactory()
    grant_role(user, Role.SECRETARIAT)
    return user


def _request(actor, *, year=2025, scope="global", language="en", **kw):
    return services.document_request(
        kind="stocktaking", key=stocktaking_report.scope_key(year, scope), language=language,
        title=stocktaking_report.default_title(year, scope), symbol=stocktaking_report.default_symbol(year, scope),
        params={"year": year, "scope": scope}, actor=actor, **kw)


def test_figures_count_the_year_by_action_line_sdg_region_and_group(registry_2025):
    data = stocktaking_report.figures({"year": 2025, "scope": "global"}, "en")
    assert data["total"] == 4 and data["previous"] == 1 and data["change"] == 300
    by_al = {a["code"]: a for a in data["by_action_line"]}
    assert by_al["C4"]["count"] == 2 and by_al["C4"]["previous"] == 1 and by_al["C7.4"]["count"] == 1
    assert {g["number"]: g["count"] for g in data["by_goal"]}[4] == 2
    assert sum(r["count"] for r in data["by_region"]) == 4  # Asia 3, Africa 1
    assert {g["code"]: g["count"] for g in data["by_group"]}["ldc"] == 1  # Nepal
    assert data["trend"]["years"][-1] == 2025 and data["trend"]["totals"][-2:] == [1, 4]
    assert [e["title"] for e in data["examples"]["C4"]][-1] == "Digital skills for rural teachers"
    escap = stocktaking_report.figures({"year": 2025, "scope": "commission-ESCAP"}, "en")
    assert escap["total"] == 3 and escap["scope_name"].startswith("ESCAP")


def test_build_in_the_background_stores_files_with_checksums_and_progress(registry_2025, secretariat,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = _request(secretariat)
    doc.refresh_from_db()
    assert doc.status == "done" and doc.progress == 100
    assert [m["text"] for m in doc.messages][-1] == "Done."
    for fmt in ("pdf", "docx", "html"):
        content = doc.file_for(fmt).read()
        assert hashlib.sha256(content).hexdigest() == doc.sha256_for(fmt)
    pages = pdf_pages(doc.pdf_file.open("rb").read())
    assert doc.pages == len(pages)
    cover = flat(pages[0])
    assert "WSIS Stocktaking Report 2025" in cover and "WSIS/STOCKTAKING/2025" in cover
    assert "Distr.: General" in cover and "Draft" in cover
    text = flat(" ".join(pages))
    # The drafting aid wrote the summary from the figures.
    assert "In 2025, 4 new initiatives were registered" in text and "That is +300% on 2024" in text
    assert "Digital skills for rural teachers" in text
    parts = docx_parts(doc.docx_file.open("rb").read())
    assert any(k.startswith("word/media/") for k in parts)
    assert AuditLog.objects.filter(action="reports.document.request", target_id=str(doc.pk)).exists()


def test_publish_removes_draft_marks_and_freezes_the_version(registry_2025, secretariat,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = _request(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_update_narratives(document=doc, narratives={"summary": "**Key message:** growth."},
                                            actor=secretariat)
    doc.refresh_from_db()
    assert doc.status == "done" and doc.narratives["summary"] == "**Key message:** growth."
    services.document_publish(document=doc, actor=secretariat)
    doc.refresh_from_db()
    text = flat(" ".join(pdf_pages(doc.pdf_file.open("rb").read())))
    assert "draft" not in text.lower() and "Key message: growth." in text and "**" not in text
    assert "In 2025, 4 new initiatives" not in text
    assert hashlib.sha256(doc.pdf_file.open("rb").read()).hexdigest() == doc.pdf_sha256
    before = doc.pdf_sha256
    with pytest.raises(ValidationError):
        services.document_update_narratives(document=doc, narratives={"summary": "x"}, actor=secretariat)
    with pytest.raises(ValidationError):
        services.document_publish(document=doc, actor=secretariat)
    services.document_build(document_id=doc.pk)  # a stray job never rewrites a published version
    doc.refresh_from_db()
    assert doc.pdf_sha256 == before
    new = services.document_new_version(document=doc, actor=secretariat)
    assert new.version == 2 and new.narratives == doc.narratives and not new.published_at


def test_languages_are_published_side_by_side(registry_2025, secretariat, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        en = _request(secretariat, language="en")
        fr = _request(secretariat, language="fr")
    services.document_publish(document=GeneratedDocument.objects.get(pk=en.pk), actor=secretariat)
    services.document_publish(document=GeneratedDocument.objects.get(pk=fr.pk), actor=secretariat)
    page = client.get(reverse("reports:list")).content.decode()
    assert page.count("WSIS/STOCKTAKING/2025") == 1  # one edition …
    assert reverse("reports:document-file", args=[en.pk, "pdf"]) in page  # … in two languages
    assert reverse("reports:document-file", args=[fr.pk, "pdf"]) in page
    response = client.get(reverse("reports:document-file", args=[fr.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Repr-Digest"].startswith("sha-256=:")
    fr_text = flat(" ".join(pdf_pages(b"".join(response.streaming_content))))
    assert "Rapport" in fr_text or "WSIS" in fr_text
    api = client.get("/api/v1/documents?kind=stocktaking").json()["items"]
    assert {d["language"] for d in api} == {"en", "fr"}
    assert {f["format"] for f in api[0]["files"]} == {"pdf", "docx", "html"} and len(api[0]["files"][0]["sha256"]) == 64
    detail = client.get(f"/api/v1/documents/{en.pk}").json()
    assert detail["figures"]["total"] == 4


def test_only_the_secretariat_generates_and_drafts_stay_private(registry_2025, secretariat, client,
                                                               django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        _request(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        doc = _request(secretariat)
    assert client.get(reverse("reports:document", args=[doc.pk])).status_code == 404
    assert client.get(reverse("reports:document-file", args=[doc.pk, "pdf"])).status_code == 404
    assert client.get(f"/api/v1/documents/{doc.pk}").status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("reports:stocktaking-new")).status_code == 403
    assert client.post(reverse("reports:document-publish", args=[doc.pk])).status_code == 404


def test_the_form_generates_each_language_and_publish_asks_first(registry_2025, secretariat, client,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    assert client.post(reverse("reports:stocktaking-new"), {"year": "abc", "scope": "global",
                                                             "languages": ["en"]}).status_code == 400
    assert client.post(reverse("reports:stocktaking-new"), {"year": "2999", "scope": "global",
                                                             "languages": ["en"]}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:stocktaking-new"),
                               {"year": "2025", "scope": "commission-ESCAP", "languages": ["en", "ar"]})
    assert response.status_code == 302
    docs = GeneratedDocument.objects.filter(key="2025/commission-ESCAP")
    assert {d.language for d in docs} == {"en", "ar"} and all(d.status == "done" for d in docs)
    ar = docs.get(language="ar")
    assert ar.symbol == "WSIS/STOCKTAKING/2025/ESCAP"
    page = client.get(reverse("reports:document", args=[ar.pk])).content.decode()
    assert reverse("reports:document-publish", args=[ar.pk]) in page
    confirm = client.get(reverse("reports:document-publish", args=[ar.pk]))
    assert confirm.status_code == 200 and "Yes, publish it" in confirm.content.decode()
    ar.refresh_from_db()
    assert ar.published_at is None  # looking at the confirmation publishes nothing
    client.post(reverse("reports:document-publish", args=[ar.pk]))
    ar.refresh_from_db()
    assert ar.published_at and not docs.get(language="en").published_at
