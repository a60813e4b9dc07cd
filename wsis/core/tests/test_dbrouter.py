"""The read-replica router: safe reads on the replica, writes and the writer's next reads on the primary.

Two aliases: ``default`` and ``replica`` (the same test database, TEST MIRROR), so a query's alias
is what is checked (CaptureQueriesContext per connection)."""

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import path

from wsis.core.dbrouter import PIN_COOKIE, ReplicaRouter, replica_reads
from wsis.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db(databases=["default", "replica"], transaction=True)


@pytest.fixture(scope="module", autouse=True)
def _reference_data_back(django_db_blocker):
    """A transactional test ends with a flush: put the reference data back for the tests after these."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def with_replica(settings):
    settings.DATABASE_REPLICA_ALIAS = "replica"
    return settings


def test_without_a_replica_everything_reads_the_primary(settings):
    settings.DATABASE_REPLICA_ALIAS = None
    with replica_reads():
        assert ReplicaRouter().db_for_read(WorkerHeartbeat) == "default"


def test_reads_go_to_the_replica_only_when_allowed_and_outside_a_transaction(with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(WorkerHeartbeat) == "default"  # outside a request: primary
    with replica_reads():
        assert router.db_for_read(WorkerHeartbeat) == "replica"
        with transaction.atomic():
            assert router.db_for_read(WorkerHeartbeat) == "default"
    assert router.db_for_write(WorkerHeartbeat) == "default"
    assert router.allow_migrate("replica", "core") is False and router.allow_migrate("default", "core")


def _count(request):
    from django.http import JsonResponse

    return JsonResponse({"n": WorkerHeartbeat.objects.count()})


def _create(request):
    from django.http import JsonResponse
    from django.utils import timezone

    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id=request.POST["id"], started_at=now, seen_at=now)
    return JsonResponse({"n": WorkerHeartbeat.objects.count()})


urlpatterns = [path("count", _count), path("create", _create)]


def _queries(client, method, url, **kwargs):
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        response = getattr(client, method)(url, **kwargs)
    heartbeat_sql = lambda ctx: [q for q in ctx.captured_queries if "core_workerheartbeat" in q["sql"]]  # noqa: E731
    return response, heartbeat_sql(primary), heartbeat_sql(replica)


@pytest.mark.urls(__name__)
def test_read_your_writes_through_the_middleware(client, with_replica):
    client.raise_request_exception = True
    response, primary, replica = _queries(client, "get", "/count")
    assert response.json() == {"n": 0} and replica and not primary

    response, primary, replica = _queries(client, "post", "/create", data={"id": "w1"})
    assert response.json() == {"n": 1} and primary and not replica
    assert response.cookies[PIN_COOKIE]["max-age"] == with_replica.REPLICA_PIN_SECONDS

    # The writer's next read: pinned to the primary by the cookie.
    response, primary, replica = _queries(client, "get", "/count")
    assert response.json() == {"n": 1} and primary and not replica

    # Another visitor (no cookie) reads from the replica.
    client.cookies.pop(PIN_COOKIE)
    response, primary, replica = _queries(client, "get", "/count")
    assert response.json() == {"n": 1} and replica and not primary
