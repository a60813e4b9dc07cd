"""Atom feed of published documents, newest first: every language and version the document engine has
published (WSIS Stocktaking Reports, the WSIS Prizes success stories, compiled coordination reports…) and
the documents other apps publish through their own models and register as sources
(:mod:`wsis.reports.published`: regional review reports, WSIS Forum outcome documents).

Each entry's title is the document's own title and says its language with ``xml:lang`` (``xml:lang=""``
where the language was not recorded); the feed's other text is in the reader's language (the feed's
``xml:lang``). Each entry links to the document's page and, as alternates with their type (and
``hreflang`` where known), to its PDF, DOCX and HTML files. ``?kind=`` and ``?language=`` narrow it.
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
from .models import FORMATS, GeneratedDocument
from .published import PublishedItem, published_sources

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
        super().add_item_elements(_TitleInLanguage(handler, item["title_language"]), item)
        for fmt, href in item["files"]:
            attrs = {"rel": "alternate", "type": FILE_TYPES[fmt], "href": href}
            if item["files_language"]:
                attrs["hreflang"] = item["files_language"]
            handler.addQuickElement("link", "", attrs)


def _engine_item(doc: GeneratedDocument) -> PublishedItem:
    return PublishedItem(
        kind=doc.kind, uid=f"{doc.key}/{doc.language}/v{doc.version}", title=doc.title, title_language=doc.language,
        published_at=doc.published_at, link=doc.get_absolute_url(),
        files=tuple((fmt, reverse("reports:document-file", args=[doc.pk, fmt])) for fmt in FORMATS
                    if doc.file_for(fmt)),
        files_language=doc.language,
        summary=" · ".join([*([doc.symbol] if doc.symbol else []), _("%(language)s, version %(version)s") % {
            "language": doc.get_language_display(), "version": doc.version}]))


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
        kind, language = obj["kind"], obj["language"]
        qs = selectors.documents_published(kind)
        if language:
            qs = qs.filter(language=language)
        items = [_engine_item(d) for d in qs.order_by("-published_at", "-pk")[:FEED_SIZE]]
        for source in published_sources.providers(kind):
            items.extend(source(language=language, limit=FEED_SIZE))
        items.sort(key=lambda item: item.published_at, reverse=True)
        request = obj["request"]
        return [(item, [(fmt, request.build_absolute_uri(path)) for fmt, path in item.files])
                for item in items[:FEED_SIZE]]

    def item_title(self, entry):
        return entry[0].title

    def item_description(self, entry):
        return entry[0].summary

    def item_link(self, entry):
        return entry[0].link

    def item_guid(self, entry):
        # Stable whatever the reader's language (the page's address carries a language prefix).
        item = entry[0]
        return f"tag:wsis-implementation-platform,2026:document:{item.kind}:{item.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry[0].published_at

    def item_updateddate(self, entry):
        return entry[0].published_at

    def item_categories(self, entry):
        return [entry[0].kind]

    def item_extra_kwargs(self, entry):
        return {"title_language": entry[0].title_language, "files_language": entry[0].files_language,
                "files": entry[1]}
