"""gunicorn settings for the WSIS platform (read automatically by ``gunicorn config.wsgi``).

Fitted to the workload measured in docs/performance.md ("Under load"): requests spend most of their
time waiting for PostgreSQL and Redis, with short bursts of Python (template rendering, the
classifier). So each worker process runs a few threads (``gthread``): while one thread waits for
the database another renders. Processes, not threads, give CPU parallelism, so there are about
two per core; more threads than four per worker only queue on the GIL.

Every value can be overridden from the environment (``GUNICORN_WORKERS=…``) or the command line.

- ``timeout`` 60 s: a request that takes longer is a bug or a stuck query; exports larger than the
  anonymous cap are background jobs that write a file, so no download is streamed by a worker for
  minutes (the old 30 s default killed CSV exports mid-stream and sent truncated files).
- ``graceful_timeout`` 30 s: on reload or deploy, requests in flight finish.
- ``max_requests`` with jitter: workers are recycled now and then, so memory growth of a long-lived
  process (the classifier's arrays, large querysets) is bounded, and not all at once.
- ``preload_app``: the application and the classifier model are loaded once, before forking, and
  shared copy-on-write. Django opens database connections lazily, per thread, after the fork.
- Database connections: one per thread (``workers × threads``, 20 by default on two cores), kept
  for ``CONN_MAX_AGE`` seconds; PostgreSQL's default ``max_connections`` (100) leaves room for
  the task worker and administration.
"""

import multiprocessing
import os
import shutil


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _env_int("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = _env_int("GUNICORN_THREADS", 4)
timeout = _env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 200)
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# Heartbeat files in memory, not on a disk that may stall under load (gunicorn's advice for containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The application writes one JSON access line per request with its request id (wsis.core.observability);
# set GUNICORN_ACCESSLOG=- for gunicorn's own as well.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
# The proxy in front terminates TLS and sets X-Forwarded-Proto (see SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


# With several workers, Prometheus counters are collected across them through PROMETHEUS_MULTIPROC_DIR
# (emptied at start; /metrics reads every worker's file; docs/operations.md). The directory is made
# here, when this file is read: with preload_app the application (and its metrics, which open files
# in that directory) is loaded before on_starting runs, and a missing directory stopped the start
# (the systemd unit's /run/wsis/prometheus does not exist until someone makes it).
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)


def on_starting(server):
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
