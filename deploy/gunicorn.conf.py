"""gunicorn settings for the container and the systemd unit (docs/operations.md).

Environment: WEB_CONCURRENCY (worker processes, default 2 × cores + 1), GUNICORN_THREADS,
GUNICORN_TIMEOUT, PORT. With several workers, Prometheus counters are collected across them through
PROMETHEUS_MULTIPROC_DIR (a directory emptied at start; /metrics reads every worker's file).
"""

import multiprocessing
import os
import shutil

bind = f"{os.environ.get('BIND', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None  # the application writes one JSON line per request (wsis.request)
errorlog = "-"


def on_starting(server):
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
