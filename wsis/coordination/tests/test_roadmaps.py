"""Road maps: who edits them, milestone status from hand-made indicator series, versions, meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wsis.accounts.tests.factories import UserFactory
from wsis.coordination import selectors, services
from wsis.coordination.models import Milestone, RoadMapVersion
from wsis.coordination.selectors import ACHIEVED, LATE, NO_DATA, ON_TRACK, status_from
from wsis.core.models import AuditLog
from wsis.indicators.tests.factories import IndicatorFactory, observe
from wsis.taxonomy.models import Country, Target

from .factories import cofacilitator, facilitator, line, milestone, secretariat

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


# --- who edits ------------------------------------------------------------------------------------

def test_only_the_lines_facilitators_edit_its_road_map():
    lead = facilitator("C5")
    services.road_map_update(actor=lead, action_line=line("C5"), summary="Safer ICT use.", targets=[],
                             gdc_objectives=["GDC3"])
    for outsider in (facilitator("C2"), cofacilitator("C5"), UserFactory(), None):
        with pytest.raises(PermissionDenied):
            services.road_map_update(actor=outsider, action_line=line("C5"), summary="Taken over.", targets=[],
                                     gdc_objectives=[])
        with pytest.raises(PermissionDenied):
            milestone(outsider, "C5")
        with pytest.raises(PermissionDenied):
            services.road_map_publish(actor=outsider, action_line=line("C5"))
    assert line("C5").road_map.summary == "Safer ICT use."
    # The secretariat may (it passes every check).
    services.road_map_update(actor=secretariat(), action_line=line("C5"), summary="Edited by the secretariat.",
                             targets=[], gdc_objectives=[])


def test_cofacilitators_contribute_status_updates_but_outsiders_do_not():
    lead = facilitator("C7.4")
    m = milestone(lead, "C7.4")
    update = services.status_update_add(actor=cofacilitator("C7.4"), milestone=m, date=TODAY, text="Toolkit drafted.")
    assert update.milestone == m
    with pytest.raises(PermissionDenied):
        services.status_update_add(actor=facilitator("C5"), milestone=m, date=TODAY, text="Not mine.")
    assert m.updates.count() == 1


def test_edit_pages_answer_403_to_cofacilitators_and_200_to_the_lead(client):
    lead, co = facilitator("C5"), cofacilitator("C5")
    m = milestone(lead, "C5")
    client.force_login(co)
    assert client.get("/en/coordination/road-maps/C5/edit/").status_code == 403
    assert client.get(f"/en/coordination/road-maps/C5/milestones/{m.pk}/edit/").status_code == 403
    assert client.get(f"/en/coordination/road-maps/C5/milestones/{m.pk}/update/").status_code == 200
    client.force_login(lead)
    assert client.get("/en/coordination/road-maps/C5/edit/").status_code == 200
    response = client.post("/en/coordination/road-maps/C5/edit/", {"summary": "Via the page", "lock_version": ""})
    assert response.status_code == 302
    assert line("C5").road_map.summary == "Via the page"


def test_targets_must_be_linked_in_the_matrix_and_gdc_codes_known():
    lead = facilitator("C5")
    allowed = list(selectors.matrix_targets(line("C5")))
    assert allowed, "the Matrix links C5 to SDG targets"
    unlinked = Target.objects.exclude(pk__in=[t.pk for t in allowed]).first()
    with pytest.raises(ValidationError) as caught:
        services.road_map_update(actor=lead, action_line=line("C5"), summary="", targets=[unlinked],
                                 gdc_objectives=[])
    assert "targets" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.road_map_update(actor=lead, action_line=line("C5"), summary="", targets=allowed[:1],
                                 gdc_objectives=["GDC9"])
    assert "gdc_objectives" in caught.value.message_dict
    road_map = services.road_map_update(actor=lead, action_line=line("C5"), summary="", targets=allowed[:2],
                                        gdc_objectives=["GDC3", "GDC1", "GDC3"])
    assert road_map.gdc_objectives == ["GDC3", "GDC1"]
    assert AuditLog.objects.filter(action="coordination.road_map.update").count() == 1


# --- milestone status from a hand-made series ---------------------------------------------------

def _indicator_milestone(lead, **kwargs):
    indicator = IndicatorFactory()
    values = {"indicator": indicator, "country": Country.objects.get(iso3="KEN"), "baseline_year": 2020,
              "baseline_value": 20.0, "target_value": 50.0, **kwargs}
    return indicator, milestone(lead, "C7.4", due=dt.date(2030, 12, 31), **values)


def test_milestone_status_computed_from_an_indicator_series():
    lead = facilitator("C7.4")
    indicator, m = _indicator_milestone(lead)
    observe(indicator, "KEN", 2020, 20.0)
    assert selectors.milestone_status(m, today=TODAY).status == NO_DATA  # nothing after the baseline
    observe(indicator, "KEN", 2023, 30.0)  # expected on the straight path: 20 + 30 × 3/10 = 29
    progress = selectors.milestone_status(m, today=TODAY)
    assert (progress.status, progress.latest_year, progress.latest_value) == (ON_TRACK, 2023, 30.0)
    assert progress.expected_value == pytest.approx(29.0)
    observe(indicator, "KEN", 2024, 30.5)  # expected 32: behind
    assert selectors.milestone_status(m, today=TODAY).status == LATE
    observe(indicator, "KEN", 2025, 51.0)
    assert selectors.milestone_status(m, today=TODAY).status == ACHIEVED
    # Another country's values do not count.
    observe(indicator, "NPL", 2026, 99.0)
    assert selectors.milestone_status(m, today=TODAY).latest_value == 51.0


def test_status_rules_downwards_targets_past_due_and_milestones_without_indicator():
    series = [(2020, 40.0), (2024, 25.0)]
    # A target below the baseline (a price to bring down): 25 ≤ 30 reached.
    assert status_from(due_date=dt.date(2030, 1, 1), today=TODAY, series=series, baseline_year=2020,
                       baseline_value=40.0, target_value=30.0).status == ACHIEVED
    # Past the due date and not reached: late, whatever the path.
    assert status_from(due_date=dt.date(2025, 12, 31), today=TODAY, series=series, baseline_year=2020,
                       baseline_value=40.0, target_value=10.0).status == LATE
    # Without an indicator: done, late after the due date, on track before.
    assert status_from(due_date=dt.date(2025, 1, 1), today=TODAY, series=None,
                       completed_on=dt.date(2024, 12, 1)).status == ACHIEVED
    assert status_from(due_date=dt.date(2025, 1, 1), today=TODAY, series=None).status == LATE
    assert status_from(due_date=dt.date(2027, 1, 1), today=TODAY, series=None).status == ON_TRACK


def test_world_series_reads_the_published_world_aggregate():
    from wsis.indicators.models import Observation

    lead = facilitator("C7.4")
    indicator, m = _indicator_milestone(lead, country=None)
    Observation.objects.create(indicator=indicator, group_code="WLD", group_name="World", year=2024, value=60.0)
    observe(indicator, "KEN", 2024, 10.0)
    assert selectors.milestone_status(m, today=TODAY).status == ACHIEVED


def test_a_milestone_following_an_indicator_needs_baseline_and_target():
    lead = facilitator("C7.4")
    with pytest.raises(ValidationError) as caught:
        milestone(lead, "C7.4", indicator=IndicatorFactory(), baseline_year=2020)
    assert "indicator" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        milestone(lead, "C7.4", indicator=IndicatorFactory(), baseline_year=2031, baseline_value=1,
                  target_value=2)
    assert "baseline_year" in caught.value.message_dict
    assert not Milestone.objects.exists()


# --- versions ---------------------------------------------------------------------------------------

def test_versions_keep_what_was_published_and_only_published_ones_are_public(client):
    lead = facilitator("C5")
    services.road_map_update(actor=lead, action_line=line("C5"), summary="First text.", targets=[], gdc_objectives=[])
    m = milestone(lead, "C5", title="First milestone")
    v1 = services.road_map_publish(actor=lead, action_line=line("C5"), note="first")
    with pytest.raises(ValidationError):
        services.road_map_publish(actor=lead, action_line=line("C5"))  # nothing changed
    services.road_map_update(actor=lead, action_line=line("C5"), summary="Second text.", targets=[],
                             gdc_objectives=[], expected_version=line("C5").road_map.lock_version)
    services.milestone_save(actor=lead, action_line=line("C5"), milestone=m, title="Renamed milestone",
                            due_date=m.due_date, expected_version=m.lock_version)
    draft = services.road_map_publish(actor=lead, action_line=line("C5"), publish=False)
    assert (v1.number, draft.number) == (1, 2)
    v1.refresh_from_db()
    assert v1.data["summary"] == "First text." and v1.data["milestones"][0]["title"] == "First milestone"
    assert draft.data["milestones"][0]["title"] == "Renamed milestone"

    page = client.get("/en/coordination/road-maps/C5/").content.decode()
    assert "First milestone" in page and "Renamed milestone" not in page  # the public sees v1
    assert client.get("/en/coordination/road-maps/C5/versions/1/").status_code == 200
    assert client.get("/en/coordination/road-maps/C5/versions/2/").status_code == 404  # not published
    client.force_login(lead)
    assert client.get("/en/coordination/road-maps/C5/versions/2/").status_code == 200
    page = client.get("/en/coordination/road-maps/C5/").content.decode()
    assert "Renamed milestone" in page  # the working copy, for its editors

    v3 = services.road_map_publish(actor=lead, action_line=line("C5"), note="second")
    client.logout()
    assert v3.number == 3 and RoadMapVersion.objects.filter(published=True).count() == 2
    page = client.get("/en/coordination/road-maps/C5/").content.decode()
    assert "Renamed milestone" in page and "Second text." in page


# --- status updates and evidence ----------------------------------------------------------------

def test_evidence_links_must_point_to_the_kind_of_page_they_claim():
    from wsis.stocktaking.tests.factories import make_initiative

    lead = facilitator("C5")
    m = milestone(lead, "C5")
    initiative = make_initiative(state="published")
    update = services.status_update_add(actor=lead, milestone=m, date=TODAY, text="Training done.",
                                        evidence=[("initiative", f"https://platform.example/en/initiatives/{initiative.pk}/")])
    link = update.evidence.get()
    assert (link.initiative, link.path) == (initiative, f"/en/initiatives/{initiative.pk}/")
    for kind, path in [("initiative", "/en/coordination/"), ("forum_session", f"/en/initiatives/{initiative.pk}/"),
                       ("review_report", "/en/nowhere/"), ("initiative", "/en/initiatives/999999/")]:
        with pytest.raises(ValidationError) as caught:
            services.status_update_add(actor=lead, milestone=m, date=TODAY, text="x", evidence=[(kind, path)])
        assert "evidence" in caught.value.message_dict
    assert m.updates.count() == 1  # no partial writes


def test_completing_a_milestone_without_indicator_through_an_update():
    lead = facilitator("C5")
    m = milestone(lead, "C5", due=dt.date(2020, 1, 1))
    assert selectors.milestone_status(m).status == LATE
    services.status_update_add(actor=cofacilitator("C5"), milestone=m, date=dt.date(2020, 2, 1), text="Done late.",
                               completed_on=dt.date(2020, 2, 1))
    m.refresh_from_db()
    assert selectors.milestone_status(m).status == ACHIEVED


# --- meetings ----------------------------------------------------------------------------------

def test_a_meeting_decision_becomes_a_milestone_once():
    lead = facilitator("C5")
    meeting = services.meeting_save(actor=lead, action_line=line("C5"), title="C5 meeting", date=dt.date(2026, 7, 8),
                                    participants="ITU\nUNODC")
    decision = services.decision_add(actor=lead, meeting=meeting, text="Publish a CIRT survey",
                                     due_date=dt.date(2027, 6, 30))
    undated = services.decision_add(actor=lead, meeting=meeting, text="Meet C10")
    m = services.decision_to_milestone(actor=lead, decision=decision)
    assert (m.title, m.due_date, m.road_map.action_line.code) == ("Publish a CIRT survey", dt.date(2027, 6, 30), "C5")
    assert [a.code for a in m.agencies.all()] == ["ITU"]  # the lead facilitator, from the reference data
    assert services.decision_to_milestone(actor=lead, decision=undated).due_date == dt.date(2027, 7, 8)
    with pytest.raises(ValidationError):
        services.decision_to_milestone(actor=lead, decision=decision)
    with pytest.raises(PermissionDenied):
        services.meeting_save(actor=cofacilitator("C5"), action_line=line("C5"), title="x", date=TODAY)
    with pytest.raises(ValidationError) as caught:
        services.meeting_save(actor=lead, action_line=line("C5"), title="x", date=TODAY,
                              forum_session_path="/en/initiatives/1/")
    assert "forum_session_path" in caught.value.message_dict
