"""A regional review in Chromium: the ESCAP reviewer opens the cycle, Thailand's focal point answers
and submits, the reviewer closes the questionnaire, generates the report and downloads the PDF and
the DOCX, whose text the test then reads."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test.utils import override_settings

from tests.e2e.helpers import axe_check, login_as

pytestmark = pytest.mark.e2e

HIGHLIGHT = "Fibre now reaches every district centre of Thailand."


def test_reviewer_opens_focal_point_submits_reviewer_downloads_report(new_page, live_server, tmp_path):
    from docx import Document
    from pypdf import PdfReader

    from wsis.accounts.tests.factories import UserFactory, grant_role
    from wsis.core.permissions import Role
    from wsis.reviews import services
    from wsis.taxonomy.models import ActionLine, Country, RegionalCommission

    escap, thailand = RegionalCommission.objects.get(code="ESCAP"), Country.objects.get(iso3="THA")
    reviewer, focal = UserFactory(full_name="Ratana Reviewer"), UserFactory(full_name="Niran Focal")
    grant_role(reviewer, Role.REGIONAL_REVIEWER, escap)
    grant_role(focal, Role.FOCAL_POINT, thailand)
    cycle = services.cycle_create(commission=escap, year=2025, actor=reviewer, opens_on=dt.date(2025, 2, 1),
                                  closes_on=dt.date(2025, 4, 30))
    services.questionnaire_add_starter(cycle=cycle, action_lines=ActionLine.objects.filter(code="C1"),
                                       actor=reviewer)
    services.invitation_create(cycle=cycle, country=thailand, email=focal.email, actor=reviewer)

    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        # 1. The reviewer opens the questionnaire.
        rev = new_page()
        login_as(rev, reviewer)
        rev.goto(f"/en/reviews/{cycle.pk}/")
        axe_check(rev)
        rev.get_by_role("button", name="Open the questionnaire").click()
        rev.wait_for_load_state()
        assert "The questionnaire is open for responses." in rev.content()

        # 2. Thailand's focal point answers the C1 section and submits.
        fp = new_page()
        login_as(fp, focal)
        fp.goto(f"/en/reviews/{cycle.pk}/")
        fp.get_by_role("link", name="Answer for Thailand").click()
        fp.wait_for_load_state()
        fp.get_by_role("link", name=re.compile(r"^C1 ")).first.click()
        fp.wait_for_load_state()
        axe_check(fp)
        policy = fp.get_by_role("group", name=re.compile(r"^Does your country have a national policy"))
        policy.get_by_label("Yes").check()
        fp.get_by_label(re.compile(r"^Name the policy")).fill("Digital Thailand Plan 2016")
        fp.get_by_role("group", name=re.compile(r"^How far has implementation progressed")).get_by_label("4").check()
        fp.get_by_label(re.compile(r"^Main achievements")).fill(HIGHLIGHT)
        fp.get_by_role("button", name="Save and return to the overview").click()
        fp.wait_for_load_state()
        assert "were saved as a draft" in fp.content()
        fp.get_by_role("link", name=re.compile(r"^Submit the response of Thailand")).click()
        fp.wait_for_load_state()
        axe_check(fp)  # the confirmation page
        fp.get_by_role("button", name="Yes, submit the response").click()
        fp.wait_for_load_state()
        assert "was submitted" in fp.content()

        # 3. The reviewer sees the response, closes the questionnaire and generates the report.
        rev.goto(f"/en/reviews/{cycle.pk}/progress/")
        assert "Responses from 1 invited member state " in rev.content()
        rev.goto(f"/en/reviews/{cycle.pk}/")
        rev.get_by_role("button", name="Close the questionnaire").click()
        rev.wait_for_load_state()
        rev.get_by_role("navigation", name="Review cycle").get_by_role("link", name="Reports").click()  # the main menu has a Reports entry too
        rev.get_by_label("Language of the report").select_option("en")
        rev.get_by_role("button", name="Generate the report").click()
        rev.wait_for_load_state()
        rev.get_by_role("link", name="DOCX (editable)").wait_for(timeout=120_000)
        axe_check(rev)

        # 4. Download both files and read them.
        with rev.expect_download() as pdf_download:
            rev.get_by_role("link", name="PDF", exact=True).click()
        pdf_path = tmp_path / "report.pdf"
        pdf_download.value.save_as(pdf_path)
        with rev.expect_download() as docx_download:
            rev.get_by_role("link", name="DOCX (editable)").click()
        docx_path = tmp_path / "report.docx"
        docx_download.value.save_as(docx_path)

    pdf_text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(pdf_path).pages).split())
    assert "ESCAP regional review of WSIS implementation, 2025" in pdf_text
    assert "Member states that submitted a response: 1 of 1 invited." in pdf_text
    assert HIGHLIGHT in pdf_text and "Thailand" in pdf_text
    document = Document(docx_path)
    docx_text = "\n".join([p.text for p in document.paragraphs]
                          + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "ESCAP regional review of WSIS implementation, 2025" in docx_text
    assert HIGHLIGHT in docx_text and "Digital Thailand Plan 2016" in docx_text
