"""A job for the worker fault test (test_worker_fault_pg.py): sleeps, then writes its result in one
transaction with update_or_create, so running it twice leaves one row."""

import time

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from wsis.core.models import WorkerHeartbeat


@task()
def slow_marker(marker: str, seconds: float) -> str:
    time.sleep(seconds)
    with transaction.atomic():
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(worker_id=marker, defaults={"started_at": now, "seen_at": now,
                                                                             "host": "job-result"})
    return marker
