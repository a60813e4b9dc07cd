"""Atom feed of published documents: every language and version the document engine has published
(WSIS Stocktaking Reports, the WSIS Prizes success stories, compiled coordination reports…), newest first.

Each entry's title is the document's own title, in the document's language, and says so with
``xml:lang``; the feed's other text is in the reader's language (the feed's ``xml:lang``). Each entry
links to the document's page and, as alternates with their type and ``hreflang``, to its PDF, DOCX and
HTML files. ``?kind=`` and ``?language=`` narrow it as they narrow ``/api/v1/documents``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors
from .models import FORMATS

__all__ = ["DocumentFeed", "FEED_SIZE"]

FEED_SIZE = 50
FILE_TYPES = {"pdf": "application/pdf", "html": "text/html",
              "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


class _TitleInLanguage:
    """Passes every element through to the XML handler, the entry's ``<title>`` with ``xml:lang``."""

    def __init__(self, handler, language: str):
        self._handler, self._language = handler, language

    def addQuickElement(self, name, contents=None, attrs=None):  # noqa: N802 - the handler's own name
        if name == "title":
            attrs = {**(attrs or {}), "xml:lang": self._language}
        return self._handler.addQuickElement(name, contents, attrs)

    def __getattr__(self, name):
        return getattr(self._handler, name)


class DocumentAtom(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(_TitleInLanguage(handler, item["document_language"]), item)
        for fmt, href in item["files"]:
            handler.addQuickElement("link", "", {"rel": "alternate", "type": FILE_TYPES[fmt], "href": href,
                                                 "hreflang": item["document_language"]})


def _filters(request) -> tuple[dict[str, str], dict[str, str]]:
    kind = request.GET.get("kind", "").strip()
    language = request.GET.get("language", "").strip()
    errors = {}
    if len(kind) > 40 or "\x00" in kind:
        errors["kind"] = _("Give a document kind of at most 40 characters, e.g. stocktaking.")
    if language and language not in dict(settings.LANGUAGES):
        errors["language"] = _("Unknown language “%(value)s”: use one of %(codes)s.") % {
            "value": language[:20], "codes": ", ".join(dict(settings.LANGUAGES))}
    return {"kind": kind, "language": language}, errors


class DocumentFeed(Feed):
    feed_type = DocumentAtom
    title = gettext_lazy("WSIS Implementation Platform: published documents")
    subtitle = gettext_lazy("Reports and documents published on the platform, in each language they are "
                            "published in, with their PDF, DOCX and HTML files.")

    def __call__(self, request, *args, **kwargs):
        _values, errors = _filters(request)
        if errors:
            return HttpResponseBadRequest("\n".join(f"{field}: {message}" for field, message in errors.items()),
                                          content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return {**_filters(request)[0], "request": request}

    def link(self, obj):
        return reverse("reports:list")

    def items(self, obj):
        qs = selectors.documents_published(obj["kind"])
        if obj["language"]:
            qs = qs.filter(language=obj["language"])
        docs = list(qs.order_by("-published_at", "-pk")[:FEED_SIZE])
        for doc in docs:  # the files' absolute addresses (the entry's own link is completed by the Feed)
            doc.feed_files = [(fmt, obj["request"].build_absolute_uri(reverse("reports:document-file",
                                                                              args=[doc.pk, fmt])))
                              for fmt in FORMATS if doc.file_for(fmt)]
        return docs

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        parts = [item.symbol] if item.symbol else []
        parts.append(_("%(language)s, version %(version)s") % {"language": item.get_language_display(),
                                                                "version": item.version})
        return " · ".join(parts)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        # Stable whatever the reader's language (the page's address carries a language prefix).
        return f"tag:wsis-implementation-platform,2026:document:{item.kind}:{item.key}:{item.language}:v{item.version}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [item.kind]

    def item_extra_kwargs(self, item):
        return {"document_language": item.language, "files": item.feed_files}
