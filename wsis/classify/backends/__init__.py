"""Backend selection: ``settings.CLASSIFY_BACKEND`` (a dotted path), the linear model by default.

The loaded backend is cached per process: it is read-only after loading, so sharing it between
requests and threads is safe, and loading once keeps each request in milliseconds.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import ClassifierBackend, Suggestion, TargetSuggestion

__all__ = ["DEFAULT_BACKEND", "ClassifierBackend", "Suggestion", "TargetSuggestion", "get_backend"]

DEFAULT_BACKEND = "wsis.classify.backends.linear.LinearBackend"


@lru_cache(maxsize=4)
def _load(path: str) -> ClassifierBackend:
    return import_string(path)()


def get_backend(path: str | None = None) -> ClassifierBackend:
    """The configured backend (loaded on first use)."""
    return _load(path or getattr(settings, "CLASSIFY_BACKEND", DEFAULT_BACKEND))
