"""Agency reporting rounds: prefilled figures, the consolidated draft's numbers, reminders; the overview."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wsis.coordination import selectors, services
from wsis.coordination.models import Contribution
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative

from .factories import cofacilitator, facilitator, line, milestone, secretariat

pytestmark = pytest.mark.django_db


def _round(sec, **kw):
    values = {"title": "Contributions 2027", "session": "CSTD 30th session (2027)",
              "period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 12, 31),
              "deadline": timezone.localdate() + dt.timedelta(days=10), **kw}
    return services.round_create(actor=sec, **values)


def test_contributions_are_prefilled_from_the_road_map_and_the_registry():
    lead = facilitator("C7.4")
    today = timezone.localdate()
    milestone(lead, "C7.4", title="Done", due=today - dt.timedelta(days=30), completed_on=today - dt.timedelta(days=40))
    milestone(lead, "C7.4", title="Late", due=today - dt.timedelta(days=1))
    milestone(lead, "C7.4", title="Ahead", due=today + dt.timedelta(days=300))
    in_period = make_initiative(state="published", primary_action_line=line("C7.4"))
    Initiative.objects.filter(pk=in_period.pk).update(published_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    old = make_initiative(state="published", primary_action_line=line("C7.4"))
    Initiative.objects.filter(pk=old.pk).update(published_at=dt.datetime(2020, 3, 1, tzinfo=dt.UTC))  # inactive
    make_initiative(state="published", primary_action_line=line("C5"))  # another line
    services.meeting_save(actor=lead, action_line=line("C7.4"), title="e-health meeting", date=dt.date(2026, 7, 9))
    services.meeting_save(actor=lead, action_line=line("C7.4"), title="older", date=dt.date(2025, 7, 9))
    rnd = _round(secretariat())
    contributions = {c.agency.code: c for c in rnd.contributions.filter(action_line=line("C7.4"))}
    assert set(contributions) == {"WHO", "ITU"} and contributions["WHO"].is_lead and not contributions["ITU"].is_lead
    c = contributions["WHO"]
    assert (c.milestones_total, c.milestones_achieved, c.milestones_late) == (3, 1, 1)
    assert (c.initiatives_total, c.initiatives_active, c.initiatives_new, c.events_held) == (2, 1, 1, 1)
    # One contribution per agency and line it facilitates (reference data).
    assert rnd.contributions.filter(action_line__code="C7.2").count() == 3  # UNCTAD, ITC, UPU


def test_consolidated_draft_numbers_on_a_hand_made_dataset(client):
    sec = secretariat()
    rnd = _round(sec)
    Contribution.objects.filter(round=rnd).update(milestones_total=0)  # a clean slate

    def submit(code, agency, **figures):
        c = rnd.contributions.get(action_line__code=code, agency__code=agency)
        return services.contribution_save(actor=sec, contribution=c, submit=True, highlights=f"{agency} on {code}",
                                          **figures)

    submit("C7.4", "WHO", milestones_total=4, milestones_achieved=1, milestones_late=2, initiatives_total=10,
           initiatives_active=7, initiatives_new=3, events_held=1)
    submit("C7.4", "ITU", milestones_total=5, milestones_achieved=3, milestones_late=0, initiatives_total=12,
           initiatives_active=9, initiatives_new=4, events_held=2)  # the lead's figures win
    submit("C7.2", "ITC", milestones_total=2, milestones_achieved=0, milestones_late=1, initiatives_total=6,
           initiatives_active=2, initiatives_new=1, events_held=0)
    submit("C7.2", "UPU", milestones_total=3, milestones_achieved=1, milestones_late=0, initiatives_total=5,
           initiatives_active=5, initiatives_new=2, events_held=4)  # no lead: the largest per figure
    draft = selectors.consolidated_draft(rnd)
    by_code = {d.action_line.code: d for d in draft["lines"]}
    assert by_code["C7.4"].figures == {"milestones_total": 4, "milestones_achieved": 1, "milestones_late": 2,
                                       "initiatives_total": 10, "initiatives_active": 7, "initiatives_new": 3,
                                       "events_held": 1}
    assert by_code["C7.2"].figures == {"milestones_total": 3, "milestones_achieved": 1, "milestones_late": 1,
                                       "initiatives_total": 6, "initiatives_active": 5, "initiatives_new": 2,
                                       "events_held": 4}
    assert [c.agency.code for c in by_code["C7.2"].missing] == ["UNCTAD"]
    assert draft["totals"]["milestones_total"] == 7 and draft["totals"]["initiatives_total"] == 16
    assert draft["totals"]["events_held"] == 5
    assert draft["submitted"] == 4 and draft["expected"] == rnd.contributions.count()
    client.force_login(sec)
    page = client.get(f"/en/coordination/reporting/{rnd.pk}/draft/").content.decode()
    assert '<td id="total-milestones">7</td>' in page and '<td id="total-initiatives">16</td>' in page
    assert "UPU on C7.2" in page and "WHO on C7.4" in page


def test_contributions_are_written_by_the_lines_facilitators_while_the_round_is_open(client):
    sec = secretariat()
    rnd = _round(sec)
    c = rnd.contributions.get(action_line__code="C7.4", agency__code="WHO")
    co = cofacilitator("C7.4")
    services.contribution_save(actor=co, contribution=c, highlights="Strategies in 12 countries.")
    with pytest.raises(PermissionDenied):
        services.contribution_save(actor=facilitator("C5"), contribution=c, highlights="Not mine.")
    client.force_login(facilitator("C5"))
    assert client.get(f"/en/coordination/reporting/{rnd.pk}/contributions/{c.pk}/").status_code == 404
    assert client.get(f"/en/coordination/reporting/{rnd.pk}/draft/").status_code == 403
    client.force_login(co)
    response = client.post(f"/en/coordination/reporting/{rnd.pk}/contributions/{c.pk}/",
                           {"milestones_total": "1", "milestones_achieved": "2", "milestones_late": "0",
                            "initiatives_total": "0", "initiatives_active": "0", "initiatives_new": "0",
                            "events_held": "0", "action": "submit", "lock_version": str(c.lock_version + 1)})
    assert response.status_code == 400 and "cannot outnumber" in response.content.decode()
    services.round_close(actor=sec, rnd=rnd)
    c.refresh_from_db()
    with pytest.raises(ValidationError):
        services.contribution_save(actor=co, contribution=c, highlights="Too late.")


def test_reminders_go_to_the_lines_facilitators_once_a_week():
    sec = secretariat()
    lead, co = facilitator("C7.4"), cofacilitator("C7.4")
    rnd = _round(sec, deadline=timezone.localdate() + dt.timedelta(days=5))
    submitted = rnd.contributions.get(action_line__code="C5")
    services.contribution_save(actor=sec, contribution=submitted, submit=True)
    mail.outbox.clear()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
        count = services.contribution_reminders_send()
        assert count == rnd.contributions.count() - 1
        recipients = {m.to[0] for m in mail.outbox}
        assert {lead.email, co.email} <= recipients
        assert any("C7.4" in m.subject for m in mail.outbox if m.to == [lead.email])
        assert services.contribution_reminders_send() == 0  # not again within a week
    far = _round(sec, title="Later round", deadline=timezone.localdate() + dt.timedelta(days=60))
    assert services.contribution_reminders_send() == 0 and far.contributions.exists()


def test_overview_filters_prints_and_answers_in_the_api(client):
    lead5, lead74 = facilitator("C5"), facilitator("C7.4")
    today = timezone.localdate()
    milestone(lead5, "C5", title="C5 late milestone", due=today - dt.timedelta(days=3))
    milestone(lead74, "C7.4", title="C7.4 coming milestone", due=today + dt.timedelta(days=20))
    services.road_map_update(actor=lead74, action_line=line("C7.4"), summary="",
                             targets=list(selectors.matrix_targets(line("C7.4"))[:1]), gdc_objectives=[])
    services.road_map_publish(actor=lead5, action_line=line("C5"))
    services.road_map_publish(actor=lead74, action_line=line("C7.4"))
    milestone(lead5, "C5", title="Unpublished milestone")
    page = client.get("/en/coordination/").content.decode()
    assert "C5 late milestone" in page and "C7.4 coming milestone" in page and "Unpublished milestone" not in page
    assert 'css/coordination' in page  # the print stylesheet
    page = client.get("/en/coordination/?status=late").content.decode()
    assert "C5 late milestone" in page and "C7.4 coming milestone" not in page
    page = client.get("/en/coordination/?action_line=C7.4").content.decode()
    assert "C5 late milestone" not in page
    assert client.get("/en/coordination/?goal=99&status=nonsense").status_code == 200
    data = client.get("/api/v1/coordination/overview?status=late").json()
    assert data["totals"]["late"] == 1 and [r["action_line"] for r in data["road_maps"]] == ["C5", "C7.4"]
    assert data["road_maps"][0]["milestones"][0]["status"] == "late"
    bad = client.get("/api/v1/coordination/overview?goal=99")
    assert bad.status_code == 400 and "query.goal" in bad.json()["errors"]
    one = client.get("/api/v1/coordination/road-maps/C7.4").json()
    assert one["version"] == 1 and one["milestones"][0]["title"] == "C7.4 coming milestone"
    assert client.get("/api/v1/coordination/road-maps/C1").status_code == 404
    # The action-line page shows the road map's section.
    from wsis.taxonomy.models import ActionLine

    page = client.get(f"/en/action-lines/{ActionLine.objects.get(code='C5').slug}/").content.decode()
    assert "Implementation road map" in page


def test_demo_seeder_is_idempotent():
    from wsis.core.demo import DemoContext
    from wsis.core.registry import registry

    ctx = DemoContext(seed=1, initiatives=0)
    seeders = {s.name: s for s in registry.demo_seeders()}
    for name in ("accounts", "indicators", "coordination"):
        seeders[name].load()(ctx)
    from wsis.coordination.models import Meeting, ReportingRound, RoadMapVersion

    assert RoadMapVersion.objects.filter(published=True).count() == 2
    assert Meeting.objects.count() == 1 and ReportingRound.objects.get().state == "open"
    seeders["coordination"].load()(ctx)
    assert RoadMapVersion.objects.count() == 2 and ReportingRound.objects.count() == 1


def test_the_consolidated_draft_is_built_through_the_document_engine(client, settings, tmp_path):
    from wsis.reports import services as report_services
    from wsis.reports.models import GeneratedDocument

    settings.MEDIA_ROOT = tmp_path
    sec = secretariat()
    rnd = _round(sec)
    Contribution.objects.filter(round=rnd).update(milestones_total=0)
    c = rnd.contributions.get(action_line__code="C7.4", agency__code="WHO")
    services.contribution_save(actor=sec, contribution=c, submit=True, milestones_total=4, milestones_achieved=1,
                               milestones_late=2, initiatives_total=10, initiatives_active=7, initiatives_new=3,
                               events_held=1, highlights="Digital health strategies in twelve countries.")
    with pytest.raises(PermissionDenied):
        services.round_compile(actor=facilitator("C7.4"), rnd=rnd)
    doc = services.round_compile(actor=sec, rnd=rnd, enqueue=False)
    doc = report_services.document_build(document_id=doc.pk)
    assert doc.status == GeneratedDocument.Status.DONE, doc.messages
    assert doc.data["totals"]["milestones_total"] == 4 and doc.data["submitted"] == 1
    html = doc.html_file.read().decode()
    assert "Digital health strategies in twelve countries." in html and "CSTD 30th session (2027)" in html
    assert doc.pages >= 1 and doc.docx_file.size > 0
    client.force_login(sec)
    page = client.get(f"/en/coordination/reporting/{rnd.pk}/draft/").content.decode()
    assert f'href="/en/reports/documents/{doc.pk}/"' in page
    response = client.post(f"/en/coordination/reporting/{rnd.pk}/compile/")
    assert response.status_code == 302 and GeneratedDocument.objects.filter(kind="coordination.round").count() == 2
