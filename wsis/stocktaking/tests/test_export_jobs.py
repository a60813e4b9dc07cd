"""Search exports larger than the cap become background jobs whose file has every row (issue 15)."""

import base64
import csv
import datetime as dt
import hashlib
import io
import json

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wsis.core.models import AuditLog
from wsis.stocktaking.export_jobs import export_job_purge
from wsis.stocktaking.models import ExportJob, Initiative
from wsis.stocktaking.tests.factories import OrganisationFactory, UserFactory, make_initiative, member

pytestmark = pytest.mark.django_db
State = Initiative.State


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def published():
    """Seven published initiatives of one organisation (and one draft that must never be exported).

    The organisation's name has no digit: search matches organisation names too, and a sequence name
    such as "Organisation 13" would make the query "Entry 3" find all seven (a failure that depended on
    how many organisations earlier tests had made)."""
    user = member(OrganisationFactory(name="Export test organisation"))
    organisation = user.memberships.first().organisation
    made = [make_initiative(state=State.PUBLISHED, user=user, organisation=organisation, title=f"Entry {n}")
            for n in range(7)]
    make_initiative(state=State.DRAFT, user=user, organisation=organisation, title="Not public")
    return made


def _rows(fmt: str, content: bytes) -> list[str]:
    """The titles in an export file, whatever its format."""
    if fmt == "csv":
        return [r["title"] for r in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))]
    if fmt == "json":
        return [r["title"] for r in json.loads(content)]
    sheet = load_workbook(io.BytesIO(content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    column = values[0].index("title")
    return [r[column] for r in values[1:]]


@pytest.fixture(autouse=True)
def small_cap(settings):
    settings.EXPORT_DIRECT_MAX_ROWS = 3


class TestLargeExportBecomesAJob:
    @pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
    def test_job_file_has_every_row_size_and_checksum(self, client, published, fmt,
                                                      django_capture_on_commit_callbacks):
        user = UserFactory(email="asker@example.org")
        client.force_login(user)
        url = reverse("stocktaking:export", args=[fmt])
        # Over the cap, the GET answers a page (no file cut to fit the request) offering the job.
        page = client.get(url)
        assert page.status_code == 200
        assert not page.get("Content-Disposition")
        assert b"Prepare the" in page.content
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
        job = ExportJob.objects.get(user=user)
        assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
        job.refresh_from_db()
        assert job.state == ExportJob.State.DONE
        assert job.expected_rows == 7 and job.row_count == 7 and job.rows_written == 7
        detail = client.get(job.get_absolute_url())
        assert job.sha256.encode() in detail.content

        download = client.get(reverse("stocktaking:export-job-download", args=[job.pk]))
        assert download.status_code == 200
        content = body(download)
        assert int(download["Content-Length"]) == len(content) == job.size
        assert hashlib.sha256(content).hexdigest() == job.sha256
        assert download["Repr-Digest"] == f"sha-256=:{base64.b64encode(hashlib.sha256(content).digest()).decode()}:"
        titles = _rows(fmt, content)
        assert sorted(titles) == sorted(i.title for i in published)  # every published row, no draft
        # Mailed to the requester, with the checksum.
        assert [m.to for m in mail.outbox] == [["asker@example.org"]]
        assert job.sha256 in mail.outbox[0].body
        actions = set(AuditLog.objects.filter(target_id=str(job.pk), target_type="stocktaking.exportjob")
                      .values_list("action", flat=True))
        assert actions == {"stocktaking.export_job.create", "stocktaking.export_job.complete"}

    def test_filters_are_kept_by_the_job(self, client, published, django_capture_on_commit_callbacks):
        make_initiative(state=State.PUBLISHED, title="Global entry", countries=[], coverage="global")
        client.force_login(UserFactory())
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("stocktaking:export", args=["csv"]) + "?country=KEN")
        job = ExportJob.objects.get()
        assert job.query == "country=KEN"
        with default_storage.open(job.file, "rb") as handle:
            titles = _rows("csv", handle.read())
        assert len(titles) == 7 and "Global entry" not in titles

    def test_anonymous_users_get_the_cap_and_the_bulk_downloads(self, client, published):
        page = client.get(reverse("stocktaking:export", args=["csv"]))
        assert page.status_code == 200
        assert not page.get("Content-Disposition")
        assert b"Sign in" in page.content
        assert client.post(reverse("stocktaking:export", args=["csv"])).status_code == 302
        assert not ExportJob.objects.exists()

    def test_small_exports_still_stream(self, client, published):
        response = client.get(reverse("stocktaking:export", args=["csv"]), {"q": "Entry 3"})
        assert response.streaming
        assert _rows("csv", body(response)) == ["Entry 3"]

    def test_another_users_job_does_not_exist(self, client, published, django_capture_on_commit_callbacks):
        client.force_login(UserFactory())
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("stocktaking:export", args=["json"]))
        job = ExportJob.objects.get()
        client.force_login(UserFactory())
        assert client.get(job.get_absolute_url()).status_code == 404
        assert client.get(reverse("stocktaking:export-job-download", args=[job.pk])).status_code == 404
        client.logout()
        assert client.get(reverse("stocktaking:export-job-download", args=[job.pk])).status_code == 302

    def test_expired_files_are_deleted(self, client, published, django_capture_on_commit_callbacks):
        user = UserFactory()
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("stocktaking:export", args=["csv"]))
        job = ExportJob.objects.get()
        assert default_storage.exists(job.file)
        assert export_job_purge(now=timezone.now() + dt.timedelta(days=8)) == 1
        assert not default_storage.exists(job.file)
        job.refresh_from_db()
        assert job.state == ExportJob.State.EXPIRED
        assert client.get(reverse("stocktaking:export-job-download", args=[job.pk])).status_code == 410

    def test_invalid_filters_are_refused(self, client):
        client.force_login(UserFactory())
        response = client.post(reverse("stocktaking:export", args=["csv"]) + "?goal=%C2%B2")
        assert response.status_code == 400
        assert not ExportJob.objects.exists()
