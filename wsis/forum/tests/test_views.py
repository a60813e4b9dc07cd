"""Forum pages: render in English and Arabic, submit through the form, review in bulk, schedule, report."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from wsis.accounts.tests.factories import MembershipFactory, UserFactory, grant_role
from wsis.core.permissions import Role
from wsis.forum import services
from wsis.forum.history import history_load
from wsis.forum.models import OutcomeDocument, SessionSpeaker, Submission
from wsis.taxonomy.models import ActionLine, Goal

from .factories import ForumEditionFactory, PhaseFactory, RoomFactory, SessionFactory, open_edition
from .test_submission_services import proposal_kwargs

pytestmark = pytest.mark.django_db


def url(lang, name, *args):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.fixture
def secretariat():
    user = UserFactory()
    grant_role(user, Role.SECRETARIAT)
    return user


@pytest.fixture
def edition():
    return open_edition(year=2045, title="WSIS Forum 2045", is_current=True)


@pytest.fixture
def scheduled(edition, secretariat):
    room = RoomFactory(edition=edition, name="Room A")
    session = SessionFactory(edition=edition, title="Broadband for rural clinics")
    session.action_lines.set([ActionLine.objects.get(code="C7.4")])
    session.goals.set([Goal.objects.get(number=3)])
    SessionSpeaker.objects.create(session=session, name="Amina Diallo", key="amina diallo")
    start = dt.datetime.combine(edition.start_date, dt.time(10), tzinfo=ZoneInfo(edition.timezone))
    services.session_schedule(session=session, room=room, starts_at=start, ends_at=start + dt.timedelta(hours=1),
                              actor=secretariat)
    return session


PUBLIC_PAGES = [
    ("forum:home", lambda e, s: []),
    ("forum:edition", lambda e, s: [e.year]),
    ("forum:agenda", lambda e, s: [e.year]),
    ("forum:statistics", lambda e, s: [e.year]),
    ("forum:session", lambda e, s: [e.year, s.pk]),
    ("forum:timeline", lambda e, s: []),
]


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize(("name", "args"), PUBLIC_PAGES)
def test_public_pages_render_in_english_and_arabic(client, lang, name, args, edition, scheduled):
    history_load()
    response = client.get(url(lang, name, *args(edition, scheduled)))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    assert html.count("<h1") == 1


def test_home_page_shows_the_forum_teaser(client, edition):
    html = client.get(url("en", "core:home")).content.decode()
    assert "forum-teaser" in html and "WSIS Forum 2045" in html


def test_timeline_lists_the_process_and_the_hlpf_themes(client):
    history_load()
    html = client.get(url("en", "forum:timeline")).content.decode()
    for text in ("A/RES/56/183", "A/RES/70/125", "A/RES/80/173", "High-level Political Forum 2023",
                 "Transformation towards sustainable and resilient societies", "WSIS Forum 2019", "2030"):
        assert text in html
    assert "ITU Plenipotentiary" in html


def test_agenda_lists_scheduled_sessions_by_day_and_filters_by_action_line(client, edition, scheduled):
    SessionFactory(edition=edition, title="Not yet scheduled")
    agenda = url("en", "forum:agenda", edition.year)
    html = client.get(agenda).content.decode()
    assert "Broadband for rural clinics" in html and "Not yet scheduled" not in html
    assert edition.start_date.strftime("%-d") in html and "10:00" in html  # local time of the forum
    assert "Broadband for rural clinics" not in client.get(agenda, {"action_line": "C5"}).content.decode()
    assert "Broadband for rural clinics" in client.get(agenda, {"goal": 3}).content.decode()
    partial = client.get(agenda, {"action_line": "C7.4"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Broadband for rural clinics" in partial and "<html" not in partial


def test_agenda_query_count_is_bounded(client, edition, secretariat, django_assert_max_num_queries):
    room = RoomFactory(edition=edition)
    tz = ZoneInfo(edition.timezone)
    for i in range(8):
        s = SessionFactory(edition=edition)
        s.action_lines.set([ActionLine.objects.get(code="C2")])
        start = dt.datetime.combine(edition.start_date, dt.time(8 + i), tzinfo=tz)
        services.session_schedule(session=s, room=room, starts_at=start, ends_at=start + dt.timedelta(hours=1),
                                  actor=secretariat)
    with django_assert_max_num_queries(14):
        assert client.get(url("en", "forum:agenda", edition.year)).status_code == 200


def test_submit_page_requires_sign_in(client, edition):
    response = client.get(url("en", "forum:submit", edition.year, "session_proposal"))
    assert response.status_code == 302 and "next=" in response["Location"]


def post_proposal(client, edition, membership, **overrides):
    data = {
        "organisation": membership.organisation.pk, "title": "Community networks", "summary": "A workshop.",
        "session_format": "thematic_workshop", "organisers": "WITAN",
        "action_lines": [ActionLine.objects.get(code="C2").pk], "goals": [Goal.objects.get(number=4).pk],
        "speakers-TOTAL_FORMS": "4", "speakers-INITIAL_FORMS": "0", "speakers-MIN_NUM_FORMS": "0",
        "speakers-MAX_NUM_FORMS": "12",
        "speakers-0-name": "Amina Diallo", "speakers-0-gender": "female", "speakers-0-region": "africa",
    }
    for i in (1, 2, 3):
        data[f"speakers-{i}-gender"] = "not_stated"
    data.update(overrides)
    return client.post(url("en", "forum:submit", edition.year, "session_proposal"), data)


def test_a_member_proposes_a_session_through_the_form(client, edition):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = post_proposal(client, edition, membership)
    submission = Submission.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/forum/submissions/{submission.pk}/")
    assert submission.speakers.get().region == "africa"
    assert "Community networks" in client.get(response["Location"]).content.decode()
    assert "Community networks" in client.get(url("en", "forum:my-submissions")).content.decode()


def test_form_errors_name_the_field_and_keep_the_input(client, edition):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = post_proposal(client, edition, membership, organisers="", title="Keep this title")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Name the organisers of the session." in html
    assert 'aria-describedby="id_organisers_helptext id_organisers_error"' in html
    assert 'value="Keep this title"' in html
    assert not Submission.objects.exists()


def test_form_outside_the_window_shows_the_phase_message_and_refuses_the_post(client):
    edition = ForumEditionFactory()
    PhaseFactory(edition=edition, name="Phase IV: Deadline", starts_on=timezone.localdate() - dt.timedelta(days=30),
                 ends_on=timezone.localdate() - dt.timedelta(days=1))
    membership = MembershipFactory()
    client.force_login(membership.user)
    page = client.get(url("en", "forum:submit", edition.year, "session_proposal")).content.decode()
    assert "are not accepted on" in page and "Phase IV: Deadline" in page
    response = post_proposal(client, edition, membership)
    assert response.status_code == 400 and "Phase IV: Deadline" in response.content.decode()
    assert not Submission.objects.exists()


def test_submission_page_is_private_to_its_submitter_and_the_secretariat(client, edition, secretariat):
    submission = services.submission_create(**proposal_kwargs(edition, MembershipFactory()))
    client.force_login(UserFactory())
    assert client.get(url("en", "forum:submission", submission.pk)).status_code == 404
    client.force_login(secretariat)
    assert client.get(url("en", "forum:submission", submission.pk)).status_code == 200


def test_review_page_is_for_the_secretariat_only(client, edition):
    client.force_login(UserFactory())
    assert client.get(url("en", "forum:review", edition.year)).status_code == 403


def test_secretariat_declines_several_submissions_at_once_from_the_review_page(
        client, edition, secretariat, django_capture_on_commit_callbacks):
    subs = [services.submission_create(**proposal_kwargs(edition, MembershipFactory(), title=f"P{i}"))
            for i in range(3)]
    client.force_login(secretariat)
    review = url("en", "forum:review", edition.year)
    page = client.get(review).content.decode()
    assert all(f'value="{s.pk}"' in page for s in subs)
    response = client.post(review, {"submissions": [subs[0].pk, subs[1].pk], "decision": "decline", "reason": ""})
    assert response.status_code == 400 and "Give the reason for declining" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review, {"submissions": [subs[0].pk, subs[1].pk], "decision": "decline",
                                        "reason": "Duplicate of a facilitation meeting."})
    assert response.status_code == 302
    assert list(Submission.objects.order_by("title").values_list("state", flat=True)) == [
        "declined", "declined", "submitted"]
    assert len(mail.outbox) == 2


def test_secretariat_schedules_through_the_form_and_sees_the_conflict_message(client, edition, secretariat, scheduled):
    other = SessionFactory(edition=edition, title="Second session")
    client.force_login(secretariat)
    form_url = url("en", "forum:session-schedule", edition.year, other.pk)
    data = {"room": scheduled.room.pk, "day": edition.start_date.isoformat(), "start": "10:30", "end": "11:30"}
    response = client.post(form_url, data)
    assert response.status_code == 400
    assert "is already booked" in response.content.decode() and "Broadband for rural clinics" in response.content.decode()
    response = client.post(form_url, {**data, "start": "11:00", "end": "12:00"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.is_scheduled


def test_organiser_reports_an_outcome_and_secretariat_compiles_the_document(
        client, edition, secretariat, scheduled, django_capture_on_commit_callbacks):
    membership = MembershipFactory()
    scheduled.organisation = membership.organisation
    scheduled.save()
    client.force_login(UserFactory())
    assert client.get(url("en", "forum:session-outcome", edition.year, scheduled.pk)).status_code == 403
    client.force_login(membership.user)
    response = client.post(url("en", "forum:session-outcome", edition.year, scheduled.pk), {
        "key_points": "Clinics need reliable power.", "action_lines": [ActionLine.objects.get(code="C7.4").pk],
        "goals": [Goal.objects.get(number=3).pk]})
    assert response.status_code == 302
    client.logout()
    # An edition without an outcome document says so (never a 404 behind the tab).
    none = client.get(url("en", "forum:outcome-document", edition.year))
    assert none.status_code == 200 and "has no published outcome document" in none.content.decode()
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("en", "forum:outcome-document", edition.year))
    document = OutcomeDocument.objects.get()
    assert document.status == OutcomeDocument.Status.READY and not document.published_at
    # Compiled is not public: the secretariat reviews the draft first.
    draft_pdf = b"".join(client.get(url("en", "forum:outcome-pdf", edition.year)).streaming_content)
    client.logout()
    assert "has no published outcome document" in client.get(
        url("en", "forum:outcome-document", edition.year)).content.decode()
    assert client.get(url("en", "forum:outcome-pdf", edition.year)).status_code == 404
    client.force_login(secretariat)
    confirm = client.get(url("en", "forum:outcome-publish", edition.year))
    assert confirm.status_code == 200 and "Yes, publish it" in confirm.content.decode()
    client.post(url("en", "forum:outcome-publish", edition.year))
    document.refresh_from_db()
    assert document.published_at and len(document.pdf_sha256) == 64
    client.logout()
    html = client.get(url("ar", "forum:outcome-document", edition.year)).content.decode()
    assert "Clinics need reliable power." in html and 'dir="rtl"' in html
    pdf = client.get(url("en", "forum:outcome-pdf", edition.year))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    published_pdf = b"".join(pdf.streaming_content)
    from wsis.reports.tests.readback import pdf_pages

    assert "Draft" in " ".join(pdf_pages(draft_pdf)) and "Draft" not in " ".join(pdf_pages(published_pdf))
    assert f"WSIS/FORUM/{edition.year}/OUTCOMES" in pdf_pages(published_pdf)[0]
    docx = client.get(url("en", "forum:outcome-docx", edition.year))
    assert docx.status_code == 200 and b"".join(docx.streaming_content)[:2] == b"PK"


def test_statistics_page_counts_by_stakeholder_type_and_speaker_gender(client, edition, django_assert_max_num_queries):
    services.submission_create(**proposal_kwargs(edition, MembershipFactory()))
    with django_assert_max_num_queries(12):
        response = client.get(url("en", "forum:statistics", edition.year))
    html = response.content.decode()
    assert "Civil society" in html and "Woman" in html
    download = client.get(url("en", "forum:statistics", edition.year), {"format": "csv"})
    csv_text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "speakers by gender,Woman,1" in csv_text and "speakers by gender,Man,1" in csv_text
    assert "submissions by kind,Session or workshop proposal,1" in csv_text


def test_secretariat_adds_a_milestone_with_the_simple_form(client, secretariat):
    client.force_login(secretariat)
    response = client.post(url("en", "forum:milestone-create"), {
        "slug": "wsis-plus-25", "kind": "review", "date": "2030-06-01", "precision": "month",
        "title_en": "WSIS+25 review meeting", "title_ar": "", "title_fr": "", "title_es": "", "title_ru": "",
        "title_zh_hans": ""})
    assert response.status_code == 302
    assert "WSIS+25 review meeting" in client.get(url("en", "forum:timeline")).content.decode()
    client.force_login(UserFactory())
    assert client.get(url("en", "forum:milestone-create")).status_code == 403


def test_secretariat_creates_a_facilitation_meeting_with_speakers(client, edition, secretariat):
    client.force_login(secretariat)
    create = url("en", "forum:session-create", edition.year)
    assert client.get(create).status_code == 200
    response = client.post(create, {
        "title": "Action line C5 facilitation meeting", "type": "al_facilitation", "organisers": "ITU",
        "action_lines": [ActionLine.objects.get(code="C5").pk], "goals": [Goal.objects.get(number=16).pk],
        "speakers-TOTAL_FORMS": "1", "speakers-INITIAL_FORMS": "0", "speakers-MIN_NUM_FORMS": "0",
        "speakers-MAX_NUM_FORMS": "12", "speakers-0-name": "Felix Facilitator", "speakers-0-gender": "male"})
    session = edition.sessions.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/sessions/{session.pk}/schedule/")
    assert session.track == "forum" and session.speakers.get().key == "felix facilitator"
    client.force_login(UserFactory())
    assert client.get(create).status_code == 403


def test_review_list_filters_by_kind_as_a_partial_with_bounded_queries(
        client, edition, secretariat, django_assert_max_num_queries):
    for i in range(6):
        services.submission_create(**proposal_kwargs(edition, MembershipFactory(), title=f"Proposal {i}"))
    member = MembershipFactory()
    services.submission_create(edition=edition, kind="thematic_input", organisation=member.organisation,
                               actor=member.user, title="An input", summary="S", issue="I",
                               goals=[Goal.objects.get(number=5)])
    client.force_login(secretariat)
    review = url("en", "forum:review", edition.year)
    with django_assert_max_num_queries(20):
        response = client.get(review, {"kind": "thematic_input"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "An input" in html and "Proposal 0" not in html and "<html" not in html
    with django_assert_max_num_queries(20):
        assert "Proposal 5" in client.get(review).content.decode()


def test_submit_form_renders_in_arabic(client, edition):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.get(url("ar", "forum:submit", edition.year, "hltf_nomination"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html and 'name="speakers-0-name"' in html and 'name="speakers-1-name"' not in html
