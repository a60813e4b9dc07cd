"""Request ids, JSON logs, /readyz, /metrics, worker heartbeats and the retry of orphaned jobs."""

import datetime as dt
import io
import json
import logging
import uuid

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from wsis.core import jobs, views
from wsis.core.models import WorkerHeartbeat
from wsis.core.observability import RequestIdFilter

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_request_id_is_made_and_answered(client):
    response = client.get("/healthz")
    assert len(response["X-Request-ID"]) == 32


def test_request_id_from_the_proxy_is_kept_and_a_bad_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123-def-456")["X-Request-ID"] == "abc-123-def-456"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]
    assert replaced != "bad id\nwith newline" and len(replaced) == 32


def test_json_access_log_carries_request_id_view_and_db_time(client):
    from pythonjsonlogger.json import JsonFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(request_id)s %(message)s"))
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("wsis.request")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        client.get("/healthz", HTTP_X_REQUEST_ID="req-0000-1111")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["request_id"] == "req-0000-1111"
    assert line["view"] == "healthz" and line["status"] == 200
    assert line["db_queries"] >= 1 and line["db_ms"] >= 0 and line["duration_ms"] > 0


def test_readyz_green_without_a_worker_to_watch(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert body["checks"] == {"database": "ok", "cache": "ok", "migrations": "ok", "worker": "not required"}


def test_readyz_names_a_missing_worker_then_turns_green(client, settings):
    settings.TASKS = DB_TASKS
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]
    jobs.heartbeat_write(worker_id="w1", started_at=timezone.now())
    assert client.get("/readyz").status_code == 200
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - dt.timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE + 5))
    assert client.get("/readyz").json()["failed"] == ["worker"]


def test_readyz_names_a_broken_cache_and_pending_migrations(client, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *a, **k: None)

    class Executor:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda self: []})()})()

        def migration_plan(self, targets):
            return [(type("M", (), {"app_label": "core", "name": "0099_future"})(), False)]

    monkeypatch.setattr(views, "MigrationExecutor", Executor)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["cache", "migrations"]
    assert "core.0099_future" in body["checks"]["migrations"]


def test_metrics_refused_outside_allowed_networks_unless_token(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200


def _job(status="READY", **fields):
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status, args_kwargs={"args": [], "kwargs": {}}, task_path="wsis.core.tests.noop",
        queue_name=fields.pop("queue_name", "default"), backend_name="default", run_after=now, **fields)


def test_metrics_expose_latency_db_time_jobs_and_audited_actions(client, django_capture_on_commit_callbacks):
    from wsis.core.services import audit_record

    old = _job()
    DBTaskResult.objects.filter(pk=old.pk).update(enqueued_at=timezone.now() - dt.timedelta(minutes=5))
    _job(queue_name="reports")
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(actor=None, action="core.worker.test_submit", target=WorkerHeartbeat(worker_id="x"))
    client.get("/readyz")
    text = client.get("/metrics").content.decode()
    assert 'django_http_requests_latency_seconds_by_view_method_count{method="GET",view="readyz"}' in text
    assert 'wsis_request_db_seconds_count{view="readyz"}' in text
    assert 'wsis_jobs{queue="default",status="READY"} 1.0' in text
    assert 'wsis_jobs{queue="reports",status="READY"} 1.0' in text
    age = [line for line in text.splitlines() if line.startswith('wsis_jobs_oldest_ready_age_seconds{queue="default"}')]
    assert age and float(age[0].split()[-1]) >= 299
    assert 'wsis_audited_actions_total{action="core.worker.test_submit"}' in text


def test_a_job_left_running_by_a_dead_worker_is_requeued(settings):
    now = timezone.now()
    long_ago = now - dt.timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE + 30)
    jobs.heartbeat_write(worker_id="alive", started_at=now)
    WorkerHeartbeat.objects.create(worker_id="dead", started_at=long_ago, seen_at=long_ago)
    orphan = _job(status="RUNNING", started_at=long_ago, worker_ids=["dead"])
    busy = _job(status="RUNNING", started_at=long_ago, worker_ids=["alive"])
    fresh = _job(status="RUNNING", started_at=now, worker_ids=["gone-" + uuid.uuid4().hex[:6]])
    assert jobs.jobs_requeue_orphaned() == [str(orphan.pk)]
    orphan.refresh_from_db()
    assert orphan.status == "READY" and orphan.started_at is None
    assert DBTaskResult.objects.get(pk=busy.pk).status == "RUNNING"
    assert DBTaskResult.objects.get(pk=fresh.pk).status == "RUNNING"
    assert jobs.jobs_requeue_orphaned() == []
