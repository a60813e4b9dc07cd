"""Fault test: a worker killed (SIGKILL) in the middle of a job. The job wrote nothing; another worker
requeues it once the dead one's heartbeat is older than WORKER_HEARTBEAT_MAX_AGE and runs it once.
Real `manage.py worker` processes on the test database; PostgreSQL only (two processes share it)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from wsis.core.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[3]
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="worker processes share the database: PostgreSQL"),
]


@pytest.fixture(autouse=True)
def _reference_data_back(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


def _worker(worker_id: str) -> subprocess.Popen:
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    if s.get("PASSWORD"):
        url = url.replace(f"{s['USER']}@", f"{s['USER']}:{s['PASSWORD']}@")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DATABASE_URL": url,
           "WORKER_HEARTBEAT_SECONDS": "1", "WORKER_HEARTBEAT_MAX_AGE": "4", "EMAIL_URL": "consolemail://"}
    return subprocess.Popen([sys.executable, "manage.py", "worker", "--queue-name", "*", "--interval", "0.2", "--no-reload",
                             "--no-startup-delay", "--worker-id", worker_id],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_job_of_a_killed_worker_is_retried_once_by_another():
    job = DBTaskResult.objects.create(
        status="READY", task_path="wsis.core.tests.fault_tasks.slow_marker",
        args_kwargs={"args": ["job-done", 6], "kwargs": {}}, queue_name="default", backend_name="default",
        run_after=timezone.now())
    first = _worker("first-worker")
    try:
        _wait(lambda: DBTaskResult.objects.get(pk=job.pk).status == "RUNNING", 90, "the first worker to start the job")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert DBTaskResult.objects.get(pk=job.pk).status == "RUNNING"
    assert not WorkerHeartbeat.objects.filter(worker_id="job-done").exists()  # killed mid-job: nothing written

    second = _worker("second-worker")
    try:
        _wait(lambda: DBTaskResult.objects.get(pk=job.pk).status == "SUCCESSFUL", 120, "the retry to finish")
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(15)
        except subprocess.TimeoutExpired:
            second.kill()
    job.refresh_from_db()
    assert job.worker_ids[0] == "first-worker" and job.worker_ids[-1] == "second-worker", job.worker_ids
    assert WorkerHeartbeat.objects.filter(worker_id="job-done").count() == 1
