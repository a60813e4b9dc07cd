"""Documents that other apps publish through their own models, for the feed of published documents.

The document engine stores most documents itself (:class:`~wsis.reports.models.GeneratedDocument`), but
a regional review's report (``reviews.ReviewReport``) and a WSIS Forum edition's outcome document
(``forum.OutcomeDocument``) are kept by their apps, which sit above ``reports`` in the layers: ``reports``
may not import them. Such an app registers a source from its ``AppConfig.ready()``::

    from wsis.reports.published import published_sources
    published_sources.register("reviews.report", "wsis.reviews.feeds.published_reports")

A source is ``callable(*, language: str, limit: int) -> list[PublishedItem]``: its latest published
documents, newest first, at most ``limit``, only those in ``language`` when one is given. Paths are
imported when first read; this module imports no model, so ``apps.py`` may import it at its top.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

__all__ = ["PublishedItem", "published_sources"]


@dataclass(frozen=True)
class PublishedItem:
    kind: str  # e.g. "reviews.report"; the feed's ?kind= selects on it
    uid: str  # stable within its kind whatever the reader's language: "ESCAP/2026/en/v2"
    title: str
    title_language: str  # the language the title is written in (xml:lang)
    published_at: dt.datetime
    link: str  # the document's page (a path)
    files: tuple[tuple[str, str], ...] = field(default=())  # (format: pdf/docx/html, path)
    files_language: str = ""  # the files' language (hreflang), "" when not recorded
    summary: str = ""


class _Sources:
    def __init__(self) -> None:
        self._by_kind: dict[str, str] = {}

    def register(self, kind: str, provider: str) -> None:
        if self._by_kind.get(kind, provider) != provider:
            raise ImproperlyConfigured(f"A different source of published documents is registered for {kind!r}.")
        self._by_kind[kind] = provider

    def kinds(self) -> list[str]:
        return sorted(self._by_kind)

    def providers(self, kind: str = "") -> list[Callable[..., list[PublishedItem]]]:
        """The sources (of ``kind`` only, when given), imported."""
        return [import_string(path) for k, path in sorted(self._by_kind.items()) if not kind or k == kind]


published_sources = _Sources()
