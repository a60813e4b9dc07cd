"""The search datum's table follows what the builders read: a new input without an event fails the check."""

from wsis.core.events import derived_problems
from wsis.stocktaking import listeners
from wsis.stocktaking.fields import FACET_TOKEN_SQL


def test_the_search_table_is_complete():
    assert derived_problems(listeners.SEARCH) == []


def test_a_token_read_from_a_new_field_fails_the_check(monkeypatch):
    # Say the tokens start carrying the organisation's country: nothing refreshes them when it changes.
    sql = FACET_TOKEN_SQL.rstrip().removesuffix(")") + """
    UNION SELECT 'oc:' || o.country_id FROM accounts_organisation o WHERE o.id = i.organisation_id
)"""
    monkeypatch.setattr(listeners, "FACET_TOKEN_SQL", sql)
    assert derived_problems(listeners.SEARCH) == [
        "search: reads accounts.Organisation.country, but no event is listed for it"]


def test_a_new_field_in_the_search_vector_fails_the_check(monkeypatch):
    monkeypatch.setitem(listeners.SEARCH_VECTOR_FIELDS, "D", ("website",))
    assert derived_problems(listeners.SEARCH) == [
        "search: reads stocktaking.Initiative.website, but no event is listed for it"]
