"""Read replica routing: safe reads go to a streaming replica, everything else to the primary.

Enabled when ``DATABASE_REPLICA_URL`` is set (config/settings/base.py adds the ``replica`` alias, this
router and :class:`ReadYourWritesMiddleware`). Reads go to the replica only while a request allows it:

* the request is safe (GET, HEAD, OPTIONS) **and** the browser carries no ``wsis_primary`` cookie:
  a request that wrote (any other method) sets that cookie for ``REPLICA_PIN_SECONDS``, so the writer
  reads its own writes from the primary while the replica catches up (read-your-writes for the
  writer's session; other visitors may see the change a moment later);
* no transaction is open on the primary (a read inside ``atomic()`` belongs with its writes).

Anything outside a request (jobs, commands, the shell, migrations) reads from the primary. Writes and
migrations always go to the primary.
"""

from __future__ import annotations

import contextvars

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

__all__ = ["PIN_COOKIE", "ReadYourWritesMiddleware", "ReplicaRouter", "replica_reads"]

PIN_COOKIE = "wsis_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_replica_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar("wsis_replica_allowed", default=False)


class replica_reads:  # noqa: N801 - a context manager
    """Allow (or forbid) replica reads for the code inside ``with``."""

    def __init__(self, allowed: bool = True):
        self.allowed = allowed

    def __enter__(self):
        self.token = _replica_allowed.set(self.allowed)
        return self

    def __exit__(self, *exc):
        _replica_allowed.reset(self.token)
        return False


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = settings.DATABASE_REPLICA_ALIAS
        if not alias or not _replica_allowed.get():
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReadYourWritesMiddleware:
    """Lets a safe request read from the replica unless its session wrote within ``REPLICA_PIN_SECONDS``;
    a request that may have written pins its session to the primary for that long."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in SAFE_METHODS
        allowed = safe and not request.COOKIES.get(PIN_COOKIE)
        request.reads_from_replica = allowed and bool(settings.DATABASE_REPLICA_ALIAS)
        with replica_reads(allowed):
            response = self.get_response(request)
        if not safe and settings.DATABASE_REPLICA_ALIAS:
            response.set_cookie(PIN_COOKIE, "1", max_age=settings.REPLICA_PIN_SECONDS, httponly=True,
                                samesite="Lax", secure=request.is_secure())
        return response
