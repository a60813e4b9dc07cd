"""GET /api/v1/initiatives/{id}/progress-reports (issue 20): the reports the initiative's page shows."""

from __future__ import annotations

import pytest

from wsis.stocktaking import services
from wsis.stocktaking.models import Initiative

from .factories import make_initiative

pytestmark = pytest.mark.django_db


def test_progress_reports_of_a_published_initiative(client):
    initiative = make_initiative(state=Initiative.State.PUBLISHED)
    user = initiative.created_by
    year = initiative.published_at.year
    services.progress_report_file(user=user, initiative=initiative, year=year - 1, status="ongoing",
                                 deliverables="Forty schools connected.", people_reached=1200)
    services.progress_report_file(user=user, initiative=initiative, year=year, status="completed",
                                 deliverables="Two hundred schools.", resources="USD 40,000", obstacles="Power cuts")
    response = client.get(f"/api/v1/initiatives/{initiative.pk}/progress-reports")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    reports = response.json()
    assert [(r["year"], r["status"], r["people_reached"]) for r in reports] == [
        (year, "completed", None), (year - 1, "ongoing", 1200)]
    assert reports[0]["resources"] == "USD 40,000" and reports[0]["obstacles"] == "Power cuts"
    assert reports[1]["deliverables"] == "Forty schools connected." and reports[1]["filed_at"]
    assert client.get(f"/api/v1/initiatives/{initiative.pk}/progress-reports",
                      HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_no_progress_reports_of_a_draft_or_a_missing_initiative(client):
    draft = make_initiative(state=Initiative.State.DRAFT)
    for pk in (draft.pk, 999999):
        response = client.get(f"/api/v1/initiatives/{pk}/progress-reports")
        assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
