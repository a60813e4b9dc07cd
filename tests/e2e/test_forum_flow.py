"""The forum journey in Chromium: a stakeholder proposes a session, the secretariat accepts and schedules
it, and it appears in the agenda and in the agenda's iCalendar feed. Plus axe checks on the forms."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.helpers import axe_check, login_as

pytestmark = pytest.mark.e2e

TITLE = "Solar-powered community networks for island schools"


def _setup():
    from django.utils import timezone

    from wsis.accounts.tests.factories import MembershipFactory, UserFactory, grant_role
    from wsis.core.permissions import Role
    from wsis.forum.models import ConsultationPhase, ForumEdition, Room, SubmissionKind

    today = timezone.localdate()
    edition = ForumEdition.objects.create(
        year=2050, title="WSIS Forum 2050", start_date=today + dt.timedelta(days=60),
        end_date=today + dt.timedelta(days=64), venue="CICG, Geneva", is_current=True)
    ConsultationPhase.objects.create(
        edition=edition, number=2, kind=ConsultationPhase.Kind.MEETING, name="Phase II: Call for proposals",
        starts_on=today - dt.timedelta(days=5), ends_on=today + dt.timedelta(days=20),
        accepts=list(SubmissionKind.values))
    Room.objects.create(edition=edition, name="Room K")
    membership = MembershipFactory(organisation__name="Pacific Schools Network")
    secretariat = UserFactory(full_name="Sofia Secretariat")
    grant_role(secretariat, Role.SECRETARIAT)
    return edition, membership, secretariat


def test_propose_accept_schedule_and_find_in_agenda_and_ics(new_page):
    from icalendar import Calendar

    from wsis.taxonomy.models import ActionLine, Goal

    edition, membership, secretariat = _setup()
    c2 = ActionLine.objects.get(code="C2")
    sdg4 = Goal.objects.get(number=4)

    # 1. The stakeholder proposes a session (the home page of the forum links to the form).
    page = new_page()
    login_as(page, membership.user)
    page.goto("/en/forum/")
    page.get_by_role("link", name="Propose a session").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Session or workshop proposal")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_session_format").select_option("thematic_workshop")
    page.locator("#id_organisers").fill("Pacific Schools Network; Open Knowledge Pacific")
    page.locator("#id_summary").fill("How schools on small islands run their own solar-powered networks.")
    page.locator(f"input[name=action_lines][value='{c2.pk}']").check()
    page.locator(f"input[name=goals][value='{sdg4.pk}']").check()
    page.locator("#id_speakers-0-name").fill("Aroha Ngata")
    page.locator("#id_speakers-0-gender").select_option("female")
    page.locator("#id_speakers-0-region").select_option("asia_pacific")
    axe_check(page)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert "your submission was received" in page.content()

    # 2. The secretariat accepts it from the review page.
    staff = new_page()
    login_as(staff, secretariat)
    staff.goto(f"/en/forum/{edition.year}/review/")
    staff.get_by_label(f"Select “{TITLE}”").check()
    staff.get_by_label("Accept").check()
    axe_check(staff)
    staff.get_by_role("button", name="Apply to the selected submissions").click()
    staff.wait_for_load_state()
    assert "1 submission decided; the submitter will be told" in staff.content()

    # 3. It is now a session: schedule it in Room K on the forum's second day.
    staff.goto(f"/en/forum/{edition.year}/sessions/")
    staff.get_by_role("link", name=f"Schedule “{TITLE}”").click()
    staff.wait_for_load_state()
    day = edition.start_date + dt.timedelta(days=1)
    staff.locator("#id_room").select_option(label="Room K")
    staff.locator("#id_day").fill(day.isoformat())
    staff.locator("#id_start").fill("14:00")
    staff.locator("#id_end").fill("15:30")
    staff.get_by_role("button", name="Save the room and time").click()
    staff.wait_for_load_state()
    assert staff.get_by_role("heading", level=1).inner_text() == TITLE
    assert "The session is on the agenda." in staff.content()

    # 4. Anyone sees it in the agenda, under its day, and filters by its action line.
    visitor = new_page()
    visitor.goto(f"/en/forum/{edition.year}/agenda/?action_line=C2")
    heading = visitor.get_by_role("heading", level=2, name=day.strftime("%A, %-d %B %Y"))  # UN style, with its weekday
    assert heading.is_visible()
    row = visitor.get_by_role("row").filter(has_text=TITLE)
    assert "14:00–15:30" in row.inner_text() and "Room K" in row.inner_text()
    axe_check(visitor)

    # 5. And in the iCalendar feed linked from the agenda.
    href = visitor.locator("a.ics-link").get_attribute("href")
    response = visitor.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    [event] = [c for c in Calendar.from_ical(response.body()).walk() if c.name == "VEVENT"]
    assert str(event["SUMMARY"]) == TITLE
    assert str(event["LOCATION"]) == "Room K, CICG, Geneva"
    start = event.decoded("DTSTART")
    from zoneinfo import ZoneInfo

    assert start.astimezone(ZoneInfo("Europe/Zurich")) == dt.datetime.combine(
        day, dt.time(14), tzinfo=ZoneInfo("Europe/Zurich"))


def test_forum_pages_pass_axe_in_english_and_arabic(new_page):
    """The public forum pages with real content (agenda, statistics, outcome document, timeline)."""
    from django.core.management import call_command

    from tests.e2e.helpers import axe_report, axe_violations
    from wsis.forum import services
    from wsis.forum.models import Session
    from wsis.taxonomy.models import ActionLine, Goal

    call_command("seed_demo", "--initiatives", "20", "--seed", "3", verbosity=0)
    from wsis.core.permissions import Role, RoleGrant

    secretariat = RoleGrant.objects.get(role=Role.SECRETARIAT).user
    session = Session.objects.filter(edition__year=2027, submission__isnull=False).order_by("pk").first()
    services.session_outcome_submit(session=session, actor=secretariat, key_points="Point one.\nPoint two.",
                                    action_lines=ActionLine.objects.filter(code__in=["C2", "C4"]),
                                    goals=Goal.objects.filter(number__in=[4, 9]))
    services.outcome_document_compile(edition=session.edition, actor=secretariat)
    paths = ["/forum/", "/forum/2027/", "/forum/2027/agenda/", "/forum/2027/statistics/",
             f"/forum/2027/sessions/{session.pk}/", "/forum/2027/outcomes/", "/forum/timeline/", "/forum/2019/"]
    problems = []
    for lang in ("en", "ar"):
        page = new_page(locale="ar" if lang == "ar" else "en-GB")
        for path in paths:
            response = page.goto(f"/{lang}{path}")
            assert response.ok, f"/{lang}{path} answered {response.status}"
            violations = axe_violations(page)
            if violations:
                problems.append(axe_report(violations, where=f"/{lang}{path}"))
    assert not problems, "\n\n".join(problems)
