"""Reading stored documents: published ones for everyone, unpublished ones for their managers only."""

from __future__ import annotations

from collections import OrderedDict

from django.db.models import QuerySet
from django.http import Http404

from .models import GeneratedDocument
from .services import can_manage

__all__ = ["document_get", "document_versions", "editions_published", "documents_published", "documents_managed"]


def documents_published(kind: str = "") -> QuerySet[GeneratedDocument]:
    qs = GeneratedDocument.objects.filter(published_at__isnull=False).order_by("kind", "-key", "language", "-version")
    return qs.filter(kind=kind) if kind else qs


def editions_published(kind: str = "") -> list[dict]:
    """One entry per (kind, key): its title and, per language, the newest published version."""
    editions: OrderedDict = OrderedDict()
    for doc in documents_published(kind).order_by("kind", "-key", "-version"):
        entry = editions.setdefault((doc.kind, doc.key), {"kind": doc.kind, "key": doc.key, "title": doc.title,
                                                         "symbol": doc.symbol, "languages": OrderedDict()})
        entry["languages"].setdefault(doc.language, doc)
        if doc.language == "en":
            entry["title"] = doc.title
    return list(editions.values())


def documents_managed(user, kind: str = "") -> list[GeneratedDocument]:
    """Every version (drafts too) the user may manage, newest first."""
    qs = GeneratedDocument.objects.order_by("-created_at")
    if kind:
        qs = qs.filter(kind=kind)
    return [d for d in qs[:200] if can_manage(user, d.kind, d.params)]


def document_get(user, pk: int) -> tuple[GeneratedDocument, bool]:
    """A version and whether ``user`` manages it; 404 unless published or managed by ``user``."""
    doc = GeneratedDocument.objects.filter(pk=pk).select_related("created_by", "published_by").first()
    if doc is None:
        raise Http404
    manages = can_manage(user, doc.kind, doc.params)
    if not manages and not doc.published_at:
        raise Http404
    return doc, manages


def document_versions(doc: GeneratedDocument, *, manages: bool) -> QuerySet[GeneratedDocument]:
    """The versions of the same document in every language (published only, for readers)."""
    qs = GeneratedDocument.objects.filter(kind=doc.kind, key=doc.key).order_by("language", "-version")
    return qs if manages else qs.filter(published_at__isnull=False)
