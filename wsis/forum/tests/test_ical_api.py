"""iCalendar feeds parse and round-trip with the icalendar library; the forum API."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from wsis.accounts.tests.factories import MembershipFactory, UserFactory, grant_role
from wsis.core.permissions import Role
from wsis.forum import services
from wsis.forum.history import history_load
from wsis.forum.models import Milestone, SessionSpeaker, Submission
from wsis.taxonomy.models import ActionLine, Goal

from .factories import ForumEditionFactory, PhaseFactory, RoomFactory, SessionFactory, open_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    user = UserFactory()
    grant_role(user, Role.SECRETARIAT)
    return user


@pytest.fixture
def agenda(secretariat):
    edition = open_edition(year=2046, title="WSIS Forum 2046", start_date=dt.date(2046, 5, 14),
                           end_date=dt.date(2046, 5, 18), venue="CICG, Geneva")
    room = RoomFactory(edition=edition, name="Room A")
    tz = ZoneInfo("Europe/Zurich")
    sessions = []
    for i, (title, code, sdg) in enumerate([("Digital skills, commas; and semicolons", "C4", 4),
                                            ("E-health in the Pacific", "C7.4", 3)]):
        s = SessionFactory(edition=edition, title=title, description=f"Line one.\nLine two of {i}.",
                           organisers="ITU, UNESCO")
        s.action_lines.set([ActionLine.objects.get(code=code)])
        s.goals.set([Goal.objects.get(number=sdg)])
        SessionSpeaker.objects.create(session=s, name=f"Speaker {i}", key=f"speaker {i}")
        start = dt.datetime(2046, 5, 15, 9 + 2 * i, tzinfo=tz)
        services.session_schedule(session=s, room=room, starts_at=start, ends_at=start + dt.timedelta(minutes=90),
                                  actor=secretariat)
        sessions.append(s)
    SessionFactory(edition=edition, title="Unscheduled")
    return edition, sessions


def events(content: bytes):
    return [c for c in Calendar.from_ical(content).walk() if c.name == "VEVENT"]


def test_agenda_feed_parses_and_round_trips(client, agenda):
    edition, sessions = agenda
    response = client.get(reverse("forum:agenda-ics", args=[edition.year]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert str(cal["X-WR-CALNAME"]) == "WSIS Forum 2046 agenda"
    evs = events(response.content)
    assert [str(e["SUMMARY"]) for e in evs] == ["Digital skills, commas; and semicolons", "E-health in the Pacific"]
    first = evs[0]
    assert first.decoded("DTSTART") == dt.datetime(2046, 5, 15, 7, 0, tzinfo=dt.UTC)  # 09:00 in Geneva (CEST)
    assert first.decoded("DTEND") - first.decoded("DTSTART") == dt.timedelta(minutes=90)
    assert str(first["LOCATION"]) == "Room A, CICG, Geneva"
    assert "Line one.\nLine two of 0." in str(first["DESCRIPTION"])
    assert str(first["UID"]) == f"forum-session-{sessions[0].pk}@wsis-platform"
    assert str(first["URL"]).endswith(sessions[0].get_absolute_url())
    # Round trip: serialising the parsed calendar again gives the same calendar.
    assert Calendar.from_ical(cal.to_ical()).to_ical() == cal.to_ical()


def test_agenda_feed_honours_the_agenda_filters(client, agenda):
    edition, _sessions = agenda
    response = client.get(reverse("forum:agenda-ics", args=[edition.year]), {"action_line": "C7.4"})
    assert [str(e["SUMMARY"]) for e in events(response.content)] == ["E-health in the Pacific"]


def test_one_session_feed_has_one_event_and_an_unscheduled_session_has_none(client, agenda):
    edition, sessions = agenda
    response = client.get(reverse("forum:session-ics", args=[edition.year, sessions[1].pk]))
    [event] = events(response.content)
    assert str(event["SUMMARY"]) == "E-health in the Pacific"
    unscheduled = edition.sessions.get(title="Unscheduled")
    assert client.get(reverse("forum:session-ics", args=[edition.year, unscheduled.pk])).status_code == 404


def test_timeline_feed_has_only_future_milestones_as_all_day_events(client):
    history_load()
    Milestone.objects.create(slug="future-meeting", kind="review", date=timezone.localdate() + dt.timedelta(days=30),
                             end_date=timezone.localdate() + dt.timedelta(days=31), title_en="A future meeting")
    response = client.get(reverse("forum:timeline-ics"))
    evs = {str(e["UID"]): e for e in events(response.content)}
    assert "forum-milestone-future-meeting@wsis-platform" in evs
    assert "forum-milestone-agenda-2030-deadline@wsis-platform" in evs
    assert "forum-milestone-wsis-geneva-2003@wsis-platform" not in evs
    future = evs["forum-milestone-future-meeting@wsis-platform"]
    assert future.decoded("DTSTART") == timezone.localdate() + dt.timedelta(days=30)
    assert future.decoded("DTEND") == timezone.localdate() + dt.timedelta(days=32)  # exclusive end


class TestApi:
    def test_editions_phases_and_sessions_are_public(self, client, agenda):
        edition, _sessions = agenda
        data = client.get("/api/v1/forum/editions").json()
        assert any(e["year"] == 2046 for e in data)
        detail = client.get("/api/v1/forum/editions/2046").json()
        assert detail["phases"][0]["is_open"] is True and "session_proposal" in detail["phases"][0]["accepts"]
        assert client.get("/api/v1/forum/editions/2046/phases").json()[0]["number"] == 1
        sessions = client.get("/api/v1/forum/editions/2046/sessions").json()
        assert [s["title"] for s in sessions] == ["Digital skills, commas; and semicolons", "E-health in the Pacific"]
        assert sessions[1]["action_lines"] == ["C7.4"] and sessions[1]["sdgs"] == [3]
        assert client.get("/api/v1/forum/editions/1999").status_code == 404

    def test_own_submissions_need_authentication(self, client):
        assert client.get("/api/v1/forum/submissions").status_code == 401

    def test_a_member_submits_through_the_api_and_lists_only_their_own(self, client):
        edition = open_edition(year=2047)
        membership = MembershipFactory()
        client.force_login(membership.user)
        payload = {"edition": 2047, "kind": "session_proposal", "organisation": membership.organisation.slug,
                   "title": "Open source for e-government", "summary": "A workshop.",
                   "session_format": "thematic_workshop", "organisers": "OSF", "action_lines": ["C7.1"],
                   "sdgs": [16], "speakers": [{"name": "Mei Chen", "gender": "female", "region": "asia_pacific"}]}
        response = client.post("/api/v1/forum/submissions", json.dumps(payload), content_type="application/json")
        assert response.status_code == 201, response.content
        assert response.json()["state"] == "submitted" and response.json()["action_lines"] == ["C7.1"]
        other = MembershipFactory()
        services.submission_create(edition=edition, kind="thematic_input", organisation=other.organisation,
                                   actor=other.user, title="Someone else's", summary="S", issue="I",
                                   goals=[Goal.objects.get(number=5)])
        mine = client.get("/api/v1/forum/submissions").json()
        assert [s["title"] for s in mine] == ["Open source for e-government"]

    def test_the_api_refuses_a_submission_outside_its_window_with_the_phase_message(self, client):
        edition = ForumEditionFactory(year=2048, title="WSIS Forum 2048")
        PhaseFactory(edition=edition, name="Phase II: Call for proposals",
                     starts_on=timezone.localdate() + dt.timedelta(days=3),
                     ends_on=timezone.localdate() + dt.timedelta(days=40))
        membership = MembershipFactory()
        client.force_login(membership.user)
        payload = {"edition": 2048, "kind": "thematic_input", "organisation": membership.organisation.slug,
                   "title": "T", "summary": "S", "issue": "I", "sdgs": [4]}
        response = client.post("/api/v1/forum/submissions", json.dumps(payload), content_type="application/json")
        assert response.status_code == 400
        assert "Phase II: Call for proposals" in response.json()["detail"]
        assert not Submission.objects.exists()

    def test_the_api_names_a_bad_field(self, client):
        open_edition(year=2049)
        membership = MembershipFactory()
        client.force_login(membership.user)
        payload = {"edition": 2049, "kind": "thematic_input", "organisation": membership.organisation.slug,
                   "title": "T", "summary": "S", "issue": "I", "action_lines": ["C99"]}
        response = client.post("/api/v1/forum/submissions", json.dumps(payload), content_type="application/json")
        assert response.status_code == 400 and response.json()["detail"].startswith("action_lines:")
