"""Stocktaking's costly public pages for ``manage.py warm_cache``: the registry's first page, its feed, and
the country pages of the countries with the most published initiatives (their "latest initiatives"
sections and counts are the slow part of those pages on a large registry)."""

from django.urls import reverse

from .selectors import country_codes_by_initiatives


def paths(*, limit: int) -> list[str]:
    countries = country_codes_by_initiatives(limit=limit)
    return [reverse("stocktaking:search"), reverse("stocktaking:feed"),
            *[reverse("taxonomy:country", args=[iso3]) for iso3 in countries]]
