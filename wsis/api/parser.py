"""The API's request parser: ninja's, refusing text that no database column can hold.

A NUL byte (PostgreSQL refuses it in text), another control character (tab and line breaks aside) or
an unpaired surrogate (which cannot be encoded as UTF-8) in a JSON body or a query parameter is
refused before any endpoint sees it: a JSON body answers 422 naming the field (``body.title``), a
query parameter 400 naming the parameter, as the initiative filters do.
"""

from __future__ import annotations

from ninja.parser import Parser

__all__ = ["CheckedParser", "ForbiddenCharacters", "has_forbidden_characters", "FORBIDDEN_MESSAGE",
           "parses_own_query"]

FORBIDDEN_MESSAGE = "Contains a control character (such as a NUL byte) or an unpaired surrogate."


def has_forbidden_characters(value: str) -> bool:
    return any((ord(c) < 32 and c not in "\t\n\r") or 0xD800 <= ord(c) <= 0xDFFF for c in value)


class ForbiddenCharacters(ValueError):
    """Text with characters no column can hold; ``fields`` names where (``body.title``, ``q``)."""

    def __init__(self, location: str, fields: list[str]):
        super().__init__(f"{location}: {', '.join(fields)}")
        self.location = location
        self.fields = fields


# URL names (ninja names a path after its first operation's function) of the endpoints marked below.
_OWN_QUERY_URL_NAMES: set[str] = set()


def parses_own_query(view):
    """Mark an endpoint whose query parameters go through a parser of their own that already refuses
    these characters and reports every bad parameter at once (the initiative filter set): the
    generic check leaves its query to it, so the API and the pages report the same parameters."""
    _OWN_QUERY_URL_NAMES.add(view.__name__)
    return view


def _parses_own_query(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name in _OWN_QUERY_URL_NAMES


def _bad_paths(value, path: str):
    if isinstance(value, str):
        if has_forbidden_characters(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            key = str(key)
            child = f"{path}.{key}" if path else key
            if has_forbidden_characters(key):
                yield child
            else:
                yield from _bad_paths(item, child)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _bad_paths(item, f"{path}.{i}" if path else str(i))


class CheckedParser(Parser):
    def parse_body(self, request):
        data = super().parse_body(request)
        bad = [f"body.{p}" if p else "body" for p in _bad_paths(data, "")]
        if bad:
            raise ForbiddenCharacters("body", bad)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        if data is request.GET and not _parses_own_query(request):
            bad = sorted({key for key in data for value in [key, *data.getlist(key)]
                          if isinstance(value, str) and has_forbidden_characters(value)})
            if bad:
                raise ForbiddenCharacters("query", bad)
        return result
