"""Background-job workers: heartbeats, liveness and the retry of jobs whose worker died.

``manage.py worker`` (django-tasks' ``db_worker`` plus a heartbeat thread) writes its
:class:`~wsis.core.models.WorkerHeartbeat` every ``WORKER_HEARTBEAT_SECONDS``. A worker killed with
SIGKILL, or a host that vanished, leaves its job in the RUNNING state forever; every live worker
therefore calls :func:`jobs_requeue_orphaned` on each beat, which puts such a job back in the queue
(READY) once its worker has been silent for ``WORKER_HEARTBEAT_MAX_AGE`` seconds. Jobs are written
to be run again: each one re-reads its inputs and writes its result in one transaction (a job killed
half-way committed nothing), so a retry does the work once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

__all__ = ["heartbeat_write", "jobs_requeue_orphaned", "worker_alive", "workers_live"]

logger = logging.getLogger(__name__)


def heartbeat_write(*, worker_id: str, started_at: dt.datetime) -> WorkerHeartbeat:
    """Record that ``worker_id`` is alive now."""
    now = timezone.now()
    beat, _created = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "started_at": started_at, "seen_at": now})
    return beat


def heartbeat_remove(*, worker_id: str) -> None:
    """A worker that stops cleanly says so (its running job has finished or been marked failed)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _deadline(now=None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)


def workers_live(now=None):
    """Heartbeats written within ``WORKER_HEARTBEAT_MAX_AGE`` seconds."""
    return WorkerHeartbeat.objects.filter(seen_at__gte=_deadline(now))


def worker_alive(now=None) -> bool:
    return workers_live(now).exists()


def jobs_requeue_orphaned(now=None) -> list[str]:
    """Put back in the queue every RUNNING job whose worker has written no heartbeat for
    ``WORKER_HEARTBEAT_MAX_AGE`` seconds (or none at all) and which started before that. Returns the
    ids requeued. Locks the rows it changes (``skip_locked``), so two workers never requeue one job twice."""
    deadline = _deadline(now)
    live = set(workers_live(now).values_list("worker_id", flat=True))
    requeued = []
    with transaction.atomic():
        running = (DBTaskResult.objects.select_for_update(skip_locked=True)
                   .filter(status="RUNNING").filter(Q(started_at__lt=deadline) | Q(started_at__isnull=True)))
        for job in running:
            owner = job.worker_ids[-1] if job.worker_ids else ""
            if owner in live:
                continue
            job.status = "READY"
            job.started_at = None
            job.save(update_fields=["status", "started_at"])
            requeued.append(str(job.pk))
    for job_id in requeued:
        logger.warning("requeued job %s: its worker stopped sending heartbeats", job_id,
                       extra={"job_id": job_id})
    return requeued
