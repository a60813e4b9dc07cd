"""Yearly progress reports from implementers and the "inactive after two years" mark (issue 18)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wsis.analytics import selectors as analytics
from wsis.core.models import AuditLog
from wsis.stocktaking import selectors, services
from wsis.stocktaking.filters import InitiativeFilters, parse_filters
from wsis.stocktaking.models import Initiative, ProgressReport
from wsis.stocktaking.search import initiative_search
from wsis.stocktaking.tests.factories import make_initiative, member

pytestmark = pytest.mark.django_db


def _aged(initiative, *, years: float):
    """Move the publication back ``years`` years (what time would do)."""
    when = timezone.now() - dt.timedelta(days=int(365 * years))
    Initiative.objects.filter(pk=initiative.pk).update(published_at=when)
    initiative.refresh_from_db()
    return initiative


def _file(initiative, user, *, year, filed_at=None, **fields):
    values = {"status": "ongoing", "deliverables": "Trained 300 teachers.", "people_reached": 1200, **fields}
    return services.progress_report_file(user=user, initiative=initiative, year=year, now=filed_at, **values)


def test_entries_without_a_report_for_two_years_are_inactive_not_deleted(client):
    user = member()
    organisation = user.memberships.first().organisation
    old = _aged(make_initiative(state="published", user=user, title="Old silent entry"), years=3)
    reported = _aged(make_initiative(state="published", user=user, organisation=organisation,
                                     title="Old reported entry"), years=3)
    stale_report = _aged(make_initiative(state="published", user=user, organisation=organisation,
                                         title="Old entry with an old report"), years=4)
    fresh = make_initiative(state="published", user=user, organisation=organisation, title="New entry")
    _file(reported, user, year=timezone.now().year)
    ProgressReport.objects.create(initiative=stale_report, year=2022, status="ongoing", deliverables="x",
                                  filed_at=timezone.now() - dt.timedelta(days=800))

    def titles(**params):
        f = parse_filters(params).filters
        return set(initiative_search(f, relations=False).values_list("title", flat=True))

    assert titles(activity="inactive") == {"Old silent entry", "Old entry with an old report"}
    assert titles(activity="active") == {"Old reported entry", "New entry"}
    assert len(titles()) == 4  # a filter, not a deletion
    assert Initiative.objects.filter(pk=old.pk, state="published").exists()
    # Analytics count the active ones only when asked, through the same filter.
    assert analytics.initiatives_for(InitiativeFilters(activity="active")).count() == 2
    assert analytics.coverage_matrix(InitiativeFilters(activity="active"), with_urls=False).total == 2
    assert analytics.coverage_matrix(InitiativeFilters(), with_urls=False).total == 4
    api = client.get("/api/v1/initiatives", {"activity": "inactive"}).json()
    assert {i["title"] for i in api["items"]} == {"Old silent entry", "Old entry with an old report"}
    assert client.get("/api/v1/initiatives", {"activity": "sleepy"}).status_code == 400
    # Search marks them, and the detail page says so.
    page = client.get("/en/initiatives/").content.decode()
    assert page.count("Inactive: no progress report for two years") == 2
    assert "inactive-note" in client.get(f"/en/initiatives/{old.pk}/").content.decode()
    assert "inactive-note" not in client.get(f"/en/initiatives/{fresh.pk}/").content.decode()
    rows = selectors.with_activity(Initiative.objects.filter(pk__in=[old.pk, fresh.pk, reported.pk]))
    assert {i.pk for i in rows if not i.is_active} == {old.pk}
    assert selectors.active_initiative_count() == (4, 2)


def test_filing_a_report_prefills_from_the_last_one_and_shows_on_the_entry(client):
    user = member()
    initiative = make_initiative(state="published", user=user)
    client.force_login(user)
    this_year = timezone.now().year
    form = client.get(f"/en/initiatives/{initiative.pk}/progress/").context["form"]
    assert form.initial["year"] == this_year and form.initial["status"] == initiative.status
    assert "deliverables" not in form.initial
    _file(initiative, user, year=this_year - 1, deliverables="Labs in 40 schools.", obstacles="Power cuts.",
          resources="USD 200,000")
    initial = client.get(f"/en/initiatives/{initiative.pk}/progress/").context["form"].initial
    assert (initial["year"], initial["deliverables"], initial["obstacles"], initial["people_reached"]) == (
        this_year, "Labs in 40 schools.", "Power cuts.", 1200)
    response = client.post(f"/en/initiatives/{initiative.pk}/progress/", {
        "year": this_year, "status": "completed", "deliverables": "Labs in 55 schools.", "people_reached": "5000",
        "resources": "", "obstacles": ""})
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == "completed"  # the entry follows its latest report
    page = client.get(f"/en/initiatives/{initiative.pk}/").content.decode()
    assert "Labs in 55 schools." in page and f"Progress in {this_year}" in page
    # Filing again for the same year corrects that year's report.
    _file(initiative, user, year=this_year, deliverables="Labs in 56 schools.")
    assert ProgressReport.objects.filter(initiative=initiative).count() == 2
    assert AuditLog.objects.filter(action="stocktaking.progress_report.update").count() == 1


def test_only_members_report_and_only_on_published_entries(client):
    user = member()
    initiative = make_initiative(state="published", user=user)
    with pytest.raises(PermissionDenied):
        _file(initiative, member(), year=timezone.now().year)
    draft = make_initiative(user=user)
    with pytest.raises(ValidationError):
        _file(draft, user, year=timezone.now().year)
    with pytest.raises(ValidationError) as caught:
        _file(initiative, user, year=1999)
    assert "year" in caught.value.message_dict
    client.force_login(user)
    response = client.post(f"/en/initiatives/{initiative.pk}/progress/", {"year": "abc", "status": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert not ProgressReport.objects.exists()
    client.force_login(member())
    assert client.get(f"/en/initiatives/{initiative.pk}/progress/").status_code == 403


def test_update_reminders_point_to_the_progress_report_and_skip_reported_entries(monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
    user = member()
    silent = _aged(make_initiative(state="published", user=user, title="Silent"), years=1.5)
    organisation = user.memberships.first().organisation
    reported = _aged(make_initiative(state="published", user=user, organisation=organisation, title="Reported"),
                     years=1.5)
    for i in (silent, reported):
        Initiative.objects.filter(pk=i.pk).update(last_reviewed_at=None)
    _file(reported, user, year=timezone.now().year)
    mail.outbox.clear()
    assert services.initiative_reminders_send() == 1
    body = mail.outbox[-1].body
    assert f"/initiatives/{silent.pk}/progress/" in body
