"""Public read API of published documents (the WSIS Stocktaking Reports and any other kind built by the engine)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.urls import reverse
from ninja import Router, Schema

from wsis.core.mail import absolute_uri

from . import selectors
from .models import FORMATS, GeneratedDocument

router = Router(tags=["reports"])


class DocumentFileOut(Schema):
    format: str
    url: str
    sha256: str


class DocumentOut(Schema):
    id: int
    kind: str
    key: str
    title: str
    symbol: str
    language: str
    version: int
    pages: int | None
    published_at: dt.datetime
    files: list[DocumentFileOut]


class DocumentDetailOut(DocumentOut):
    figures: dict
    narratives: dict[str, str]


def _out(request, doc: GeneratedDocument) -> dict:
    return {
        "id": doc.pk, "kind": doc.kind, "key": doc.key, "title": doc.title, "symbol": doc.symbol,
        "language": doc.language, "version": doc.version, "pages": doc.pages, "published_at": doc.published_at,
        "files": [{"format": fmt, "sha256": doc.sha256_for(fmt),
                   "url": absolute_uri(request, reverse("reports:document-file", args=[doc.pk, fmt]))}
                  for fmt in FORMATS if doc.file_for(fmt)],
    }


@router.get("/documents", response=list[DocumentOut], summary="Published documents (every language and version)")
def list_documents(request, kind: str = "", language: str = ""):
    qs = selectors.documents_published(kind[:40])
    if language:
        qs = qs.filter(language=language[:8])
    return [_out(request, d) for d in qs[:500]]


@router.get("/documents/{document_id}", response=DocumentDetailOut,
            summary="One published document with the figures and narrative it was built from")
def get_document(request, document_id: int):
    doc = selectors.documents_published().filter(pk=document_id).first()
    if doc is None:
        raise Http404
    return {**_out(request, doc), "figures": doc.data or {},
            "narratives": {k: str(v) for k, v in (doc.narratives or {}).items()}}
