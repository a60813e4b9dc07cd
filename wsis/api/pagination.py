"""Keyset (cursor) pagination for API lists that may hold millions of rows.

OFFSET pagination reads and throws away every row before the page; keyset pagination asks for
"rows after the last one you saw" on an indexed ordering, so page 5,000 costs what page 1 costs
and rows inserted meanwhile never shift a page. The cursor is opaque to clients: base64 of the
last row's ordering values.

Usage::

    page = keyset_page(queryset, ordering=("-published_at", "-id"), cursor=cursor, limit=50)
    return {"items": page.items, "next_cursor": page.next_cursor}

The last ordering field must be unique (the primary key) and none may be NULL.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import decimal
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

__all__ = ["InvalidCursor", "CursorPage", "keyset_page", "encode_cursor", "decode_cursor", "CursorMeta",
           "MAX_LIMIT", "MAX_OFFSET", "BoundedLimitOffsetPagination"]

MAX_LIMIT = 200
# No list holds a billion rows; a larger offset (up to 64-bit and beyond) is refused with a 422
# instead of reaching the database, which fails on integers that do not fit its column types.
MAX_OFFSET = 1_000_000_000


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """ninja's limit/offset paging with both numbers bounded (ninja bounds neither from above)."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT}.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class InvalidCursor(ValueError):
    """The cursor was not made by this API (or by this ordering)."""


class CursorMeta(Schema):
    """Paging information returned beside the items."""

    next_cursor: str | None = None
    limit: int


@dataclass
class CursorPage:
    items: list[Any]
    next_cursor: str | None
    limit: int


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date):
        return {"t": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"d": str(value)}
    return value


def _restore(value):
    if isinstance(value, dict) and "t" in value:
        text = value["t"]
        return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
    if isinstance(value, dict) and "d" in value:
        return decimal.Decimal(value["d"])
    return value


def encode_cursor(values: Sequence[Any], ordering: Sequence[str]) -> str:
    payload = {"o": list(ordering), "v": [_jsonable(v) for v in values]}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, ordering: Sequence[str]) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        values = payload["v"]
        if payload["o"] != list(ordering) or len(values) != len(ordering):
            raise InvalidCursor("The cursor belongs to another ordering.")
        return [_restore(v) for v in values]
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise InvalidCursor("The cursor is not valid.") from exc


def _after(ordering: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after ``values`` in ``ordering``: (a > x) or (a = x and b > y) or …"""
    condition = Q()
    for i, spec in enumerate(ordering):
        name = spec.lstrip("-")
        op = "lt" if spec.startswith("-") else "gt"
        term = Q(**{f"{name}__{op}": values[i]})
        for j in range(i):
            term &= Q(**{ordering[j].lstrip("-"): values[j]})
        condition |= term
    return condition


def keyset_page(queryset: QuerySet, *, ordering: Sequence[str], cursor: str | None = None,
                limit: int = 50) -> CursorPage:
    """One page of ``queryset`` in ``ordering``, starting after ``cursor`` (None for the first page)."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    qs = queryset.order_by(*ordering)
    if cursor:
        qs = qs.filter(_after(ordering, decode_cursor(cursor, ordering)))
    rows = list(qs[: limit + 1])
    items = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = encode_cursor([_value(last, spec.lstrip("-")) for spec in ordering], ordering)
    return CursorPage(items, next_cursor, limit)


def _value(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj
