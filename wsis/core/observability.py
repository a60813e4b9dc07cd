"""Production observability: request ids, JSON logs, database time per request, Prometheus metrics.

* :class:`RequestIdMiddleware` takes the ``X-Request-ID`` a proxy sent (when it looks like an id) or
  makes one, answers it in the response's ``X-Request-ID`` header, times the request's database work
  (``connection.execute_wrapper``) and writes one access line per request on the ``wsis.request`` logger.
* :class:`RequestIdFilter` puts ``request_id`` on every log record written while the request runs
  (a context variable, so threads and background jobs each have their own); ``JSON_LOGS=1`` makes the
  console handler write each record as one JSON object (python-json-logger).
* Metrics: request latency by view and method comes from django-prometheus's middleware; this module
  adds database time by view, audited actions (``forum.submission.create``, ``reviews.response.submit``,
  votes when an app records them), and the job queue (depth and age of the oldest waiting job, read
  from django-tasks' database table when Prometheus scrapes). ``/metrics`` answers only to addresses
  in ``METRICS_ALLOWED_NETWORKS`` or to ``Authorization: Bearer <METRICS_TOKEN>``.
"""

from __future__ import annotations

import contextvars
import hmac
import ipaddress
import logging
import os
import re
import time
import uuid

from django.conf import settings
from django.db import connections, transaction
from django.http import HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client import REGISTRY as DEFAULT_REGISTRY
from prometheus_client.core import GaugeMetricFamily

__all__ = ["RequestIdFilter", "RequestIdMiddleware", "audit_action_counted", "current_request_id", "metrics"]

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("wsis_request_id", default="")

access_log = logging.getLogger("wsis.request")

DB_SECONDS = Histogram(
    "wsis_request_db_seconds", "Time a request spent in database queries, by view.", ["view"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
DB_QUERIES = Histogram(
    "wsis_request_db_queries", "Database queries a request made, by view.", ["view"],
    buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500))
AUDITED_ACTIONS = Counter(
    "wsis_audited_actions", "Committed state changes by audit action (submissions, responses, votes, ...).",
    ["action"])


def current_request_id() -> str:
    """The id of the request this code runs for ("" outside a request)."""
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = _request_id.get()
        return True


class _QueryTimer:
    def __init__(self):
        self.seconds = 0.0
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    return match.view_name or getattr(match, "_func_path", "") or "<unnamed>"


class RequestIdMiddleware:
    """Request id in and out, database time, one JSON-able access line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        timer = _QueryTimer()
        start = time.perf_counter()
        try:
            with _all_connections_wrapped(timer):
                response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            duration = time.perf_counter() - start
            view = _view_name(request)
            DB_SECONDS.labels(view).observe(timer.seconds)
            DB_QUERIES.labels(view).observe(timer.count)
            access_log.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"method": request.method, "path": request.path, "status": response.status_code,
                       "view": view, "duration_ms": round(duration * 1000, 2),
                       "db_ms": round(timer.seconds * 1000, 2), "db_queries": timer.count,
                       "user_id": getattr(getattr(request, "user", None), "pk", None)})
            return response
        finally:
            _request_id.reset(token)


class _all_connections_wrapped:  # noqa: N801 - used as a context manager
    """``execute_wrapper(timer)`` on every configured database alias (the writer and a replica)."""

    def __init__(self, timer):
        self.timer = timer
        self.managers = []

    def __enter__(self):
        for alias in settings.DATABASES:
            manager = connections[alias].execute_wrapper(self.timer)
            manager.__enter__()
            self.managers.append(manager)
        return self

    def __exit__(self, *exc):
        for manager in reversed(self.managers):
            manager.__exit__(*exc)
        return False


def audit_action_counted(action: str) -> None:
    """Count ``action`` once the transaction that recorded it commits (a rollback counts nothing)."""
    transaction.on_commit(lambda: AUDITED_ACTIONS.labels(action).inc())


class JobQueueCollector:
    """Gauges read from django-tasks' database queue at scrape time: jobs by queue and status, and the
    age of the oldest job waiting to run in each queue."""

    def collect(self):
        from django.db.models import Count, Min
        from django_tasks_db.models import DBTaskResult

        depth = GaugeMetricFamily("wsis_jobs", "Background jobs by queue and status.", labels=["queue", "status"])
        age = GaugeMetricFamily("wsis_jobs_oldest_ready_age_seconds",
                                "Age of the oldest job waiting to run, by queue.", labels=["queue"])
        try:
            rows = (DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
                    .values("queue_name", "status").annotate(n=Count("id"), oldest=Min("enqueued_at")))
            now = timezone.now()
            for row in rows:
                depth.add_metric([row["queue_name"], row["status"]], row["n"])
                if row["status"] == "READY" and row["oldest"]:
                    age.add_metric([row["queue_name"]], (now - row["oldest"]).total_seconds())
        except Exception:  # noqa: BLE001 - a scrape must not fail because the queue table is unreadable
            logging.getLogger(__name__).warning("job queue metrics unavailable", exc_info=True)
            return
        yield depth
        yield age


_job_collector_registered = False


def _registry() -> CollectorRegistry:
    """The registry to expose: the process's own, or every gunicorn worker's when
    ``PROMETHEUS_MULTIPROC_DIR`` is set (prometheus_client's multiprocess mode)."""
    global _job_collector_registered
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(JobQueueCollector())
        return registry
    if not _job_collector_registered:
        DEFAULT_REGISTRY.register(JobQueueCollector())
        _job_collector_registered = True
    return DEFAULT_REGISTRY


def _client_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    auth = request.headers.get("Authorization", "")
    if token and auth.startswith("Bearer ") and hmac.compare_digest(auth[7:].strip(), token):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_NETWORKS)


@never_cache
@require_GET
def metrics(request):
    """Prometheus text format; 403 to a client outside the allowed networks without the token."""
    if not _client_allowed(request):
        return HttpResponseForbidden("metrics: not allowed from this address\n", content_type="text/plain")
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
