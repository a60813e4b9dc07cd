"""Site-wide pages: home, the health check (alive) and the readiness check (ready for traffic)."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .cache import public_page
from .jobs import worker_alive
from .sections import page_sections

logger = logging.getLogger(__name__)


@public_page
def home(request):
    return render(request, "core/home.html", {"sections": page_sections("home", request=request)})


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers a query, 503 otherwise. Used by load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    key = f"wsis:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    value = cache.get(key)
    cache.delete(key)
    if value != "1":
        raise RuntimeError("the cache did not return what was written")
    return "ok"


def _check_migrations() -> str:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in pending[:5])
        raise RuntimeError(f"{len(pending)} migration(s) not applied: {names}")
    return "ok"


def _check_worker() -> str:
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if not backend.startswith("django_tasks_db"):
        return "not required"  # jobs run in the request (tests) or elsewhere: no worker to watch
    if not worker_alive():
        raise RuntimeError(f"no worker heartbeat in the last {settings.WORKER_HEARTBEAT_MAX_AGE} s "
                           "(start `manage.py worker`)")
    return "ok"


READINESS_CHECKS = {"database": _check_database, "cache": _check_cache, "migrations": _check_migrations,
                    "worker": _check_worker}


@never_cache
@require_GET
def readyz(request):
    """Ready to serve: database, cache, migrations applied, a live job worker. 503 names what failed.

    ``/healthz`` says the process is alive (restart it otherwise); ``/readyz`` says it should get
    traffic (take it out of the load balancer otherwise)."""
    results, failed = {}, []
    for name, check in READINESS_CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none raised
            results[name] = f"error: {exc.__class__.__name__}: {exc}"[:300]
            failed.append(name)
            logger.warning("readiness check %s failed: %s", name, exc)
    body = {"status": "error" if failed else "ok", "failed": failed, "checks": results}
    return JsonResponse(body, status=503 if failed else 200)
