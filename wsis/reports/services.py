"""Writing stored documents: request a version, build it (background job), edit its narratives, publish.

Every kind of document is built by the builder registered for it (:mod:`wsis.reports.builders`); these
services are the same for all. A published version never changes: editing, re-rendering or publishing it
again is refused, and a correction is :func:`document_new_version`.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from wsis.core import joblog
from wsis.core.i18n import LANGUAGE_SUFFIXES
from wsis.core.services import audit_record

from . import storage
from .builders import builders
from .models import GeneratedDocument

__all__ = ["document_request", "document_build", "document_update_narratives", "document_publish",
           "document_new_version", "narrative_keys", "can_manage", "render_all"]

logger = logging.getLogger(__name__)

ERR_PUBLISHED = _("A published document never changes: make a new version instead.")
ERR_NOT_READY = _("The document is not ready yet: wait until its files are written.")
ERR_LANGUAGE = _("Choose one of the platform's six languages.")
ERR_NARRATIVE_TOO_LONG = _("A narrative section may hold at most 20,000 characters.")
NARRATIVE_MAX = 20_000


def can_manage(user, kind: str, params: dict) -> bool:
    """Whether ``user`` may request, edit and publish documents of ``kind`` (the builder's permission)."""
    return bool(getattr(user, "is_authenticated", False) and builders.get(kind).load("permission")(user, params))


def _require(actor, kind: str, params: dict) -> None:
    if not can_manage(actor, kind, params):
        raise PermissionDenied


def _log(doc: GeneratedDocument, text, progress: int | None = None, params: dict | None = None) -> None:
    joblog.append(doc, text, progress=progress, params=params)


@transaction.atomic
def document_request(*, kind: str, key: str, language: str, title: str, actor, params: dict | None = None,
                     symbol: str = "", enqueue: bool = True) -> GeneratedDocument:
    """Queue a new version of (kind, key) in ``language``; narratives carry over from its latest version.

    ``enqueue=False`` leaves the build to the caller (a command or the demo seeder calling
    :func:`document_build` itself)."""
    params = dict(params or {})
    _require(actor, kind, params)
    if language not in LANGUAGE_SUFFIXES:
        raise ValidationError({"language": ERR_LANGUAGE})
    versions = GeneratedDocument.objects.select_for_update().filter(kind=kind, key=key, language=language)
    latest = versions.order_by("-version").first()
    number = (versions.aggregate(n=Max("version"))["n"] or 0) + 1
    doc = GeneratedDocument.objects.create(
        kind=kind, key=key, language=language, version=number, title=title[:300], symbol=symbol[:80], params=params,
        narratives=dict(latest.narratives) if latest else {}, created_by=actor,
        messages=[joblog.entry(_("Queued."))],
    )
    audit_record(actor=actor, action="reports.document.request", target=doc, summary=str(doc),
                 data={"kind": kind, "key": key, "language": language, "version": number})
    if enqueue:
        transaction.on_commit(lambda: _enqueue(doc.pk))
    return doc


def _enqueue(document_id: int, rerender: bool = False) -> None:
    from .tasks import build_document

    build_document.enqueue(document_id, rerender)


def render_all(document) -> dict[str, bytes]:
    """The three files of an engine :class:`~wsis.reports.document.Document`: HTML, PDF and DOCX."""
    from .rendering import render_html, render_pdf
    from .word import render_docx

    html = render_html(document)
    return {"html": html.encode("utf-8"), "pdf": render_pdf(document, html), "docx": render_docx(document)}


def _page_count(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def document_build(*, document_id: int, rerender: bool = False) -> GeneratedDocument:
    """Compute the figures (unless re-rendering edited narratives), then write HTML, PDF and DOCX.

    Runs in the background job; each step commits its progress so that the page can show it. A failure
    marks the version failed with the reason. A published version is never rebuilt.
    """
    doc = GeneratedDocument.objects.get(pk=document_id)
    if doc.published_at:
        return doc
    builder = builders.get(doc.kind)
    doc.status, doc.started_at, doc.finished_at = GeneratedDocument.Status.RUNNING, timezone.now(), None
    doc.save(update_fields=["status", "started_at", "finished_at", "updated_at"])
    try:
        if not rerender or not doc.data:
            _log(doc, _("Collecting the figures."), 10)
            with translation.override(doc.language):
                doc.data = builder.load("figures")(doc.params, doc.language)
            doc.save(update_fields=["data", "updated_at"])
        _log(doc, _("Figures ready; laying out the document."), 40)
        with translation.override(doc.language):
            structure = builder.load("document")(doc)
        _log(doc, _("Writing the HTML, PDF and DOCX files."), 60)
        files = render_all(structure)
        for fmt, content in files.items():
            setattr(doc, f"{fmt}_sha256", storage.file_store(doc, f"{fmt}_file", f"{doc.kind}.{fmt}", content))
        doc.pages = _page_count(files["pdf"])
        doc.status, doc.finished_at, doc.progress = GeneratedDocument.Status.DONE, timezone.now(), 100
        doc.save()
        _log(doc, _("Done."), 100)
    except Exception as exc:
        # The job records why it stopped: the editor reads this on the document's page.
        doc.status, doc.finished_at = GeneratedDocument.Status.FAILED, timezone.now()
        doc.save(update_fields=["status", "finished_at", "updated_at"])
        _log(doc, _("Failed: %(error)s"), params={"error": f"{exc.__class__.__name__}: {exc}"[:400]})
        logger.exception("Document %s failed", doc.pk)
    return doc


def narrative_keys(doc: GeneratedDocument) -> list[tuple[str, str]]:
    builder = builders.get(doc.kind)
    if not builder.narrative_keys:
        return []
    with translation.override(doc.language):
        return [(k, str(label)) for k, label in builder.load("narrative_keys")(doc)]


@transaction.atomic
def document_update_narratives(*, document: GeneratedDocument, narratives: dict[str, str], actor) -> GeneratedDocument:
    """Store edited narratives (Markdown) and re-render this unpublished version with the same figures."""
    doc = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
    _require(actor, doc.kind, doc.params)
    if doc.published_at:
        raise ValidationError(ERR_PUBLISHED)
    if doc.status != GeneratedDocument.Status.DONE:
        raise ValidationError(ERR_NOT_READY)
    allowed = {key for key, _label in narrative_keys(doc)}
    errors = {k: ERR_NARRATIVE_TOO_LONG for k, v in narratives.items() if k in allowed and len(v or "") > NARRATIVE_MAX}
    if errors:
        raise ValidationError(errors)
    clean = {k: (v or "").replace("\x00", "").strip() for k, v in narratives.items() if k in allowed}
    doc.narratives = {**doc.narratives, **clean}
    doc.status, doc.progress = GeneratedDocument.Status.QUEUED, 30
    doc.save(update_fields=["narratives", "status", "progress", "updated_at"])
    _log(doc, _("Narrative edited; re-rendering the files."))
    audit_record(actor=actor, action="reports.document.edit_narratives", target=doc, summary=str(doc),
                 data={"keys": sorted(clean)})
    transaction.on_commit(lambda: _enqueue(doc.pk, True))
    return doc


@transaction.atomic
def document_publish(*, document: GeneratedDocument, actor) -> GeneratedDocument:
    """Publish this version in its language (other languages' published versions stay published).

    The build job rendered it as a draft; publishing renders it once more without the draft marks and
    stores those files, then the version is frozen.
    """
    doc = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
    _require(actor, doc.kind, doc.params)
    if doc.published_at:
        raise ValidationError(ERR_PUBLISHED)
    if doc.status != GeneratedDocument.Status.DONE:
        raise ValidationError(ERR_NOT_READY)
    doc.published_at, doc.published_by = timezone.now(), actor
    builder = builders.get(doc.kind)
    with translation.override(doc.language):
        structure = builder.load("document")(doc)  # published_at set: the builder leaves the draft marks out
    files = render_all(structure)
    for fmt, content in files.items():
        setattr(doc, f"{fmt}_sha256", storage.file_store(doc, f"{fmt}_file", f"{doc.kind}.{fmt}", content))
    doc.pages = _page_count(files["pdf"])
    doc.save()
    audit_record(actor=actor, action="reports.document.publish", target=doc, summary=str(doc),
                 data={"pdf_sha256": doc.pdf_sha256, "docx_sha256": doc.docx_sha256})
    return doc


def document_new_version(*, document: GeneratedDocument, actor) -> GeneratedDocument:
    """A new version of the same document and language (the way to correct a published one)."""
    return document_request(kind=document.kind, key=document.key, language=document.language, title=document.title,
                            symbol=document.symbol, params=document.params, actor=actor)
