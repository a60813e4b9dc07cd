"""Coordination after WSIS+20 in Chromium (issue 18): a facilitator updates a milestone and the UNGIS
overview shows it; an organisation files a progress report and the initiative shows it; axe finds no
violation at all (any impact) on the new pages, in English and Arabic."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.e2e.helpers import axe_report, axe_violations, login_as

pytestmark = pytest.mark.e2e

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")


def _facilitator(code):
    from wsis.accounts.tests.factories import UserFactory, grant_role
    from wsis.core.permissions import Role
    from wsis.taxonomy.models import ActionLine

    user = UserFactory(full_name="Felix Facilitator")
    grant_role(user, Role.FACILITATOR, ActionLine.objects.get(code=code))
    return user


def test_a_facilitator_updates_a_milestone_and_the_overview_shows_it(new_page):
    from wsis.coordination import services
    from wsis.taxonomy.models import ActionLine

    lead = _facilitator("C5")
    c5 = ActionLine.objects.get(code="C5")
    today = timezone.localdate()
    services.milestone_save(actor=lead, action_line=c5, title="Regional CIRT workshops held",
                            due_date=today + dt.timedelta(days=60))
    services.road_map_publish(actor=lead, action_line=c5)

    page = new_page()
    page.goto("/en/coordination/")
    row = page.locator("li", has_text="Regional CIRT workshops held").first
    assert "On track" in row.inner_text()  # due soon, not reached yet

    login_as(page, lead)
    page.goto("/en/coordination/road-maps/C5/")
    page.get_by_role("link", name="Add an update to “Regional CIRT workshops held”").click()
    page.locator("#id_text").fill("Three regional workshops held in Nairobi, Bangkok and Cairo.")
    page.locator("#id_completed_on").fill(today.isoformat())
    page.get_by_role("button", name="Add the update").click()
    page.wait_for_load_state()
    assert "/coordination/road-maps/C5/" in page.url
    page.get_by_role("button", name="Publish a new version").click()
    page.wait_for_load_state()
    assert "Version 2 was published." in page.content()

    page.goto("/en/coordination/?action_line=C5")
    table = page.locator("section", has_text="Milestones of the C5 road map")
    text = table.inner_text()
    assert "Regional CIRT workshops held" in text and "Achieved" in text
    assert "Nairobi, Bangkok and Cairo" in text
    api = page.request.get("/api/v1/coordination/overview?action_line=C5").json()
    assert api["totals"]["achieved"] == 1 and api["road_maps"][0]["version"] == 2


def test_an_organisation_files_a_progress_report_and_the_initiative_shows_it(new_page):
    from wsis.stocktaking.tests.factories import make_initiative, member

    user = member()
    initiative = make_initiative(state="published", user=user, title="Solar school labs in Kenya")
    page = new_page()
    login_as(page, user)
    page.goto(f"/en/initiatives/{initiative.pk}/")
    page.get_by_role("link", name="File a progress report").click()
    page.locator("#id_deliverables").fill("Labs opened in 40 schools; 120 teachers trained.")
    page.locator("#id_people_reached").fill("8500")
    page.locator("#id_status").select_option("completed")
    page.locator("#id_obstacles").fill("Power cuts in the rainy season.")
    page.get_by_role("button", name="File the report").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/initiatives/{initiative.pk}/")
    report = page.locator("section.progress-report").first.inner_text()
    assert "Labs opened in 40 schools" in report and "8500" in report.replace(",", "").replace("\u202f", "")
    assert "Completed" in page.locator("dl.facts").first.inner_text()


def _world():
    """Two published road maps, a meeting with a decision, a reporting round, an initiative with a report."""
    from wsis.accounts.tests.factories import UserFactory, grant_role
    from wsis.coordination import selectors, services
    from wsis.core.permissions import Role
    from wsis.indicators.tests.factories import internet_indicator, observe
    from wsis.stocktaking import services as stock
    from wsis.stocktaking.tests.factories import make_initiative, member
    from wsis.taxonomy.models import ActionLine, Country

    sec = UserFactory(full_name="Sofia Secretariat")
    grant_role(sec, Role.SECRETARIAT)
    today = timezone.localdate()
    indicator = internet_indicator()
    observe(indicator, "KEN", 2020, 29.0)
    observe(indicator, "KEN", 2023, 40.0)
    c5, c74 = ActionLine.objects.get(code="C5"), ActionLine.objects.get(code="C7.4")
    for line in (c5, c74):
        services.road_map_update(actor=sec, action_line=line, summary="A summary of the road map.",
                                 targets=list(selectors.matrix_targets(line)[:2]), gdc_objectives=["GDC1"])
        services.objective_add(actor=sec, action_line=line, text="An objective")
        services.milestone_save(actor=sec, action_line=line, title=f"{line.code} late milestone",
                                due_date=today - dt.timedelta(days=5))
    m = services.milestone_save(actor=sec, action_line=c74, title="Internet use in Kenya reaches 45 %",
                                due_date=dt.date(2028, 12, 31), indicator=indicator,
                                country=Country.objects.get(iso3="KEN"), baseline_year=2020, baseline_value=29.0,
                                target_value=45.0)
    services.status_update_add(actor=sec, milestone=m, date=today, text="New survey published.")
    for line in (c5, c74):
        services.road_map_publish(actor=sec, action_line=line)
    meeting = services.meeting_save(actor=sec, action_line=c5, title="C5 facilitation meeting",
                                    date=dt.date(2026, 7, 8), agenda="1. Road map", participants="ITU\nUNODC",
                                    minutes="Agreed.")
    services.decision_add(actor=sec, meeting=meeting, text="Publish a CIRT survey")
    rnd = services.round_create(actor=sec, title="Contributions 2027", session="CSTD 30th session (2027)",
                                period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
                                deadline=today + dt.timedelta(days=20))
    contribution = rnd.contributions.filter(action_line=c5).first()
    services.contribution_save(actor=sec, contribution=contribution, submit=True, highlights="Workshops.")
    user = member()
    initiative = make_initiative(state="published", user=user)
    stock.progress_report_file(user=user, initiative=initiative, year=today.year, status="ongoing",
                               deliverables="Trained 300 teachers.")
    return sec, user, meeting, rnd, contribution, initiative, m


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_new_pages_have_no_axe_violations(new_page, lang):
    sec, user, meeting, rnd, contribution, initiative, milestone = _world()
    pages = [
        "/coordination/", "/coordination/?status=late&goal=3", "/coordination/road-maps/C7.4/",
        "/coordination/road-maps/C5/versions/1/", "/coordination/road-maps/C5/edit/",
        "/coordination/road-maps/C5/milestones/new/",
        f"/coordination/road-maps/C7.4/milestones/{milestone.pk}/edit/",
        f"/coordination/road-maps/C7.4/milestones/{milestone.pk}/update/",
        "/coordination/meetings/", f"/coordination/meetings/{meeting.pk}/", "/coordination/meetings/new/",
        "/coordination/reporting/", "/coordination/reporting/new/", f"/coordination/reporting/{rnd.pk}/",
        f"/coordination/reporting/{rnd.pk}/draft/",
        f"/coordination/reporting/{rnd.pk}/contributions/{contribution.pk}/",
        "/action-lines/c5/",
    ]
    problems = []
    page = new_page(locale="ar" if lang == "ar" else "en-GB")
    login_as(page, sec)
    for path in pages:
        response = page.goto(f"/{lang}{path}")
        assert response.status == 200, (path, response.status)
        found = axe_violations(page, impacts=ALL_IMPACTS)
        if found:
            problems.append(axe_report(found, where=f"/{lang}{path}"))
    member_page = new_page(locale="ar" if lang == "ar" else "en-GB")
    login_as(member_page, user)
    for path in (f"/initiatives/{initiative.pk}/progress/", f"/initiatives/{initiative.pk}/",
                 "/initiatives/?activity=active"):
        response = member_page.goto(f"/{lang}{path}")
        assert response.status == 200, (path, response.status)
        found = axe_violations(member_page, impacts=ALL_IMPACTS)
        if found:
            problems.append(axe_report(found, where=f"/{lang}{path}"))
    # A form shown again with its errors.
    member_page.goto(f"/{lang}/initiatives/{initiative.pk}/progress/")
    member_page.locator("#id_deliverables").fill("")
    member_page.locator("form:has(#id_deliverables) button[type=submit]").click()
    member_page.wait_for_load_state()
    assert member_page.locator("[aria-invalid=true]").count() >= 1
    member_page.wait_for_load_state()
    found = axe_violations(member_page, impacts=ALL_IMPACTS)
    if found:
        problems.append(axe_report(found, where="progress form with errors"))
    assert not problems, "\n\n".join(problems)
