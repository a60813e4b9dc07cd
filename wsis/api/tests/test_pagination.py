"""The keyset paginator: stable pages on a compound ordering, cursors that cannot be forged into errors."""

import pytest

from wsis.api.pagination import InvalidCursor, decode_cursor, encode_cursor, keyset_page
from wsis.taxonomy.models import Target

pytestmark = pytest.mark.django_db


def test_pages_follow_a_compound_ordering_without_gaps_or_repeats():
    ordering = ("goal__number", "-code", "id")
    expected = list(Target.objects.order_by(*ordering).values_list("pk", flat=True))
    seen, cursor = [], None
    while True:
        page = keyset_page(Target.objects.all(), ordering=("goal_id", "-code", "id"), cursor=cursor, limit=17)
        seen += [t.pk for t in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))


def test_cursor_of_another_ordering_is_refused():
    cursor = encode_cursor([1], ("id",))
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor, ("-id",))
    with pytest.raises(InvalidCursor):
        decode_cursor("%%%", ("id",))


def test_dates_survive_the_round_trip():
    import datetime as dt

    when = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert decode_cursor(encode_cursor([when, 7], ("-t", "id")), ("-t", "id")) == [when, 7]
