"""Published regional review reports as a source of the feed of published documents
(:mod:`wsis.reports.published`; registered in ``apps.py``)."""

from __future__ import annotations

from django.urls import reverse

from wsis.reports.published import PublishedItem

from .models import ReviewCycle, ReviewReport
from .rendering import cover_texts

__all__ = ["published_reports"]

KIND = "reviews.report"


def published_reports(*, language: str = "", limit: int = 50) -> list[PublishedItem]:
    """Published versions of the reports of published reviews (what a visitor may open), newest first.

    The title is the report's cover title: in the report's language when the reviewers wrote one for
    it, else the review's own title, whose language is not recorded (``title_language`` "")."""
    qs = (ReviewReport.objects.filter(published_at__isnull=False, cycle__state=ReviewCycle.State.PUBLISHED)
          .select_related("cycle__commission").order_by("-published_at", "-pk"))
    if language:
        qs = qs.filter(language=language)
    items = []
    for report in qs[:limit]:
        cover = cover_texts(report)
        translated = bool((report.narratives or {}).get("cover_title", "").strip())
        cycle = report.cycle
        items.append(PublishedItem(
            kind=KIND, uid=f"{cycle.commission.code}/{cycle.year}/{report.language}/v{report.version}",
            title=cover["title"], title_language=report.language if translated else "",
            published_at=report.published_at, link=report.get_absolute_url(),
            files=tuple((fmt, reverse("reviews:report-file", args=[cycle.pk, report.version, fmt]))
                        for fmt in ("pdf", "docx", "html") if getattr(report, f"{fmt}_file")),
            files_language=report.language, summary=cover["symbol"]))
    return items
