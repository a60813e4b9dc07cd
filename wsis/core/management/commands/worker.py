"""``manage.py worker``: django-tasks' ``db_worker`` with a heartbeat (for ``/readyz``) and the retry of
jobs whose worker died (``wsis.core.jobs``). Takes every option of ``db_worker``."""

from __future__ import annotations

import os
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from wsis.core.jobs import heartbeat_remove, heartbeat_write, jobs_requeue_orphaned


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def beat(self) -> None:
        try:
            heartbeat_write(worker_id=self.worker_id, started_at=self.started_at)
            jobs_requeue_orphaned()
        except Exception:  # noqa: BLE001 - a database blip must not kill the worker; the next beat retries
            import logging

            logging.getLogger("wsis.core.jobs").warning("heartbeat failed", exc_info=True)
        finally:
            close_old_connections()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.beat()
            self.stopping.wait(settings.WORKER_HEARTBEAT_SECONDS)
        connection.close()


class Command(DBWorkerCommand):
    help = "Run background jobs (django-tasks db_worker) with a heartbeat and the retry of orphaned jobs."

    def handle(self, *args, worker_id: str, **options):
        if options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The autoreloader's parent only watches files; the child it starts runs jobs and beats.
            return super().handle(*args, worker_id=worker_id, **options)
        heartbeat = Heartbeat(worker_id)
        heartbeat.beat()
        heartbeat.start()
        try:
            return super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stopping.set()
            heartbeat.join(timeout=5)
            heartbeat_remove(worker_id=worker_id)
