"""Analytics' costly public pages for ``manage.py warm_cache``: the coverage matrix and the country profiles
of the countries with the most published initiatives (each a few aggregates over the coverage rows)."""

from django.urls import reverse

from wsis.stocktaking.selectors import country_codes_by_initiatives


def paths(*, limit: int) -> list[str]:
    return [reverse("analytics:coverage"),
            *[reverse("analytics:country", args=[iso3]) for iso3 in country_codes_by_initiatives(limit=limit)]]
