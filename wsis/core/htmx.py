"""One view, two renderings: the full page, or just the fragment HTMX asked for (STYLE.md habit 5)."""

from django.http import HttpRequest

__all__ = ["htmx_partial"]


def htmx_partial(request: HttpRequest) -> bool:
    """True when the request came from HTMX and wants a fragment rather than the whole page.

    A boosted request (hx-boost) wants the whole page, so it is not a partial.
    """
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted
