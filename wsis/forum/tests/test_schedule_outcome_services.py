"""Scheduling refuses double-booked rooms and speakers; outcomes, the outcome document and its files."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wsis.accounts.tests.factories import MembershipFactory, UserFactory, grant_role
from wsis.core.models import AuditLog
from wsis.core.permissions import Role
from wsis.forum import selectors, services
from wsis.forum.models import OutcomeDocument, SessionSpeaker
from wsis.taxonomy.models import ActionLine, Goal

from .factories import ForumEditionFactory, RoomFactory, SessionFactory

pytestmark = pytest.mark.django_db
GVA = ZoneInfo("Europe/Zurich")


@pytest.fixture
def secretariat():
    user = UserFactory()
    grant_role(user, Role.SECRETARIAT)
    return user


@pytest.fixture
def edition():
    return ForumEditionFactory(year=2040, title="WSIS Forum 2040", start_date=dt.date(2040, 5, 14),
                               end_date=dt.date(2040, 5, 18))


def at(day, hour, minute=0):
    return dt.datetime(2040, 5, day, hour, minute, tzinfo=GVA)


def session_with(edition, *speakers, **kwargs):
    session = SessionFactory(edition=edition, **kwargs)
    for name in speakers:
        SessionSpeaker.objects.create(session=session, name=name, key=SessionSpeaker.make_key(name))
    return session


class TestScheduling:
    def test_a_free_room_and_time_is_booked_and_audited(self, edition, secretariat):
        room = RoomFactory(edition=edition, name="Room A")
        session = session_with(edition, "Amina Diallo")
        services.session_schedule(session=session, room=room, starts_at=at(15, 9), ends_at=at(15, 10, 30),
                                  actor=secretariat)
        session.refresh_from_db()
        assert session.is_scheduled and session.room == room
        assert AuditLog.objects.filter(action="forum.session.schedule", target_id=str(session.pk)).exists()

    def test_an_overlapping_booking_of_the_same_room_is_refused_naming_the_other_session(self, edition, secretariat):
        room = RoomFactory(edition=edition, name="Room A")
        first = session_with(edition, title="Opening of the forum")
        second = session_with(edition, title="Community networks")
        services.session_schedule(session=first, room=room, starts_at=at(15, 9), ends_at=at(15, 10, 30),
                                  actor=secretariat)
        with pytest.raises(ValidationError) as excinfo:
            services.session_schedule(session=second, room=room, starts_at=at(15, 10), ends_at=at(15, 11),
                                      actor=secretariat)
        message = excinfo.value.message_dict["room"][0]
        assert message == ("Room A is already booked from 15 May 2040 09:00 to 15 May 2040 10:30 by the session "
                           "“Opening of the forum”.")
        second.refresh_from_db()
        assert not second.is_scheduled

    def test_back_to_back_sessions_in_one_room_are_allowed(self, edition, secretariat):
        room = RoomFactory(edition=edition)
        first, second = session_with(edition), session_with(edition)
        services.session_schedule(session=first, room=room, starts_at=at(15, 9), ends_at=at(15, 10), actor=secretariat)
        services.session_schedule(session=second, room=room, starts_at=at(15, 10), ends_at=at(15, 11),
                                  actor=secretariat)
        second.refresh_from_db()
        assert second.is_scheduled

    def test_a_speaker_cannot_be_in_two_rooms_at_once(self, edition, secretariat):
        room_a, room_b = RoomFactory(edition=edition, name="Room A"), RoomFactory(edition=edition, name="Room B")
        first = session_with(edition, "Amina Diallo", title="Digital inclusion")
        second = session_with(edition, "Kenji Sato", "  amina  DIALLO ", title="E-health")
        services.session_schedule(session=first, room=room_a, starts_at=at(16, 14), ends_at=at(16, 15),
                                  actor=secretariat)
        with pytest.raises(ValidationError) as excinfo:
            services.session_schedule(session=second, room=room_b, starts_at=at(16, 14, 30), ends_at=at(16, 16),
                                      actor=secretariat)
        assert excinfo.value.message_dict["speakers"][0] == (
            "Amina Diallo already speaks in the session “Digital inclusion” from 16 May 2040 14:00 to "
            "16 May 2040 15:00.")
        # Later the same day is fine.
        services.session_schedule(session=second, room=room_b, starts_at=at(16, 15), ends_at=at(16, 16),
                                  actor=secretariat)

    def test_times_outside_the_forum_or_reversed_are_refused(self, edition, secretariat):
        room = RoomFactory(edition=edition)
        session = session_with(edition)
        with pytest.raises(ValidationError, match="runs from 14 May 2040 to 18 May 2040"):
            services.session_schedule(session=session, room=room, starts_at=at(19, 9), ends_at=at(19, 10),
                                      actor=secretariat)
        with pytest.raises(ValidationError, match="must end after it starts"):
            services.session_schedule(session=session, room=room, starts_at=at(15, 10), ends_at=at(15, 9),
                                      actor=secretariat)

    def test_a_room_of_another_edition_is_refused(self, edition, secretariat):
        other_room = RoomFactory(edition=ForumEditionFactory())
        with pytest.raises(ValidationError, match="another edition"):
            services.session_schedule(session=session_with(edition), room=other_room, starts_at=at(15, 9),
                                      ends_at=at(15, 10), actor=secretariat)

    def test_only_the_secretariat_schedules(self, edition):
        with pytest.raises(PermissionDenied):
            services.session_schedule(session=session_with(edition), room=RoomFactory(edition=edition),
                                      starts_at=at(15, 9), ends_at=at(15, 10), actor=UserFactory())


def report(session, actor, lines, goals, text="Key points."):
    return services.session_outcome_submit(
        session=session, actor=actor, key_points=text,
        action_lines=ActionLine.objects.filter(code__in=lines), goals=Goal.objects.filter(number__in=goals))


class TestOutcomes:
    def test_members_of_the_organising_organisation_report_the_outcome_others_cannot(self, edition):
        membership = MembershipFactory()
        session = session_with(edition, organisation=membership.organisation)
        outcome = report(session, membership.user, ["C2"], [9])
        assert list(outcome.action_lines.values_list("code", flat=True)) == ["C2"]
        with pytest.raises(PermissionDenied):
            report(session, UserFactory(), ["C2"], [9])
        # Reporting again replaces the outcome.
        report(session, membership.user, ["C3"], [4], text="Revised.")
        session.outcome.refresh_from_db()
        assert session.outcome.key_points == "Revised."

    def test_an_outcome_needs_key_points_and_an_action_line(self, edition, secretariat):
        session = session_with(edition)
        with pytest.raises(ValidationError) as excinfo:
            services.session_outcome_submit(session=session, actor=secretariat, key_points=" ",
                                            action_lines=[], goals=[])
        assert set(excinfo.value.message_dict) == {"key_points", "action_lines"}

    def test_outcome_document_groups_by_action_line_and_counts_the_matrix(self, edition, secretariat):
        room = RoomFactory(edition=edition)
        s1, s2, s3 = (session_with(edition, title=f"S{i}") for i in (1, 2, 3))
        for i, s in enumerate((s1, s2, s3)):
            services.session_schedule(session=s, room=room, starts_at=at(15, 9 + i), ends_at=at(15, 10 + i),
                                      actor=secretariat)
        session_with(edition, title="Unscheduled, no outcome")
        report(s1, secretariat, ["C2", "C7.4"], [3, 9])
        report(s2, secretariat, ["C2"], [9, 17])
        report(s3, secretariat, ["C10"], [])
        data = selectors.outcome_document_data(edition)
        assert data["session_count"] == 3 and data["scheduled_count"] == 3
        assert [g["action_line"].code for g in data["groups"]] == ["C2", "C7.4", "C10"]
        assert [o.session.title for o in data["groups"][0]["outcomes"]] == ["S1", "S2"]
        assert data["matrix"] == {"C2|3": 1, "C2|9": 2, "C2|17": 1, "C7.4|3": 1, "C7.4|9": 1}
        assert data["link_count"] == 6
        rows = {r["action_line"].code: r for r in data["matrix_rows"]}
        assert rows["C2"]["total"] == 2 and rows["C10"]["total"] == 1 and rows["C1"]["total"] == 0
        assert rows["C2"]["cells"][8] == 2  # SDG 9 is the ninth column
        assert data["goal_totals"][8] == 2 and data["goal_totals"][2] == 1 and data["goal_totals"][16] == 1

    def test_compiling_renders_a_pdf_and_a_docx_with_the_sessions_and_the_matrix(
            self, edition, secretariat, django_capture_on_commit_callbacks):
        from docx import Document
        from pypdf import PdfReader

        session = session_with(edition, title="Connecting rural schools")
        report(session, secretariat, ["C2"], [4, 9], text="Schools need affordable backhaul.")
        with pytest.raises(PermissionDenied):
            services.outcome_document_compile(edition=edition, actor=UserFactory())
        with django_capture_on_commit_callbacks(execute=True):
            document = services.outcome_document_compile(edition=edition, actor=secretariat)
        document.refresh_from_db()
        assert document.status == OutcomeDocument.Status.READY and document.session_count == 1
        with document.pdf.open("rb") as f:
            text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(f.read())).pages)
        assert "WSIS Forum 2040: outcome document" in text
        assert "Connecting rural schools" in text and "Schools need affordable backhaul." in text
        assert "WSIS–SDG matrix of the sessions" in text
        with document.docx.open("rb") as f:
            doc = Document(io.BytesIO(f.read()))
        paragraphs = "\n".join(p.text for p in doc.paragraphs)
        assert "Connecting rural schools" in paragraphs and "Schools need affordable backhaul." in paragraphs
        table = doc.tables[-1]  # the first is the cover's layout
        header = [c.text for c in table.rows[0].cells]
        assert header[0] == "Action line" and header[4] == "4" and header[-1] == "Sessions"
        c2 = next(r for r in table.rows if r.cells[0].text == "C2")
        assert c2.cells[4].text == "1" and c2.cells[9].text == "1" and c2.cells[-1].text == "1"

    def test_compiling_with_no_outcome_is_refused(self, edition, secretariat):
        with pytest.raises(ValidationError, match="No session of WSIS Forum 2040 has reported an outcome yet"):
            services.outcome_document_compile(edition=edition, actor=secretariat)


def test_admin_refuses_a_speaker_who_already_speaks_elsewhere_at_that_time(client, edition, secretariat):
    from wsis.forum.models import Session

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    room_a, room_b = RoomFactory(edition=edition, name="Room A"), RoomFactory(edition=edition, name="Room B")
    first = session_with(edition, "Amina Diallo", title="Digital inclusion")
    second = session_with(edition, title="E-health")
    services.session_schedule(session=first, room=room_a, starts_at=at(16, 14), ends_at=at(16, 15), actor=secretariat)
    services.session_schedule(session=second, room=room_b, starts_at=at(16, 14), ends_at=at(16, 15),
                              actor=secretariat)
    client.force_login(admin_user)
    url = f"/admin/forum/session/{second.pk}/change/"
    data = {"edition": edition.pk, "title": "E-health", "type": "thematic_workshop", "track": "forum",
            "description": "", "organisers": "", "speakers-TOTAL_FORMS": "1", "speakers-INITIAL_FORMS": "0",
            "speakers-MIN_NUM_FORMS": "0", "speakers-MAX_NUM_FORMS": "1000", "speakers-0-name": "Amina Diallo",
            "speakers-0-gender": "female", "speakers-0-order": "0"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Amina Diallo already speaks in the session “Digital inclusion”" in response.content.decode()
    assert not Session.objects.get(pk=second.pk).speakers.exists()
    data["speakers-0-name"] = "Kenji Sato"
    assert client.post(url, data).status_code == 302
    assert Session.objects.get(pk=second.pk).speakers.get().key == "kenji sato"
