"""The coverage table's inputs follow what its SQL reads: a new input without an event fails the check."""

from wsis.analytics import listeners
from wsis.core.events import derived_problems


def test_the_coverage_table_is_complete():
    assert derived_problems(listeners.COVERAGE) == []


def test_copying_a_new_initiative_field_without_an_event_fails_the_check(monkeypatch):
    real = listeners._insert_sql
    monkeypatch.setattr(listeners, "_insert_sql", lambda where: real(where).replace("i.kind", "i.coverage"))
    assert derived_problems(listeners.COVERAGE) == [
        "coverage: reads stocktaking.Initiative.coverage, but no event is listed for it"]
