"""Analytics' costly public pages for ``manage.py warm_cache``: the coverage matrix and the country profiles
of the countries with the most published initiatives (each a few aggregates over the coverage rows)."""

from wsis.stocktaking.selectors import country_codes_by_initiatives


def paths(*, limit: int) -> list[tuple[str, tuple]]:
    return [("analytics:coverage", ()),
            *[("analytics:country", (iso3,)) for iso3 in country_codes_by_initiatives(limit=limit)]]
