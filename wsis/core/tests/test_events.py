"""Domain events: emit runs the subscribers in the caller's transaction; the derived-data table checks itself."""

import pytest
from django.db import transaction

from wsis.core import events
from wsis.core.events import (
    INITIATIVE_CHANGED,
    ORGANISATION_CHANGED,
    DerivedDatum,
    derived_data,
    derived_problems,
    emit,
    sql_reads,
    subscribe,
)
from wsis.core.models import AuditLog


@pytest.fixture
def isolated(monkeypatch):
    """Subscribers and derived data registered by a test vanish after it (the apps' own stay)."""
    monkeypatch.setattr(events, "_subscribers", {k: list(v) for k, v in events._subscribers.items()})
    monkeypatch.setattr(events, "_derived", dict(events._derived))


@pytest.mark.django_db  # the apps' own subscribers run too, and some schedule work on commit
def test_emit_calls_every_subscriber_in_order_with_the_payload(isolated):
    calls = []
    subscribe(ORGANISATION_CHANGED, lambda **kw: calls.append(("first", kw)))
    second = lambda **kw: calls.append(("second", kw))  # noqa: E731
    subscribe(ORGANISATION_CHANGED, second)
    subscribe(ORGANISATION_CHANGED, second)  # twice is once
    emit(ORGANISATION_CHANGED, organisation_ids=[1], fields=["website"])
    payload = {"organisation_ids": [1], "fields": ["website"]}
    assert calls[-2:] == [("first", payload), ("second", payload)]
    assert len([c for c in calls if c[0] == "second"]) == 1


def test_emit_refuses_a_payload_that_is_not_the_events(isolated):
    with pytest.raises(TypeError):
        emit(ORGANISATION_CHANGED, organisation_ids=[1])
    with pytest.raises(TypeError):
        emit(INITIATIVE_CHANGED, initiative_ids=[1], extra=True)


def test_only_declared_events_can_be_subscribed(isolated):
    with pytest.raises(ValueError):
        subscribe(events.Event("made_up", ()), lambda: None)


@pytest.mark.django_db
def test_handlers_write_in_the_callers_transaction_and_roll_back_with_it(isolated):
    def handler(*, organisation_ids, fields):
        AuditLog.objects.create(action="test.derived", target_type="x", target_id="1")

    subscribe(ORGANISATION_CHANGED, handler)
    with pytest.raises(RuntimeError), transaction.atomic():
        emit(ORGANISATION_CHANGED, organisation_ids=[1], fields=[])
        assert AuditLog.objects.filter(action="test.derived").exists()  # seen at once, same transaction
        raise RuntimeError("the writer fails")
    assert not AuditLog.objects.filter(action="test.derived").exists()


@pytest.mark.django_db
def test_a_failing_handler_fails_the_writer(isolated):
    def broken(**_):
        raise LookupError("derived data could not be refreshed")

    subscribe(ORGANISATION_CHANGED, broken)
    with pytest.raises(LookupError):
        emit(ORGANISATION_CHANGED, organisation_ids=[1], fields=[])


# --- the standing check ----------------------------------------------------------------------------

def test_every_field_that_derived_data_reads_has_an_event_that_refreshes_it():
    """The table the apps register (search tokens, coverage facts…) matches what their builders read."""
    registered = derived_data()
    assert {"search", "coverage"} <= {d.name for d in registered}
    for datum in registered:
        assert list(datum.reads()), datum.name
        assert derived_problems(datum) == []


def _handler(**_):
    pass


def test_the_check_fails_for_a_field_read_without_an_event(isolated):
    datum = DerivedDatum(
        name="audit digest", description="", handlers={INITIATIVE_CHANGED: _handler},
        inputs={"core.AuditLog.action": (INITIATIVE_CHANGED,), "core.AuditLog.nonexistent": (INITIATIVE_CHANGED,),
                "core.AuditLog.target_id": (ORGANISATION_CHANGED,), "core.AuditLog.data": ()},
        reads=lambda: sql_reads("SELECT a.action, a.summary FROM core_auditlog a WHERE a.id > 0"),
    )
    events.derived_register(datum)
    assert derived_problems(datum) == [
        "audit digest: reads core.AuditLog.summary, but no event is listed for it",
        "audit digest: core.AuditLog.data has no event that refreshes it",
        "audit digest: lists core.AuditLog.nonexistent, which is not a model field",
        "audit digest: core.AuditLog.target_id lists organisation_changed, which it has no handler for",
    ]


def test_sql_reads_resolves_aliases_per_union_branch_and_skips_primary_keys():
    sql = """UPDATE core_auditlog i SET summary = ARRAY(
        SELECT x.action FROM core_auditlog x WHERE x.id = i.id
        UNION SELECT x."target_type" FROM core_auditlog x WHERE x.target_id = 'a.b')"""
    assert sql_reads(sql) == {"core.AuditLog.action", "core.AuditLog.target_type", "core.AuditLog.target_id"}


def test_sql_reads_refuses_a_column_that_is_no_field():
    with pytest.raises(LookupError):
        sql_reads("SELECT a.no_such_column FROM core_auditlog a")
