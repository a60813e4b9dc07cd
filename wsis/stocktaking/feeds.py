"""Atom feed of recently published initiatives, filtered like the search page (same parameters)."""

from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .filters import bad_request, legacy_redirect, parse_filters
from .languages import initiative_text
from .search import initiative_search

__all__ = ["InitiativeFeed"]

FEED_SIZE = 50


class InitiativeFeed(Feed):
    feed_type = Atom1Feed
    title = _("WSIS Stocktaking: newly published initiatives")
    subtitle = _("ICT initiatives registered by stakeholders and published by the WSIS Stocktaking moderators.")

    def __call__(self, request, *args, **kwargs):
        if moved := legacy_redirect(request):
            return moved
        parsed = parse_filters(request.GET)
        if parsed.errors:
            return bad_request(parsed.errors)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return parse_filters(request.GET).filters.replace(sort="newest")

    def _with_filters(self, name: str, obj) -> str:
        """The address of ``name`` with the feed's filters (in their one spelling; the order is the feed's own)."""
        query = urlencode(obj.replace(sort="").as_query())
        return reverse(name) + (f"?{query}" if query else "")

    def link(self, obj):
        # The search page that lists what the feed lists, so that "open in the browser" keeps the filters.
        return self._with_filters("stocktaking:search", obj)

    def feed_url(self, obj):
        # rel="self" with the filters: a reader that stores the feed's own address keeps them.
        return self._with_filters("stocktaking:feed", obj)

    def items(self, obj):
        return (initiative_search(obj, relations=False).select_related("organisation")
                .prefetch_related("translations")[:FEED_SIZE])

    def item_title(self, item):
        # The feed's URL carries the language (/fr/feeds/…): a translation into it when there is one.
        return initiative_text(item).title

    def item_description(self, item):
        return initiative_text(item).summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.last_reviewed_at or item.published_at

    def item_author_name(self, item):
        return item.organisation.name
