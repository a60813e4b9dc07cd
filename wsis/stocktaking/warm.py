"""Stocktaking's costly public pages for ``manage.py warm_cache``: the registry's first page, its feed, and
the country pages of the countries with the most published initiatives (their "latest initiatives"
sections and counts are the slow part of those pages on a large registry)."""

from .selectors import country_codes_by_initiatives


def paths(*, limit: int) -> list[tuple[str, tuple]]:
    return [("stocktaking:search", ()), ("stocktaking:feed", ()),
            *[("taxonomy:country", (iso3,)) for iso3 in country_codes_by_initiatives(limit=limit)]]
