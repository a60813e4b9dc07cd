"""Published outcome documents of the WSIS Forum as a source of the feed of published documents
(:mod:`wsis.reports.published`; registered in ``apps.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wsis.reports.published import PublishedItem

from .documents import outcome_symbol
from .models import OutcomeDocument

__all__ = ["published_outcomes"]

KIND = "forum.outcome"


def published_outcomes(*, language: str = "", limit: int = 50) -> list[PublishedItem]:
    """Published outcome documents, newest first. Their language is not recorded (the secretariat builds
    them in the language it works in), so a language filter leaves them out and their files carry no
    ``hreflang``; the entry's title is written here, in the reader's language."""
    if language:
        return []
    qs = (OutcomeDocument.objects.filter(published_at__isnull=False, status=OutcomeDocument.Status.READY)
          .select_related("edition").order_by("-published_at", "-pk"))
    items = []
    for document in qs[:limit]:
        edition = document.edition
        items.append(PublishedItem(
            kind=KIND, uid=f"{edition.year}", title=_("%(edition)s: outcome document") % {"edition": edition.title},
            title_language=get_language() or "en", published_at=document.published_at,
            link=reverse("forum:outcome-document", args=[edition.year]),
            files=tuple((fmt, reverse(f"forum:outcome-{fmt}", args=[edition.year]))
                        for fmt in ("pdf", "docx") if getattr(document, fmt)),
            summary=outcome_symbol(edition)))
    return items
