"""Fault test: the database connection is cut in the middle of an import; nothing of it remains.

``initiative_import`` writes every row in one transaction. Here a second connection kills the
importing session (``pg_terminate_backend``) after two of five rows were written: the import fails
with a database error and afterwards no initiative, revision or audit row of it exists, and the
import can simply be run again. PostgreSQL only (the server ends the session; SQLite has none)."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections

from wsis.core.models import AuditLog
from wsis.stocktaking import imports, services
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import member
from wsis.stocktaking.tests.test_import_export import csv_upload, row

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="pg_terminate_backend ends a server session: PostgreSQL only"),
]


@pytest.fixture(autouse=True)
def _reference_data(django_db_blocker):
    """Transactional tests start and end with empty tables: the reference data in, then back for others."""
    call_command("load_reference", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


def _terminate(pid: int) -> None:
    import psycopg

    settings_dict = connection.settings_dict
    with psycopg.connect(dbname=settings_dict["NAME"], host=settings_dict["HOST"] or None,
                         port=settings_dict["PORT"] or None, user=settings_dict["USER"] or None,
                         password=settings_dict["PASSWORD"] or None, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_connection_killed_mid_import_leaves_nothing(monkeypatch):
    user = member()
    organisation = user.memberships.get().organisation
    titles = [f"Fault test network {n}" for n in range(5)]
    report = imports.validate_rows(imports.parse_upload(csv_upload([row(title=t) for t in titles])))
    assert not report.errors and len(report.rows) == 5
    real_revision = services._revision
    calls = []

    def revision_then_cut(initiative, **kwargs):
        real_revision(initiative, **kwargs)
        calls.append(initiative.pk)
        if len(calls) == 2:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                _terminate(cursor.fetchone()[0])

    monkeypatch.setattr(services, "_revision", revision_then_cut)
    with pytest.raises(DatabaseError):
        services.initiative_import(user=user, organisation=organisation, report=report)
    assert len(calls) == 2  # two rows had been written in the transaction when it was cut

    connections["default"].close()  # the killed session; the next query opens a new one
    assert not Initiative.objects.filter(title__in=titles).exists()
    assert not Initiative.objects.filter(pk__in=calls).exists()
    assert not AuditLog.objects.filter(action="stocktaking.initiative.import").exists()

    monkeypatch.setattr(services, "_revision", real_revision)
    created = services.initiative_import(user=user, organisation=organisation, report=report)
    assert sorted(i.title for i in created) == sorted(titles)
    assert Initiative.objects.filter(title__in=titles).count() == 5
