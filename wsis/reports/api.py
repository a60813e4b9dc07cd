"""Public read API of published documents (the WSIS Stocktaking Reports and any other kind built by the engine)."""

import datetime as dt

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import paginate

from wsis.api.pagination import BoundedLimitOffsetPagination
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
    kind: str = Field(description="Which engine built it, e.g. stocktaking, prizes.success_stories.")
    key: str = Field(description="Which document of its kind, e.g. 2025/global; shared by its languages and versions.")
    title: str = Field(description="In the document's language.")
    symbol: str
    language: str
    version: int
    pages: int | None
    published_at: dt.datetime
    files: list[DocumentFileOut] = Field(description="PDF, DOCX and HTML, each with its SHA-256 checksum.")


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


class DocumentQuery(Schema):
    kind: str = Field("", max_length=40, description="Only documents of this kind, e.g. stocktaking.")
    language: str = Field("", max_length=8, description="Only documents in this language (ar, en, es, fr, ru, "
                                                        "zh-hans).")


@router.get("/documents", response=list[DocumentOut],
            summary="Published documents (every language and version), by kind, newest edition first")
@paginate(BoundedLimitOffsetPagination)
def list_documents(request, filters: Query[DocumentQuery]):
    qs = selectors.documents_published(filters.kind)
    if filters.language:
        if filters.language not in dict(settings.LANGUAGES):
            raise ValidationError([{"loc": ("query", "language"), "type": "value_error",
                                    "msg": f"Unknown language '{filters.language}'; one of "
                                           f"{', '.join(dict(settings.LANGUAGES))}."}])
        qs = qs.filter(language=filters.language)
    return _Documents(request, qs)


class _Documents:
    """The queryset, turned into API dicts as the paginator slices it (the file URLs need the request)."""

    def __init__(self, request, qs):
        self.request, self.qs = request, qs

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        return [_out(self.request, d) for d in self.qs[item]]


@router.get("/documents/{document_id}", response=DocumentDetailOut,
            summary="One published document with the figures and narrative it was built from")
def get_document(request, document_id: int):
    doc = selectors.documents_published().filter(pk=document_id).first()
    if doc is None:
        raise Http404
    return {**_out(request, doc), "figures": doc.data or {},
            "narratives": {k: str(v) for k, v in (doc.narratives or {}).items()}}
