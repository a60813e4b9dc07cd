"""Search exports too large to build inside a request: written in the background, kept, downloaded whole.

A search export of up to ``settings.EXPORT_DIRECT_MAX_ROWS`` rows streams in the request, as before.
A larger one becomes an :class:`~wsis.stocktaking.models.ExportJob` for a signed-in user (anonymous
users are offered the bulk downloads instead): :func:`export_job_create` records it and enqueues
``tasks.export_job_task`` after the commit; :func:`export_job_run` writes the file with a streamed
server-side cursor (``QuerySet.iterator``, flat memory), records progress every chunk, then the
number of rows, the size and the SHA-256, and mails the requester. The file is kept
``settings.EXPORT_JOB_KEEP_DAYS`` days (``manage.py export_jobs_purge`` removes expired files).

The download (``views.export_job_download``) sends ``Content-Length`` and ``Repr-Digest``
(RFC 9530), so a client can tell a download that was cut short from a whole one; the job page shows
the same size and checksum.

Services (``export_job_create``, ``export_job_run``, ``export_job_purge``) write; selectors
(``export_job_get``, ``export_job_list``) read, scoped to the requesting user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import secrets
import tempfile
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wsis.core.mail import absolute_url, mail_send
from wsis.core.services import audit_record

from . import exports
from .filters import parse_filters
from .models import ExportJob
from .search import initiative_search

__all__ = ["export_direct_max_rows", "export_job_create", "export_job_run", "export_job_purge", "export_job_get",
           "export_job_list", "file_sha256", "FORMATS"]

logger = logging.getLogger(__name__)
FORMATS = tuple(ExportJob.Format.values)
HASH_BLOCK = 1024 * 1024


def export_direct_max_rows() -> int:
    """The most rows an export may have to be built inside the request."""
    return int(getattr(settings, "EXPORT_DIRECT_MAX_ROWS", 5000))


def _keep() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "EXPORT_JOB_KEEP_DAYS", 7)))


def file_sha256(path_or_handle) -> tuple[int, str]:
    """(size, hex SHA-256) of a file, read in blocks."""
    digest = hashlib.sha256()
    size = 0
    handle = open(path_or_handle, "rb") if isinstance(path_or_handle, str | os.PathLike) else path_or_handle  # noqa: SIM115
    try:
        while block := handle.read(HASH_BLOCK):
            digest.update(block)
            size += len(block)
    finally:
        if handle is not path_or_handle:
            handle.close()
    return size, digest.hexdigest()


def _canonical_query(query: str) -> str:
    """The filters of ``query`` in the one URL spelling; invalid filters are refused."""
    parsed = parse_filters(QueryDict(query))
    if parsed.errors:
        raise ValidationError({name: list(messages) for name, messages in parsed.errors.items()})
    return urlencode(parsed.filters.as_query())


# --- services --------------------------------------------------------------------------------------

@transaction.atomic
def export_job_create(*, user, query: str, fmt: str) -> ExportJob:
    """Record an export of the search ``query`` in ``fmt`` for ``user`` and queue it (after the commit)."""
    from .tasks import export_job_task  # tasks import this module

    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to have a large export prepared."))
    if fmt not in FORMATS:
        raise ValidationError({"format": [_("Choose CSV, XLSX or JSON.")]})
    query = _canonical_query(query)
    expected = initiative_search(parse_filters(QueryDict(query)).filters, relations=False).count()
    job = ExportJob.objects.create(user=user, query=query, format=fmt, expected_rows=expected)
    audit_record(actor=user, action="stocktaking.export_job.create", target=job,
                 summary=f"{fmt} export of {expected} initiatives", data={"query": query, "format": fmt})
    transaction.on_commit(lambda: export_job_task.enqueue(job.pk))
    return job


def _progress(job_id: int):
    def report(n: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(rows_written=n)
    return report


def export_job_run(*, job_id: int) -> ExportJob:
    """Write job ``job_id``'s file (streamed, progress recorded), then record rows, size and checksum.

    Not one transaction: progress must be visible while the file is written. The final state is
    written atomically with its audit row; a failure records the error and leaves no file.
    """
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.state not in (ExportJob.State.QUEUED, ExportJob.State.FAILED):
        return job
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING, started_at=timezone.now(),
                                               rows_written=0, error="")
    filters = parse_filters(QueryDict(job.query)).filters
    qs = initiative_search(filters, relations=False)
    name = f"exports/{job.pk}-{secrets.token_hex(8)}.{job.format}"
    try:
        with tempfile.TemporaryFile() as handle:
            rows = exports.export_write(qs, job.format, handle, progress=_progress(job.pk))
            handle.flush()
            handle.seek(0)
            size, sha = file_sha256(handle)
            handle.seek(0)
            stored = default_storage.save(name, File(handle, name=os.path.basename(name)))
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the job for the requester to see
        logger.exception("Export job %s failed", job.pk)
        with transaction.atomic():
            ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.FAILED, error=str(exc)[:500],
                                                       finished_at=timezone.now())
            job.refresh_from_db()
            audit_record(actor=None, action="stocktaking.export_job.fail", target=job, summary=job.error)
        return job
    now = timezone.now()
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.DONE, rows_written=rows, row_count=rows, file=stored, size=size, sha256=sha,
            finished_at=now, expires_at=now + _keep())
        job.refresh_from_db()
        audit_record(actor=None, action="stocktaking.export_job.complete", target=job,
                     summary=f"{rows} rows, {size} bytes", data={"sha256": sha})
        if job.user.is_active and job.user.email:
            language = job.user.preferred_language or settings.LANGUAGE_CODE
            mail_send(user=job.user, template="stocktaking/export_ready", language=language, context={
                "job": job, "url": absolute_url("", "stocktaking:export-job", language=language, args=[job.pk]),
            })
    return job


@transaction.atomic
def export_job_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the files of jobs past their keeping date and mark them expired; returns how many."""
    now = now or timezone.now()
    expired = list(ExportJob.objects.select_for_update().filter(state=ExportJob.State.DONE, expires_at__lte=now))
    for job in expired:
        if job.file and default_storage.exists(job.file):
            default_storage.delete(job.file)
        job.state = ExportJob.State.EXPIRED
        job.file = ""
        job.save(update_fields=["state", "file", "updated_at"])
        audit_record(actor=None, action="stocktaking.export_job.expire", target=job)
    return len(expired)


# --- selectors -------------------------------------------------------------------------------------

def export_job_get(*, pk: int, user) -> ExportJob:
    """The job ``pk`` if ``user`` asked for it; 404 otherwise (another user's export does not exist)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    job = ExportJob.objects.filter(pk=pk, user=user).first()
    if job is None:
        raise Http404
    return job


def export_job_list(*, user, limit: int = 50) -> list[ExportJob]:
    return list(ExportJob.objects.filter(user=user).order_by("-created_at", "-id")[:limit])
