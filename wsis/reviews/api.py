"""Public read API of the regional reviews: published reviews, their report files and figures."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from ninja import Router, Schema

from wsis.core.mail import absolute_uri

from . import selectors
from .models import ReviewCycle

router = Router(tags=["reviews"])


class ReviewReportOut(Schema):
    version: int
    language: str
    published_at: dt.datetime
    html_url: str
    pdf_url: str
    docx_url: str
    pdf_sha256: str
    docx_sha256: str


class ReviewOut(Schema):
    id: int
    commission: str
    year: int
    title: str
    theme: str
    sdgs_under_review: list[int]
    report: ReviewReportOut | None
    reports: list[ReviewReportOut]


class ReviewFiguresOut(Schema):
    review: ReviewOut
    figures: dict
    narratives: dict[str, str]


def _per_language(cycle: ReviewCycle) -> list:
    """The newest published version in each language (``published_reports`` is newest first)."""
    newest: dict = {}
    for report in sorted(cycle.published_reports, key=lambda r: -r.version):
        newest.setdefault(report.language, report)
    return sorted(newest.values(), key=lambda r: (r.language != "en", r.language))


def _review_out(request, cycle: ReviewCycle) -> dict:
    def out(report):
        def url(fmt):
            return absolute_uri(request, reverse("reviews:report-file", args=[cycle.pk, report.version, fmt]))

        return {"version": report.version, "language": report.language, "published_at": report.published_at,
                "html_url": url("html"), "pdf_url": url("pdf"), "docx_url": url("docx"),
                "pdf_sha256": report.pdf_sha256, "docx_sha256": report.docx_sha256}

    reports = _per_language(cycle)
    return {
        "id": cycle.pk, "commission": cycle.commission.code, "year": cycle.year, "title": cycle.title,
        "theme": cycle.theme, "sdgs_under_review": [g.number for g in cycle.goals.all()],
        "report": out(reports[0]) if reports else None,
        "reports": [out(r) for r in reports],
    }


@router.get("/reviews", response=list[ReviewOut], summary="Published regional reviews of WSIS implementation")
def list_reviews(request, commission: str = "", year: int | None = None):
    return [_review_out(request, c) for c in selectors.review_list_published(commission=commission, year=year)]


@router.get("/reviews/{review_id}", response=ReviewFiguresOut,
            summary="One published review with the figures and narrative of its published report (English, or the first language published)")
def get_review(request, review_id: int):
    cycle = selectors.review_get_published(review_id)
    report = _per_language(cycle)[0]
    return {"review": _review_out(request, cycle), "figures": report.data or {},
            "narratives": {k: str(v) for k, v in (report.narratives or {}).items()}}
