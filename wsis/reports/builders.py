"""Which code builds which kind of stored document (:class:`~wsis.reports.models.GeneratedDocument`).

An app that publishes a document registers a builder for its ``kind`` from its ``AppConfig.ready()``::

    from wsis.reports.builders import builders
    builders.register("prizes.winners", figures="wsis.prizes.documents.figures",
                      document="wsis.prizes.documents.document", label=_("WSIS Prizes winners"))

``figures(params: dict, language: str) -> dict`` computes the numbers once per version (stored as JSON,
so that editing the narrative re-renders the same numbers); ``document(version) -> Document`` turns a
version (its params, figures, narratives, language, draft state) into the engine's structure; and
``narrative_keys(version) -> [(key, label)]`` names the narrative sections an editor may write, and
``permission(user, params) -> bool`` says who may request, edit and publish it. Paths are imported when
first used; an unknown kind raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from wsis.core.permissions import is_secretariat

__all__ = ["Builder", "builders", "secretariat_only"]


def secretariat_only(user, params: dict) -> bool:
    """The default permission: the WSIS secretariat (and superusers)."""
    return is_secretariat(user)


@dataclass(frozen=True)
class Builder:
    kind: str
    figures: str
    document: str
    label: object = ""
    narrative_keys: str = ""
    permission: str = "wsis.reports.builders.secretariat_only"

    def load(self, what: str) -> Callable:
        return import_string(getattr(self, what))


class _Builders:
    def __init__(self) -> None:
        self._by_kind: dict[str, Builder] = {}

    def register(self, kind: str, *, figures: str, document: str, label="", narrative_keys: str = "",
                 permission: str = "wsis.reports.builders.secretariat_only") -> None:
        builder = Builder(kind, figures, document, label, narrative_keys, permission)
        if kind in self._by_kind and self._by_kind[kind] != builder:
            raise ImproperlyConfigured(f"A different document builder is already registered for {kind!r}.")
        self._by_kind[kind] = builder

    def get(self, kind: str) -> Builder:
        try:
            return self._by_kind[kind]
        except KeyError:
            raise ImproperlyConfigured(f"No document builder is registered for {kind!r}.") from None

    def kinds(self) -> list[str]:
        return sorted(self._by_kind)


builders = _Builders()
