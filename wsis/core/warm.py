"""Core's costly public pages for ``manage.py warm_cache``: the home page (its sections come from the apps)."""

from django.urls import reverse


def paths(*, limit: int) -> list[str]:
    return [reverse("core:home")]
