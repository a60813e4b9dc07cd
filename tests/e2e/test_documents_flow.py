"""Documents in Chromium (issue 16): a reviewer publishes the English and French versions of a regional
review report side by side, an anonymous visitor finds and downloads both, and the secretariat generates
the yearly WSIS Stocktaking Report and downloads it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test.utils import override_settings

from tests.e2e.helpers import axe_check, login_as

pytestmark = pytest.mark.e2e


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(path).pages).split())


def _closed_cycle():
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
    services.cycle_transition(cycle=cycle, to_state="open", actor=reviewer)
    cycle.refresh_from_db()
    response = services.response_open(cycle=cycle, country=thailand, actor=focal)
    section = cycle.questionnaire.sections.order_by("order").first()
    policy = section.questions.get(code__endswith="policy")
    services.response_save_section(response=response, section=section, values={policy.pk: "yes"}, actor=focal)
    services.response_submit(response=response, actor=focal)
    services.cycle_transition(cycle=cycle, to_state="closed", actor=reviewer)
    return cycle, reviewer


def _generate_and_publish(page, cycle, language: str) -> None:
    page.goto(f"/en/reviews/{cycle.pk}/reports/")
    page.get_by_label("Language of the report").select_option(language)
    page.get_by_role("button", name="Generate the report").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="DOCX (editable)").wait_for(timeout=180_000)
    page.reload()
    page.get_by_role("link", name="Publish this version…").click()
    page.wait_for_load_state()
    axe_check(page)  # the confirmation page
    page.get_by_role("button", name="Yes, publish it").click()
    page.wait_for_load_state()
    assert "The report was published." in page.content()


def test_reviewer_publishes_two_languages_and_a_visitor_downloads_both(new_page, live_server, tmp_path):
    cycle, reviewer = _closed_cycle()
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        rev = new_page()
        login_as(rev, reviewer)
        _generate_and_publish(rev, cycle, "en")
        _generate_and_publish(rev, cycle, "fr")

        visitor = new_page()
        visitor.goto(f"/en/reviews/{cycle.pk}/")
        axe_check(visitor)
        listing = visitor.locator("li", has_text="version")
        assert listing.filter(has_text="English").count() == 1 and listing.filter(has_text="French").count() == 1
        texts = {}
        for language in ("English", "French"):
            with visitor.expect_download() as download:
                listing.filter(has_text=language).get_by_role("link", name="PDF").click()
            path = tmp_path / f"{language}.pdf"
            download.value.save_as(path)
            texts[language] = _pdf_text(path)
    for text in texts.values():
        assert "ESCAP/WSIS/2025/INF/1" in text and "Draft" not in text
    assert "Contents" in texts["English"] and "Distr.: General" in texts["English"]


def test_secretariat_generates_and_downloads_the_stocktaking_report(new_page, live_server, tmp_path):
    from wsis.accounts.tests.factories import UserFactory, grant_role
    from wsis.core.permissions import Role
    from wsis.stocktaking.tests.factories import make_initiative

    secretariat = UserFactory(full_name="Sofia Secretariat")
    grant_role(secretariat, Role.SECRETARIAT)
    make_initiative(state="published", title="Rural telecentres as learning hubs", year=2025)
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        page = new_page()
        login_as(page, secretariat)
        page.goto("/en/reports/")
        page.get_by_role("link", name="Generate a WSIS Stocktaking Report").click()
        page.wait_for_load_state()
        axe_check(page)
        page.get_by_label("Year").fill("2025")
        page.get_by_label("Scope").select_option("global")
        page.get_by_role("button", name="Generate the report").click()
        page.wait_for_load_state()
        page.get_by_role("link", name="DOCX (editable)").wait_for(timeout=180_000)
        page.reload()
        axe_check(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="PDF", exact=True).click()
        path = tmp_path / "stocktaking.pdf"
        download.value.save_as(path)
    text = _pdf_text(path)
    assert "WSIS Stocktaking Report 2025" in text and "WSIS/STOCKTAKING/2025" in text
    assert re.search(r"Contents", text) and "Initiatives by action line" in text
