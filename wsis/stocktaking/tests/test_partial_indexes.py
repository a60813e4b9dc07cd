"""The published-only partial indexes of migration 0006 exist and the planner uses them.

"Latest published" reads walk ``stock_init_pub_order_idx``; search and facet filters of published
initiatives use the partial GIN indexes (PostgreSQL). The tables here are small, so sequential
scans are switched off for the EXPLAIN, and the search test first adds a few thousand rows that
do not match (so that a selective GIN scan is the planner's own choice): what is checked is that a matching index exists and that
the queries' conditions imply its predicate (a partial index the planner cannot prove applicable
is never chosen, whatever the table size).
"""

import pytest
from django.db import connection

from wsis.stocktaking.filters import InitiativeFilters
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.search import initiative_search
from wsis.stocktaking.selectors import initiative_latest

from .factories import make_initiative

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN and EXPLAIN plans: PostgreSQL")


def explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # The whole suite's earlier tests leave dead rows and a long GIN pending list (each rolled-back
        # insert adds to it), which the planner counts as cost: in suite order it chose other indexes
        # (seen on PostgreSQL in CI). Fresh statistics and an empty pending list, as autovacuum keeps
        # them in production, make the plan depend on this test's rows only.
        cursor.execute(f"ANALYZE {Initiative._meta.db_table}")
        for index in ("stock_init_search_pub_gin_idx", "stock_init_facet_pub_gin_idx"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def index_definitions() -> dict[str, str]:
    constraints = connection.introspection.get_constraints(connection.cursor(), Initiative._meta.db_table)
    return {name: c for name, c in constraints.items() if c["index"]}


def test_listing_index_exists_on_every_database():
    assert "stock_init_pub_order_idx" in index_definitions()


@postgres_only
def test_partial_indexes_are_partial():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
                       [Initiative._meta.db_table])
        defs = dict(cursor.fetchall())
    for name in ("stock_init_pub_order_idx", "stock_init_search_pub_gin_idx", "stock_init_facet_pub_gin_idx"):
        assert "WHERE ((state)::text = 'published'::text)" in defs[name], defs[name]
    assert "gin (search_vector)" in defs["stock_init_search_pub_gin_idx"]
    assert "gin (facet_tokens)" in defs["stock_init_facet_pub_gin_idx"]
    assert "published_at DESC, id DESC" in defs["stock_init_pub_order_idx"]
    # The full-table GIN indexes they replace are gone.
    assert "stock_init_search_gin_idx" not in defs and "stock_init_facet_gin_idx" not in defs


@postgres_only
def test_latest_published_walks_the_partial_index():
    for state in (Initiative.State.PUBLISHED, Initiative.State.DRAFT, Initiative.State.SUBMITTED):
        make_initiative(state=state)
    qs = Initiative.objects.filter(state=Initiative.State.PUBLISHED).order_by("-published_at", "-id")[:20]
    plan = explain(qs)
    assert "stock_init_pub_order_idx" in plan, plan
    assert "Sort" not in plan, plan  # rows come out in the index's order
    assert [i.pk for i in initiative_latest(limit=5)[0]] == [i.pk for i in qs[:5]]


def crowd(like: Initiative, n: int = 4000) -> None:
    """``n`` rows, half unpublished, none matching ``like``'s tags or words; then fresh statistics."""
    from django.contrib.postgres.search import SearchVector

    rows = []
    for i in range(n):
        row = Initiative(title=f"Unrelated entry {i}", summary="Other matters.", organisation_id=like.organisation_id,
                         state=Initiative.State.PUBLISHED if i % 2 else Initiative.State.DRAFT,
                         published_at=like.published_at if i % 2 else None, facet_tokens=["*", "al:C1", "k:event"])
        rows.append(row)
    Initiative.objects.bulk_create(rows, batch_size=1000)
    Initiative.objects.filter(title__startswith="Unrelated entry").update(
        search_vector=SearchVector("title", "summary", config="english"))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Initiative._meta.db_table}")


@postgres_only
def test_search_and_facets_use_the_partial_gin_indexes():
    published = make_initiative(state=Initiative.State.PUBLISHED)
    make_initiative(state=Initiative.State.DRAFT)
    crowd(published)
    by_facet = initiative_search(InitiativeFilters(action_line=["C4"]), relations=False)
    assert [i.pk for i in by_facet] == [published.pk]
    assert "stock_init_facet_pub_gin_idx" in explain(by_facet.order_by())
    by_text = initiative_search(InitiativeFilters(q="rural youth"), relations=False)
    assert [i.pk for i in by_text] == [published.pk]
    assert "stock_init_search_pub_gin_idx" in explain(by_text.order_by())
