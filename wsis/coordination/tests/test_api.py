"""The coordination API's reads added for issue 20: facilitation meetings and the published versions of a
road map, with the same visibility as the pages (published versions only), paging and problem+json errors."""

from __future__ import annotations

import datetime as dt

import pytest

from wsis.coordination import services

from .factories import facilitator, line, milestone

pytestmark = pytest.mark.django_db


def test_meetings_list_and_detail(client):
    lead = facilitator("C7.4")
    other = facilitator("C5")
    meeting = services.meeting_save(actor=lead, action_line=line("C7.4"), title="e-health facilitation",
                                    date=dt.date(2026, 7, 9), agenda="1. Road map", minutes="Agreed.",
                                    participants="WHO\n\nITU\n")
    services.meeting_save(actor=other, action_line=line("C5"), title="Security meeting", date=dt.date(2026, 5, 1))
    first = services.decision_add(actor=lead, meeting=meeting, text="Hold two workshops",
                                  due_date=dt.date(2027, 6, 30))
    services.decision_add(actor=lead, meeting=meeting, text="Report back")
    made = services.decision_to_milestone(actor=lead, decision=first)

    page = client.get("/api/v1/coordination/meetings").json()
    assert page["count"] == 2 and [m["title"] for m in page["items"]] == ["e-health facilitation", "Security meeting"]
    assert page["items"][0]["action_line"] == "C7.4"
    only = client.get("/api/v1/coordination/meetings", {"action_line": "c5", "limit": 1}).json()
    assert only["count"] == 1 and only["items"][0]["title"] == "Security meeting"
    bad = client.get("/api/v1/coordination/meetings", {"action_line": "C99"})
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    assert list(bad.json()["errors"]) == ["query.action_line"]

    detail = client.get(f"/api/v1/coordination/meetings/{meeting.pk}").json()
    assert detail["agenda"] == "1. Road map" and detail["minutes"] == "Agreed."
    assert detail["participants"] == ["WHO", "ITU"]
    assert [(d["text"], d["due_date"], d["milestone"]) for d in detail["decisions"]] == [
        ("Hold two workshops", "2027-06-30", made.pk), ("Report back", None, None)]
    missing = client.get("/api/v1/coordination/meetings/999999")
    assert missing.status_code == 404 and missing.json()["detail"] == "No such meeting."


def test_published_versions_of_a_road_map(client):
    lead = facilitator("C5")
    milestone(lead, "C5", title="First milestone")
    services.road_map_publish(actor=lead, action_line=line("C5"), note="First edition")
    milestone(lead, "C5", title="Second milestone")
    services.road_map_publish(actor=lead, action_line=line("C5"), note="Draft only", publish=False)
    milestone(lead, "C5", title="Third milestone")
    services.road_map_publish(actor=lead, action_line=line("C5"), note="Second edition")

    versions = client.get("/api/v1/coordination/road-maps/C5/versions").json()
    assert [(v["version"], v["note"]) for v in versions] == [(3, "Second edition"), (1, "First edition")]
    first = client.get("/api/v1/coordination/road-maps/C5/versions/1").json()
    assert first["note"] == "First edition" and [m["title"] for m in first["milestones"]] == ["First milestone"]
    assert client.get("/api/v1/coordination/road-maps/C5/versions/2").status_code == 404  # not published
    assert client.get("/api/v1/coordination/road-maps/C5").json()["note"] == "Second edition"
    assert client.get("/api/v1/coordination/road-maps/C9/versions").status_code == 404  # no road map
    assert client.get("/api/v1/coordination/road-maps/NOPE/versions").status_code == 404
